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
    const codes = fc.constantFrom(
      'access_denied',
      'invitation_required',
      'invalid_request',
      'invalid_grant',
      'temporarily_unavailable',
      'weird',
      '<b>x</b>',
    );
    await fc.assert(
      fc.asyncProperty(codes, fc.string({ minLength: 1, maxLength: 80 }), async (error, description) => {
        expect(banner(await render({ error, error_description: description }))).toBe(banner(await render({ error })));
      }),
      { numRuns: 200 },
    );
  });
});

describe('/login layout', () => {
  it('simplerSignIn_oneEmailField: one email field, then social buttons, then the organization ID behind a closed disclosure', async () => {
    const html = await render({});
    expect(html.match(/type="email"/g)).toHaveLength(1);
    const email = html.indexOf('id="login-email"');
    const social =
      html.indexOf('Continue with<!-- --> <!-- -->Google') >= 0
        ? html.indexOf('Continue with<!-- --> <!-- -->Google')
        : html.indexOf('value="google"');
    const disclosure = html.indexOf('Sign in with your organization&#x27;s SSO');
    expect(email).toBeGreaterThan(-1);
    expect(social).toBeGreaterThan(email);
    expect(disclosure).toBeGreaterThan(social);
    expect(html).toMatch(/<details[^>]*data-testid="sso-section"(?![^>]*\bopen\b)[^>]*>/);
    // The one field carries no sso flag: the identity provider routes an SSO domain itself.
    expect(html.slice(email, social)).not.toContain('name="sso"');
  });

  it('removedUser_toldNoLongerMember: the banner for no_longer_member says what happened and what to do', async () => {
    const text = banner(await render({ error: 'no_longer_member' }));
    expect(text).toContain('You are no longer a member of any organization');
    expect(text).toContain('ask an admin of your organization to invite you again');
  });
});
