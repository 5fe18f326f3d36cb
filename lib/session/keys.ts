/**
 * Purpose-bound keys derived from SESSION_SECRET.
 *
 * One operator secret feeds several cryptographic uses (cookie signatures, refresh-token
 * encryption, login-flow cookies). HKDF with a distinct `info` per use means a value made for
 * one purpose can never be accepted by another, and bumping the `/vN` suffix rotates one use
 * without touching the others. Web Crypto only, so the middleware (Edge runtime) can import it.
 */

import { getEnv } from '@/lib/env';

export const KEY_INFO = {
  sessionCookie: 'teamgate/session-cookie/v1',
  refreshToken: 'teamgate/refresh-token/v1',
  loginFlow: 'teamgate/login-flow/v1',
  csrf: 'teamgate/csrf/v1',
} as const;

export type KeyPurpose = keyof typeof KEY_INFO;

const encoder = new TextEncoder();
// A zero-length salt is what RFC 5869 prescribes when no independent random salt exists;
// SESSION_SECRET is already required to be high-entropy (≥ 32 chars, lib/env.ts).
const EMPTY_SALT = new Uint8Array(0);

/** 32 bytes of key material for one purpose. */
export async function deriveKeyBytes(secret: string, info: string): Promise<Uint8Array<ArrayBuffer>> {
  if (secret.length === 0) throw new Error('Cannot derive a key from an empty secret');
  const ikm = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: EMPTY_SALT, info: encoder.encode(info) }, ikm, 256);
  return new Uint8Array(bits);
}

/**
 * The session-cookie HMAC key as a non-extractable CryptoKey. Importing once matters: jose
 * re-imports a raw Uint8Array on every verify, which roughly doubles the cold check's cost.
 */
export async function deriveSessionCookieKey(secret: string): Promise<CryptoKey> {
  const bytes = await deriveKeyBytes(secret, KEY_INFO.sessionCookie);
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** The login-flow JWE key (dir + A256GCM takes the raw 32 bytes). */
export function deriveLoginFlowKey(secret: string): Promise<Uint8Array> {
  return deriveKeyBytes(secret, KEY_INFO.loginFlow);
}

/** The AES-256-GCM key for secrets stored in PostgreSQL (refresh and ID tokens). */
export function deriveRefreshTokenKey(secret: string): Promise<Uint8Array> {
  return deriveKeyBytes(secret, KEY_INFO.refreshToken);
}

/** The HMAC key CSRF tokens are derived with (lib/auth/csrf.ts). */
export async function deriveCsrfKey(secret: string): Promise<CryptoKey> {
  const bytes = await deriveKeyBytes(secret, KEY_INFO.csrf);
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

// Keys for the running app, derived once per process from the validated environment. Cached by
// secret so a test that swaps SESSION_SECRET gets fresh keys instead of stale ones.
const cache = new Map<string, Promise<unknown>>();

function cached<T>(purpose: KeyPurpose, secret: string, derive: (secret: string) => Promise<T>): Promise<T> {
  const id = `${purpose}\u0000${secret}`;
  let entry = cache.get(id) as Promise<T> | undefined;
  if (!entry) {
    entry = derive(secret);
    // A failed derivation must not be remembered, or one transient error would stick forever.
    entry.catch(() => cache.delete(id));
    cache.set(id, entry);
  }
  return entry;
}

function sessionSecret(): string {
  return getEnv().SESSION_SECRET;
}

export async function getSessionCookieKey(): Promise<CryptoKey> {
  return cached('sessionCookie', sessionSecret(), deriveSessionCookieKey);
}

export async function getLoginFlowKey(): Promise<Uint8Array> {
  return cached('loginFlow', sessionSecret(), deriveLoginFlowKey);
}

export async function getRefreshTokenKey(): Promise<Uint8Array> {
  return cached('refreshToken', sessionSecret(), deriveRefreshTokenKey);
}

export async function getCsrfKey(): Promise<CryptoKey> {
  return cached('csrf', sessionSecret(), deriveCsrfKey);
}
