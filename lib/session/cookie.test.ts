import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import { NextResponse } from 'next/server';
import {
  clearedSessionCookieAttributes,
  createSessionCookieVerifier,
  isLocalDevOrigin,
  readCookie,
  sessionCookieAttributes,
  sessionCookieName,
  signSessionCookie,
  type NewSessionCookie,
} from '@/lib/session/cookie';
import { deriveKeyBytes, deriveSessionCookieKey, KEY_INFO } from '@/lib/session/keys';

const SECRET = 'cookie-test-secret-0123456789abcdef-0123456789';
const key = await deriveSessionCookieKey(SECRET);
const otherKey = await deriveSessionCookieKey(`${SECRET}-other`);
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const DAY = 86_400_000;

function session(overrides: Partial<NewSessionCookie> = {}): NewSessionCookie {
  return {
    sessionId: 'cmb9x2k3l0000abcd1234efgh',
    userId: 'usr_01HZX4Y5Z6A7B8C9D0E1F2G3H4',
    organizationId: 'org_acme',
    expiresAt: new Date(T0 + 30 * DAY),
    ...overrides,
  };
}

function clockAt(ms: number) {
  let now = ms;
  return { now: () => now, set: (value: number) => (now = value) };
}

/** Counts real HMAC verifications, to tell a cache hit from a full jose verify. */
function countHmacVerifies() {
  return vi.spyOn(crypto.subtle, 'verify');
}

afterEach(() => vi.restoreAllMocks());

