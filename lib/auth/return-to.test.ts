import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_TO, safeReturnTo } from '@/lib/auth/return-to';

const APP = 'https://app.teamgate.test';

/** Would a browser on APP, following this Location, stay on APP? */
function staysOnApp(location: string): boolean {
  return new URL(location, APP).origin === APP;
}

function hostileValues(): string[] {
  const hosts = ['evil.com', 'EVIL.com', 'evil.com:443', '127.0.0.1', '[::1]', 'evil.com%2f', 'xn--pple-43d.com'];
  const values = new Set<string>();
  for (const host of hosts) {
    values.add(`https://${host}/dashboard`);
    values.add(`http://${host}`);
    values.add(`HtTpS://${host}`);
    values.add(`//${host}`);
    values.add(`//${host}/dashboard?x=1`);
    values.add(`///${host}`);
    values.add(`/\\${host}`);
    values.add(`\\\\${host}`);
    values.add(`\\/${host}`);
    values.add(`/%2F${host}`);
    values.add(`/%2f${host}`);
    values.add(`%2F%2F${host}`);
    values.add(`/%5C${host}`);
    values.add(`/%5c${host}`);
    values.add(`/%252F${host}`);
    values.add(`/%25252F${host}`);
    values.add(`/\t/${host}`);
    values.add(`/\n/${host}`);
    values.add(`/\r\n/${host}`);
    values.add(`/%09/${host}`);
    values.add(`/%0a/${host}`);
    values.add(`/%00/${host}`);
    values.add(` //${host}`);
    values.add(`\t//${host}`);
    values.add(`/./${'/'}${host}`);
    values.add(`/../${'/'}${host}`);
    values.add(`/.%2F/${host}`);
    values.add(`/%2e%2e//${host}`);
    values.add(`//user:pass@${host}`);
    values.add(`https://app.teamgate.test@${host}`);
    values.add(`//app.teamgate.test@${host}/`);
    values.add(`/\\@${host}`);
  }
  for (const v of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'javascript%3Aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'mailto:a@evil.com',
    'evil.com',
    'dashboard',
    '.',
    '',
    '\uFF0F\uFF0Fevil.com', // fullwidth solidus
    '/\u200B/evil.com', // zero-width space
    '/\u2028/evil.com', // line separator
    '/\u202Eevil.com', // right-to-left override
    '/\uFEFF/evil.com',
    '/%E2%80%8B/evil.com',
    '/%E2%80%AE/evil.com',
    '/%C0%AF/evil.com', // overlong "/" (invalid UTF-8)
    '/%', // malformed escape
    '/dashboard%E0%A4%A', // truncated escape
    `/${'a'.repeat(3000)}`,
    '/login?returnTo=//evil.com',
    '/api/auth/logout',
  ]) {
    values.add(v);
  }
  return [...values];
}

describe('safeReturnTo', () => {
  const hostile = hostileValues();

  it('has a generous hostile corpus', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(50);
  });

  it.each(hostile.map((v) => [JSON.stringify(v), v]))('refuses %s', (_label, value) => {
    const result = safeReturnTo(value);
    expect(staysOnApp(result)).toBe(true);
    expect(result).toBe(DEFAULT_RETURN_TO);
  });

  it.each([
    ['/dashboard', '/dashboard'],
    ['/team?page=2&q=ana', '/team?page=2&q=ana'],
    ['/orgs/org_acme/settings#members', '/orgs/org_acme/settings#members'],
    ['/team?q=a%26b#row-3', '/team?q=a%26b#row-3'],
    ['/team?q=a\\b', '/team?q=a\\b'],
    ['/search?next=%2Fdashboard', '/search?next=%2Fdashboard'],
    ['/team?q=Zoë', '/team?q=Zo%C3%AB'],
    ['/account/../dashboard', '/dashboard'],
    ['/team/./members', '/team/members'],
    ['/', '/'],
    ['/@me', '/@me'],
    ['/dashboard?redirect=https://evil.com', '/dashboard?redirect=https://evil.com'],
  ])('keeps the same-origin path %s as %s', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });

  it('uses the given fallback and ignores non-strings', () => {
    expect(safeReturnTo('//evil.com', '/orgs')).toBe('/orgs');
    expect(safeReturnTo(undefined)).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo(['/team'])).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo(42)).toBe(DEFAULT_RETURN_TO);
  });

  it('never returns anything that leaves the origin, for arbitrary input', () => {
    const piece = fc.constantFrom(
      '/',
      '//',
      '\\',
      '.',
      '..',
      '%2F',
      '%5C',
      '%25',
      '%09',
      '@',
      ':',
      '?',
      '#',
      'evil.com',
      'http:',
      '\t',
      ' ',
      'a',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
        ),
        (value) => {
          const result = safeReturnTo(value);
          expect(result.startsWith('/')).toBe(true);
          expect(result.startsWith('//')).toBe(false);
          expect(result.startsWith('/\\')).toBe(false);
          expect(staysOnApp(result)).toBe(true);
          // Normalised output is a fixed point: checking it again changes nothing.
          expect(safeReturnTo(result)).toBe(result);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
