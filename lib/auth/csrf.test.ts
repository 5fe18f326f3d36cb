import { describe, expect, it } from 'vitest';
import { csrfTokenMatches, csrfTokenWithKey, isSameOriginRequest, verifyCsrf } from '@/lib/auth/csrf';
import { deriveCsrfKey, deriveSessionCookieKey, KEY_INFO } from '@/lib/session/keys';

const SECRET = 'unit-test-session-secret-0123456789abcdefgh';
const APP = 'http://localhost:3000';

function post(headers: Record<string, string>) {
  return new Request(`${APP}/api/auth/logout`, { method: 'POST', headers });
}

describe('CSRF tokens', () => {
  it('are HMACs of the session id: stable per session, different across sessions and secrets', async () => {
    const key = await deriveCsrfKey(SECRET);
    const a = await csrfTokenWithKey('tgs_a', key);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await csrfTokenWithKey('tgs_a', key)).toBe(a);
    expect(await csrfTokenWithKey('tgs_b', key)).not.toBe(a);
    expect(await csrfTokenWithKey('tgs_a', await deriveCsrfKey(`${SECRET}x`))).not.toBe(a);
    expect(KEY_INFO.csrf).toBe('teamgate/csrf/v1');
  });

  it('match only the session they were made for, and only in their exact form', async () => {
    const key = await deriveCsrfKey(SECRET);
    const token = await csrfTokenWithKey('tgs_a', key);
    expect(await csrfTokenMatches(token, 'tgs_a', key)).toBe(true);
    expect(await csrfTokenMatches(token, 'tgs_b', key)).toBe(false);
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    for (const bad of [flipped, token.slice(1), `${token}=`, '', null, undefined, 42, token.toUpperCase()]) {
      expect(await csrfTokenMatches(bad, 'tgs_a', key)).toBe(false);
    }
  });

  it('cannot be confused with the session-cookie key (separate HKDF info)', async () => {
    const csrf = await deriveCsrfKey(SECRET);
    const cookie = await deriveSessionCookieKey(SECRET);
    const viaCookieKey = await crypto.subtle.sign('HMAC', cookie, new TextEncoder().encode('csrf:tgs_a'));
    const forged = Buffer.from(viaCookieKey).toString('base64url');
    expect(await csrfTokenMatches(forged, 'tgs_a', csrf)).toBe(false);
  });
});

describe('request provenance', () => {
  it('accepts same-origin browsers and header-less (non-browser) clients', () => {
    expect(isSameOriginRequest(post({ origin: APP, 'sec-fetch-site': 'same-origin' }), APP)).toBe(true);
    expect(isSameOriginRequest(post({}), APP)).toBe(true);
  });

  it('refuses cross-site and same-site-but-other-origin requests, and the opaque "null" origin', () => {
    expect(isSameOriginRequest(post({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), APP)).toBe(false);
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'same-site' }), APP)).toBe(false);
    expect(isSameOriginRequest(post({ origin: 'https://evil.example' }), APP)).toBe(false);
    expect(isSameOriginRequest(post({ origin: 'http://localhost:3001' }), APP)).toBe(false);
    expect(isSameOriginRequest(post({ origin: 'null' }), APP)).toBe(false);
  });

  it('verifyCsrf needs both a good token and acceptable provenance', async () => {
    process.env.SESSION_SECRET = SECRET;
    const { csrfTokenFor } = await import('@/lib/auth/csrf');
    const token = await csrfTokenFor('tgs_z');
    expect(await verifyCsrf(post({ 'x-csrf-token': token, origin: APP }), 'tgs_z')).toBe(true);
    expect(await verifyCsrf(post({ origin: APP }), 'tgs_z', token)).toBe(true);
    expect(await verifyCsrf(post({ origin: APP }), 'tgs_z')).toBe(false);
    expect(await verifyCsrf(post({ 'x-csrf-token': token, origin: 'https://evil.example' }), 'tgs_z')).toBe(false);
    expect(await verifyCsrf(post({ 'x-csrf-token': token }), 'tgs_other')).toBe(false);
  });
});
