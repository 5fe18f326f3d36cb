/**
 * CSRF protection for route handlers that change data with a cookie session.
 *
 * SameSite=Lax already keeps the session cookie off cross-site POSTs from modern browsers, but
 * not off same-site ones (a sibling subdomain) nor off older browsers, so route handlers add two
 * independent checks:
 * - a token bound to the session: HMAC-SHA256 of the session id under a key derived from
 *   SESSION_SECRET (HKDF info "teamgate/csrf/v1"). Stateless, nothing stored, and useless once
 *   the session ends or for anyone who cannot read our pages (the token is only ever rendered
 *   into our own HTML). Sent as the `x-csrf-token` header (fetch) or `csrf_token` form field;
 * - the browser's own provenance headers: a cross-site `Sec-Fetch-Site` or a foreign `Origin` is
 *   refused even with a valid token.
 *
 * Server actions need none of this (Next.js compares Origin with Host for them). Web Crypto
 * only, so any runtime can import it.
 */

import { getEnv } from '@/lib/env';
import { getCsrfKey } from '@/lib/session/keys';
import { AppError } from '@/lib/errors/app-error';
import { problemJson } from '@/lib/errors/respond';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FORM_FIELD = 'csrf_token';

const encoder = new TextEncoder();
// 32-byte HMAC, base64url without padding.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// A label in the MAC input keeps this token from ever equalling some other HMAC of the same id.
function macInput(sessionId: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`csrf:${sessionId}`);
}

export async function csrfTokenWithKey(sessionId: string, key: CryptoKey): Promise<string> {
  if (!sessionId) throw new TypeError('sessionId is required');
  return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, macInput(sessionId))));
}

/** The CSRF token for a session, for a `<meta name="csrf-token">` or a hidden form field. */
export async function csrfTokenFor(sessionId: string): Promise<string> {
  return csrfTokenWithKey(sessionId, await getCsrfKey());
}

/** crypto.subtle.verify compares in constant time, so the token check leaks no timing. */
export async function csrfTokenMatches(token: unknown, sessionId: string, key: CryptoKey): Promise<boolean> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token) || !sessionId) return false;
  return crypto.subtle.verify('HMAC', key, fromBase64url(token), macInput(sessionId));
}

/**
 * Is this request's provenance acceptable? `Sec-Fetch-Site` (all current browsers) must be
 * same-origin when present; `Origin` (sent on every cross-origin and every POST from modern
 * browsers) must be the app's own origin when present. Non-browser clients send neither and
 * rely on the token alone.
 */
export function isSameOriginRequest(request: Request, appUrl: string = getEnv().APP_URL): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return false;
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  // Browsers send the literal "null" from sandboxed frames and some redirects: never ours.
  if (origin === 'null') return false;
  const allowed = new Set<string>([new URL(appUrl).origin]);
  try {
    // The origin the request was actually addressed to (Host header), for deployments reached
    // under a second name; a cross-site page cannot make the browser lie about either header.
    allowed.add(new URL(request.url).origin);
  } catch {
    // A relative or odd request URL only narrows the allowed set.
  }
  return allowed.has(origin);
}

/**
 * True when the request comes from our own pages for this session. Pass `formToken` when the
 * handler has already parsed a form body (this function never consumes the body); otherwise the
 * `x-csrf-token` header is used.
 */
export async function verifyCsrf(request: Request, sessionId: string, formToken?: string | null): Promise<boolean> {
  if (!isSameOriginRequest(request)) return false;
  const token = formToken ?? request.headers.get(CSRF_HEADER);
  return csrfTokenMatches(token, sessionId, await getCsrfKey());
}

/** The standard refusal for a failed check (JSON, like the rest of the API's errors). */
export function csrfRejectedResponse(): Response {
  return problemJson(new AppError('csrf_failed'));
}