describe('session cookie', () => {
  it('round-trips exactly the ids, expiry, iat and version, and stays small', async () => {
    const token = await signSessionCookie(session(), key, new Date(T0));
    const clock = clockAt(T0 + 1000);
    const check = await createSessionCookieVerifier(key, { now: clock.now }).verify(token);
    expect(check).toEqual({
      ok: true,
      claims: {
        sid: 'cmb9x2k3l0000abcd1234efgh',
        uid: 'usr_01HZX4Y5Z6A7B8C9D0E1F2G3H4',
        oid: 'org_acme',
        exp: (T0 + 30 * DAY) / 1000,
        iat: T0 / 1000,
        v: 1,
      },
    });
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(token.length).toBeLessThan(400);
  });

  it('refuses a token whose payload was edited', async () => {
    const token = await signSessionCookie(session(), key, new Date(T0));
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.oid = 'org_other';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const verifier = createSessionCookieVerifier(key, { now: () => T0 });
    expect(await verifier.verify(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifier.size).toBe(0);
  });

  it('refuses a token signed with another key, even one derived from the same secret for another purpose', async () => {
    const verifier = createSessionCookieVerifier(key, { now: () => T0 });
    expect(await verifier.verify(await signSessionCookie(session(), otherKey, new Date(T0)))).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    const loginFlowBytes = await deriveKeyBytes(SECRET, KEY_INFO.loginFlow);
    expect(await verifier.verify(await signSessionCookie(session(), loginFlowBytes, new Date(T0)))).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses alg: none and other HMAC algorithms', async () => {
    const verifier = createSessionCookieVerifier(key, { now: () => T0 });
    const claims = { sid: 's', uid: 'u', oid: 'o', v: 1 };
    const none = new UnsecuredJWT(claims)
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 3600)
      .encode();
    expect((await verifier.verify(none)).ok).toBe(false);
    // Same payload with a forged "signature" segment so it passes the shape check.
    expect((await verifier.verify(`${none}AAAA`)).ok).toBe(false);
    const raw = await deriveKeyBytes(SECRET, KEY_INFO.sessionCookie);
    const hs512 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 3600)
      .sign(raw);
    expect(await verifier.verify(hs512)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifier.size).toBe(0);
  });

  it('refuses a validly signed token with a wrong version or wrong claim types', async () => {
    const raw = await deriveKeyBytes(SECRET, KEY_INFO.sessionCookie);
    const verifier = createSessionCookieVerifier(key, { now: () => T0 });
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(T0 / 1000)
        .setExpirationTime(T0 / 1000 + 3600)
        .sign(raw);
    expect(await verifier.verify(await sign({ sid: 's', uid: 'u', oid: 'o', v: 2 }))).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifier.verify(await sign({ sid: 's', uid: 'u', oid: 'o' }))).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifier.verify(await sign({ sid: 7, uid: 'u', oid: 'o', v: 1 }))).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifier.verify(await sign({ sid: 's', uid: '', oid: 'o', v: 1 }))).toEqual({ ok: false, reason: 'invalid' });
    const noExp = await new SignJWT({ sid: 's', uid: 'u', oid: 'o', v: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(T0 / 1000)
      .sign(raw);
    expect((await verifier.verify(noExp)).ok).toBe(false);
  });

  it('classifies missing, malformed and oversized cookies without calling jose', async () => {
    const spy = countHmacVerifies();
    const verifier = createSessionCookieVerifier(key, { now: () => T0 });
    expect(await verifier.verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(await verifier.verify('')).toEqual({ ok: false, reason: 'missing' });
    expect(await verifier.verify('not-a-jwt')).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifier.verify('a.b.c d')).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifier.verify(`${'a'.repeat(600)}.${'b'.repeat(600)}.c`)).toEqual({ ok: false, reason: 'malformed' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('refuses an expired token, on first sight and from the cache', async () => {
    const expiresAt = new Date(T0 + 60_000);
    const token = await signSessionCookie(session({ expiresAt }), key, new Date(T0));
    expect(await createSessionCookieVerifier(key, { now: () => T0 + 60_000 }).verify(token)).toEqual({ ok: false, reason: 'expired' });

    const clock = clockAt(T0);
    const verifier = createSessionCookieVerifier(key, { now: clock.now });
    expect((await verifier.verify(token)).ok).toBe(true);
    expect(verifier.size).toBe(1);
    clock.set(T0 + 59_999);
    expect((await verifier.verify(token)).ok).toBe(true);
    clock.set(T0 + 60_000);
    expect(await verifier.verify(token)).toEqual({ ok: false, reason: 'expired' });
    expect(verifier.size).toBe(0);
  });

  it('verifies a token with jose once, then answers repeats from the cache', async () => {
    const token = await signSessionCookie(session(), key, new Date(T0));
    const verifier = createSessionCookieVerifier(key, { now: () => T0 });
    const spy = countHmacVerifies();
    const first = await verifier.verify(token);
    expect(spy).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) expect(await verifier.verify(token)).toEqual(first);
    expect(spy).toHaveBeenCalledTimes(1);
    // A copy of the string (as a new request would carry) is still a hit.
    expect((await verifier.verify(Buffer.from(token).toString())).ok).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    // Cached claims are shared, so they must not be editable by a caller.
    if (first.ok) expect(Object.isFrozen(first.claims)).toBe(true);
  });

  it('evicts the least recently used token when full', async () => {
    const tokens = await Promise.all(
      ['a', 'b', 'c'].map((id) => signSessionCookie(session({ sessionId: `sess_${id}` }), key, new Date(T0))),
    );
    const [a, b, c] = tokens as [string, string, string];
    const verifier = createSessionCookieVerifier(key, { maxEntries: 2, now: () => T0 });
    await verifier.verify(a);
    await verifier.verify(b);
    await verifier.verify(a); // a is now the most recent
    await verifier.verify(c); // evicts b
    expect(verifier.size).toBe(2);
    const spy = countHmacVerifies();
    await verifier.verify(a);
    await verifier.verify(c);
    expect(spy).toHaveBeenCalledTimes(0);
    await verifier.verify(b);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('never lets a cached entry from one key answer for another key', async () => {
    const token = await signSessionCookie(session(), key, new Date(T0));
    expect((await createSessionCookieVerifier(key, { now: () => T0 }).verify(token)).ok).toBe(true);
    expect((await createSessionCookieVerifier(otherKey, { now: () => T0 }).verify(token)).ok).toBe(false);
  });

  it('refuses to sign a cookie that is already expired or lacks an id', async () => {
    await expect(signSessionCookie(session({ expiresAt: new Date(T0) }), key, new Date(T0))).rejects.toThrow(/future/);
    await expect(signSessionCookie(session({ userId: '' }), key, new Date(T0))).rejects.toThrow(/userId/);
  });
});

describe('session cookie attributes', () => {
  it('omits Secure only for plain-http localhost development', () => {
    expect(isLocalDevOrigin('http://localhost:3000')).toBe(true);
    expect(isLocalDevOrigin('http://127.0.0.1:3100')).toBe(true);
    expect(isLocalDevOrigin('https://localhost:3000')).toBe(false);
    expect(isLocalDevOrigin('http://localhost.evil.com')).toBe(false);
    expect(isLocalDevOrigin('http://app.example.com')).toBe(false);
    expect(isLocalDevOrigin('not a url')).toBe(false);
  });

  it('is HttpOnly, SameSite=Lax, Path=/ and lives until the session ends', () => {
    const now = new Date(T0);
    expect(sessionCookieAttributes('https://app.example.com', new Date(T0 + DAY), now)).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/',
      maxAge: 86_400,
    });
    expect(sessionCookieAttributes('http://localhost:3000', new Date(T0 + DAY), now).secure).toBe(false);
    expect(clearedSessionCookieAttributes('https://app.example.com')).toMatchObject({ path: '/', maxAge: 0, secure: true });
  });

  it('cookieName_hostPrefix: on https the cookie is __Host-tg_session with Secure, Path=/ and no Domain; http localhost keeps tg_session', () => {
    /** The Set-Cookie header Next.js writes for these attributes, as the browser receives it. */
    const setCookie = (appUrl: string, cleared = false) => {
      const response = NextResponse.next();
      const attributes = cleared ? clearedSessionCookieAttributes(appUrl) : sessionCookieAttributes(appUrl, new Date(Date.now() + DAY));
      response.cookies.set(sessionCookieName(appUrl), cleared ? '' : 'a.b.c', attributes);
      return response.headers.getSetCookie();
    };
    for (const appUrl of ['https://app.example.com', 'https://teams.example.com:8443']) {
      expect(sessionCookieName(appUrl)).toBe('__Host-tg_session');
      for (const cleared of [false, true]) {
        const [cookie, ...others] = setCookie(appUrl, cleared);
        expect(others).toEqual([]);
        // What a browser demands before it keeps a __Host- cookie (RFC 6265bis §4.1.3.2).
        expect(cookie).toMatch(/^__Host-tg_session=/);
        expect(cookie).toMatch(/; Secure/i);
        expect(cookie).toMatch(/; Path=\/(;|$)/);
        expect(cookie).not.toMatch(/Domain=/i);
        expect(cookie).toMatch(/; HttpOnly/i);
        expect(cookie).toMatch(/; SameSite=lax/i);
      }
    }
    for (const appUrl of ['http://localhost:3000', 'http://127.0.0.1:3100']) {
      expect(sessionCookieName(appUrl)).toBe('tg_session');
      const [cookie] = setCookie(appUrl);
      expect(cookie).toMatch(/^tg_session=a\.b\.c; /);
      expect(cookie).not.toMatch(/Secure|Domain=/i);
      expect(cookie).toMatch(/; Path=\/(;|$)/);
    }
  });
});

describe('readCookie', () => {
  it('finds one cookie by exact name among others, trimming the spaces browsers put after ";"', () => {
    const header = 'other=1; __Host-tg_session=abc.def-ghi; tg_session_x=nope';
    expect(readCookie(header, '__Host-tg_session')).toBe('abc.def-ghi');
    expect(readCookie(header, 'tg_session')).toBeUndefined();
    expect(readCookie('a=b=c', 'a')).toBe('b=c');
    expect(readCookie(null, 'a')).toBeUndefined();
    expect(readCookie('junk; ; a', 'a')).toBeUndefined();
  });
});
