/**
 * The session cookie: a small HS256 JWT that names a server-side Session row.
 *
 * It carries ids and the session's absolute expiry only. Access and refresh tokens stay in
 * PostgreSQL, so the cookie is a few hundred bytes (browsers silently drop cookies over 4 KB)
 * and never changes when the access token is refreshed — which is what lets server components,
 * which cannot set cookies, keep working across a refresh.
 *
 * Edge-safe: jose and Web Crypto only, because middleware.ts imports this module.
 */

import { errors, jwtVerify, SignJWT } from 'jose';
import { getEnv } from '@/lib/env';
import { getSessionCookieKey } from '@/lib/session/keys';

/** The name on plain-http local development, where browsers refuse __Host- cookies (no Secure). */
const LOCAL_SESSION_COOKIE_NAME = 'tg_session';

/**
 * The name on https. A browser keeps a __Host- cookie only when it is Secure, has Path=/ and no
 * Domain, so a sibling subdomain or a plain-http page can neither plant nor overwrite it
 * (cookie tossing, session fixation). The bare name is then never read: accepting it as a
 * fallback would let exactly such a planted cookie back in.
 */
const HOST_SESSION_COOKIE_NAME = '__Host-tg_session';

/** The session cookie's name for an APP_URL; every reader and writer goes through this. */
export function sessionCookieName(appUrl: string): string {
  return appUrl.startsWith('https://') ? HOST_SESSION_COOKIE_NAME : LOCAL_SESSION_COOKIE_NAME;
}

/** The session cookie's name for the running app's APP_URL. */
export function appSessionCookieName(): string {
  return sessionCookieName(getEnv().APP_URL);
}

/** Bumped when the claim layout or the signing key's HKDF info changes. */
export const SESSION_COOKIE_VERSION = 1;

/** Far larger than any cookie we issue (~250 chars); anything bigger is not ours. */
const MAX_TOKEN_LENGTH = 1024;
const MAX_ID_LENGTH = 255;

export interface SessionClaims {
  /** Our Session row id. */
  readonly sid: string;
  /** Scalekit user id. */
  readonly uid: string;
  /** Active organization id. */
  readonly oid: string;
  /** Absolute end of the session, seconds since the epoch. */
  readonly exp: number;
  readonly iat: number;
  readonly v: number;
}

export type SessionCheckFailure = 'missing' | 'malformed' | 'invalid' | 'expired';

export type SessionCheck =
  { readonly ok: true; readonly claims: SessionClaims } | { readonly ok: false; readonly reason: SessionCheckFailure };

export interface NewSessionCookie {
  sessionId: string;
  userId: string;
  organizationId: string;
  /** The Session row's absolute expiry. */
  expiresAt: Date;
}

export async function signSessionCookie(input: NewSessionCookie, key: CryptoKey | Uint8Array, now: Date = new Date()): Promise<string> {
  for (const [name, value] of [
    ['sessionId', input.sessionId],
    ['userId', input.userId],
    ['organizationId', input.organizationId],
  ] as const) {
    if (!isId(value)) throw new TypeError(`${name} must be a non-empty id of at most ${MAX_ID_LENGTH} characters`);
  }
  const exp = Math.floor(input.expiresAt.getTime() / 1000);
  const iat = Math.floor(now.getTime() / 1000);
  if (!Number.isFinite(exp) || exp <= iat) throw new RangeError('expiresAt must be in the future');
  return new SignJWT({ sid: input.sessionId, uid: input.userId, oid: input.organizationId, v: SESSION_COOKIE_VERSION })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
}

export interface SessionCookieVerifier {
  verify(token: string | undefined | null): Promise<SessionCheck>;
  /** Entries currently remembered (for tests and metrics). */
  readonly size: number;
}

export interface VerifierOptions {
  /** Upper bound on remembered tokens; oldest-used are evicted first. */
  maxEntries?: number;
  /** Milliseconds since the epoch; injectable so tests can move the clock. */
  now?: () => number;
}

/**
 * Signature + expiry check with an LRU of already-verified tokens.
 *
 * A browser sends the same cookie on every request, so after the first full jose verify the
 * exact token string maps to its payload and later requests cost a Map lookup. This does not
 * weaken anything the middleware promises:
 * - entries are added only after jose has verified the signature with this verifier's key, and
 *   the key is the exact token string, so a token that differs by one byte is a miss;
 * - every hit re-checks `exp` against the clock, so an expired session is refused as promptly
 *   as without the cache;
 * - revocation was never the middleware's job: a signed cookie stays valid until `exp` whether
 *   cached or not. The data-access layer (requireSession) re-reads the Session row on every
 *   request that touches data, and that is where revoked sessions and removed members stop.
 */
