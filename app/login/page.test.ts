import fc from 'fast-check';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import LoginPage from './page';

/**
 * The sign-in page as the server renders it. Anyone can link to /login?error=…&error_description=…
 * (an identity provider's redirect, or a phishing mail), so the banner must consist of the app's
 * own sentences only: the description is never shown, whatever the code.
 */

async function render(query: Record<string, string | string[]>): Promise<string> {
  return renderToStaticMarkup(await LoginPage({ searchParams: Promise.resolve(query) }));
}

/** The banner's whole element (nested divs included), or '' when there is none. */
function banner(html: string): string {
  const marker = html.indexOf('data-testid="login-error"');
  if (marker < 0) return '';
  const start = html.lastIndexOf('<div', marker);
  const tag = /<div\b|<\/div>/g;
  tag.lastIndex = start;
  let depth = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    depth += m[0] === '</div>' ? -1 : 1;
    if (depth === 0) return html.slice(start, tag.lastIndex);
  }
  throw new Error('unbalanced banner markup');
}

describe('/login error banner', () => {
  it('loginError_ownSentencesOnly: never renders error_description, for known, unknown and malformed codes', async () => {
    const lure = 'Your account is locked. Call +1 555 0100 or visit evil.example to restore it';
    for (const error of ['access_denied', 'invalid_state', 'server_error', 'something_new', '"><script>alert(1)</script>']) {
      const html = await render({ error, error_description: lure });
      expect(banner(html), error).not.toBe('');
      expect(html).not.toContain('evil.example');
      expect(html).not.toContain('555 0100');
    }
  });

  it('shows the app’s sentence for a known code, and a generic one (without echoing the code) for an unknown code', async () => {
    const known = banner(await render({ error: 'access_denied', error_description: 'Signup is by invitation only' }));
    expect(known).toContain('Sign-in was not completed');
    expect(known).toContain('invitation only');
    expect(known).toContain('Error code: access_denied');
    expect(known).not.toContain('Signup is by');
    const unknown = banner(await render({ error: 'contact_support_at_evil_example' }));
    expect(unknown).toContain('Sign-in did not complete');
    expect(unknown).not.toContain('evil');
  });

  it('for arbitrary description text, the banner is the same as without it (≥ 200 inputs)', async () => {
    const codes = fc.constantFrom('access_denied', 'invitation_required', 'invalid_request', 'invalid_grant', 'temporarily_unavailable', 'weird', '<b>x</b>');
    await fc.assert(
      fc.asyncProperty(codes, fc.string({ minLength: 1, maxLength: 80 }), async (error, description) => {
        expect(banner(await render({ error, error_description: description }))).toBe(banner(await render({ error })));
      }),
      { numRuns: 200 },
    );
  });
});