export function createSessionCookieVerifier(key: CryptoKey | Uint8Array, options: VerifierOptions = {}): SessionCookieVerifier {
  const maxEntries = options.maxEntries ?? 5_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new RangeError('maxEntries must be a non-negative integer');
  const now = options.now ?? Date.now;
  // Map iteration order is insertion order: re-inserting on a hit makes the first key the
  // least recently used one.
  const verified = new Map<string, SessionClaims>();

  async function verify(token: string | undefined | null): Promise<SessionCheck> {
    if (!token) return MISSING;
    const nowSeconds = Math.floor(now() / 1000);

    const hit = verified.get(token);
    if (hit !== undefined) {
      verified.delete(token);
      if (hit.exp <= nowSeconds) return EXPIRED;
      verified.set(token, hit);
      return { ok: true, claims: hit };
    }

    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return MALFORMED;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat'],
        currentDate: new Date(nowSeconds * 1000),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return EXPIRED;
      if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return MALFORMED;
      return INVALID;
    }
    const claims = toClaims(payload);
    if (!claims) return INVALID;

    if (maxEntries > 0) {
      if (verified.size >= maxEntries) {
        const oldest = verified.keys().next().value;
        if (oldest !== undefined) verified.delete(oldest);
      }
      verified.set(token, claims);
    }
    return { ok: true, claims };
  }

  return {
    verify,
    get size() {
      return verified.size;
    },
  };
}

// Three base64url segments; cheap to test and keeps garbage away from the JSON parser.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const MISSING: SessionCheck = Object.freeze({ ok: false, reason: 'missing' });
const MALFORMED: SessionCheck = Object.freeze({ ok: false, reason: 'malformed' });
const INVALID: SessionCheck = Object.freeze({ ok: false, reason: 'invalid' });
const EXPIRED: SessionCheck = Object.freeze({ ok: false, reason: 'expired' });

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function toClaims(payload: Record<string, unknown>): SessionClaims | undefined {
  const { sid, uid, oid, exp, iat, v } = payload;
  if (v !== SESSION_COOKIE_VERSION) return undefined;
  if (!isId(sid) || !isId(uid) || !isId(oid)) return undefined;
  if (typeof exp !== 'number' || typeof iat !== 'number') return undefined;
  // Frozen because the same object is handed to every request that hits the cache.
  return Object.freeze({ sid, uid, oid, exp, iat, v });
}

/** APP_URLs on which the browser accepts cookies without Secure (plain-http local dev). */
export function isLocalDevOrigin(appUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]');
}

/** Attribute set accepted by NextResponse.cookies.set(name, value, options). */
export interface CookieAttributes {
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: string;
  maxAge: number;
}

/**
 * SameSite=Lax, not Strict: Strict withholds the cookie on the top-level navigation back from
 * the identity provider, so the first page after login would look signed out. Never a Domain
 * (host-only), and Path=/: the __Host- name on https requires both, and Secure, which every
 * https APP_URL gets.
 */
export function sessionCookieAttributes(appUrl: string, expiresAt: Date, now: Date = new Date()): CookieAttributes {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: !isLocalDevOrigin(appUrl),
    path: '/',
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  };
}

/** Same name, path and flags as the live cookie, so browsers replace (delete) it. */
export function clearedSessionCookieAttributes(appUrl: string): CookieAttributes {
  return { httpOnly: true, sameSite: 'lax', secure: !isLocalDevOrigin(appUrl), path: '/', maxAge: 0 };
}

let appVerifier: { key: CryptoKey; verifier: SessionCookieVerifier } | undefined;

/** The process-wide verifier for the running app (one LRU shared by all requests). */
export async function getSessionCookieVerifier(): Promise<SessionCookieVerifier> {
  const key = await getSessionCookieKey();
  if (appVerifier?.key !== key) appVerifier = { key, verifier: createSessionCookieVerifier(key) };
  return appVerifier.verifier;
}

/** Sign a cookie for the running app with the key derived from SESSION_SECRET. */
export async function signAppSessionCookie(input: NewSessionCookie, now?: Date): Promise<string> {
  return signSessionCookie(input, await getSessionCookieKey(), now);
}

/** Cookie attributes for the running app's APP_URL. */
export function appSessionCookieAttributes(expiresAt: Date, now?: Date): CookieAttributes {
  return sessionCookieAttributes(getEnv().APP_URL, expiresAt, now);
}

/** One cookie's value from a Cookie header (no decoding: our cookie values are base64url). */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}
