/**
 * Per-login-attempt secrets: OAuth state, OIDC nonce and the PKCE verifier.
 *
 * They travel to the callback in a short-lived cookie encrypted with jose (compact JWE, dir +
 * A256GCM), not in a server table: nothing to clean up, and the browser that started the flow
 * is the only one that can finish it (login CSRF and code injection need that binding).
 * The cookie name includes a prefix of the state, so two tabs logging in at the same time each
 * keep their own flow instead of the second overwriting the first.
 */

import { compactDecrypt, CompactEncrypt } from 'jose';
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { isLocalDevOrigin } from '@/lib/session/cookie';
import { getLoginFlowKey } from '@/lib/session/keys';
import { safeReturnTo } from '@/lib/auth/return-to';

export const LOGIN_FLOW_COOKIE_PREFIX = 'tg_flow_';
export const LOGIN_FLOW_MAX_AGE_SECONDS = 600;
/** Only the auth route handlers need the flow cookie; keep it off every other request. */
export const LOGIN_FLOW_COOKIE_PATH = '/api/auth';
/** Tolerated clock difference between app instances for createdAt in the future. */
const CLOCK_SKEW_MS = 60_000;

// 32 random bytes, base64url without padding.
const RANDOM_VALUE = /^[A-Za-z0-9_-]{43}$/;

export const loginIntentSchema = z.enum(['login', 'invite']);
export type LoginIntent = z.infer<typeof loginIntentSchema>;

const loginFlowSchema = z.object({
  state: z.string().regex(RANDOM_VALUE),
  nonce: z.string().regex(RANDOM_VALUE),
  codeVerifier: z.string().regex(RANDOM_VALUE),
  returnTo: z.string(),
  intent: loginIntentSchema,
  organizationId: z.string().min(1).max(255).optional(),
  loginHint: z.string().min(1).max(320).optional(),
  createdAt: z.number().int(),
});

export type LoginFlow = z.infer<typeof loginFlowSchema>;

export interface StartedLoginFlow {
  flow: LoginFlow;
  /** S256 challenge for getAuthorizationUrl's code_challenge. */
  codeChallenge: string;
}

export interface LoginFlowInput {
  returnTo?: unknown;
  intent?: LoginIntent;
  organizationId?: string;
  loginHint?: string;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** RFC 7636 S256: BASE64URL(SHA-256(ASCII(code_verifier))). */
export async function pkceChallengeS256(codeVerifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64url(new Uint8Array(digest));
}

export async function startLoginFlow(input: LoginFlowInput = {}, now: number = Date.now()): Promise<StartedLoginFlow> {
  const flow = loginFlowSchema.parse({
    state: randomToken(),
    nonce: randomToken(),
    codeVerifier: randomToken(),
    // Validated here as well as at the redirect: the cookie must never carry a hostile value.
    returnTo: safeReturnTo(input.returnTo),
    intent: input.intent ?? 'login',
    organizationId: input.organizationId || undefined,
    loginHint: input.loginHint || undefined,
    createdAt: now,
  });
  return { flow, codeChallenge: await pkceChallengeS256(flow.codeVerifier) };
}

/** `tg_flow_<first 12 chars of state>`; undefined when `state` cannot be one of ours. */
export function loginFlowCookieName(state: unknown): string | undefined {
  if (typeof state !== 'string' || !RANDOM_VALUE.test(state)) return undefined;
  return LOGIN_FLOW_COOKIE_PREFIX + state.slice(0, 12);
}

export function loginFlowCookieAttributes(appUrl: string) {
  return {
    httpOnly: true as const,
    sameSite: 'lax' as const,
    secure: !isLocalDevOrigin(appUrl),
    path: LOGIN_FLOW_COOKIE_PATH,
    maxAge: LOGIN_FLOW_MAX_AGE_SECONDS,
  };
}

/** Same name and path with Max-Age 0: the flow is single-use, clear it once read. */
export function clearedLoginFlowCookieAttributes(appUrl: string) {
  return { ...loginFlowCookieAttributes(appUrl), maxAge: 0 };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function sealLoginFlow(flow: LoginFlow, key: Uint8Array): Promise<string> {
  const checked = loginFlowSchema.parse(flow);
  return new CompactEncrypt(encoder.encode(JSON.stringify(checked))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
}

export type OpenedLoginFlow = { ok: true; flow: LoginFlow } | { ok: false; reason: 'missing' | 'malformed' | 'state_mismatch' | 'expired' };

/**
 * Decrypts the flow cookie and checks it belongs to this callback: the `state` from the query
 * must equal the sealed one (so the cookie name prefix alone proves nothing), and the flow must
 * be at most 10 minutes old.
 */
export async function openLoginFlow(
  sealed: string | undefined,
  expectedState: unknown,
  key: Uint8Array,
  now: number = Date.now(),
): Promise<OpenedLoginFlow> {
  if (!sealed) return { ok: false, reason: 'missing' };
  if (typeof expectedState !== 'string' || !RANDOM_VALUE.test(expectedState)) return { ok: false, reason: 'state_mismatch' };
  let flow: LoginFlow;
  try {
    const { plaintext } = await compactDecrypt(sealed, key, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    const parsed = loginFlowSchema.safeParse(JSON.parse(decoder.decode(plaintext)));
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    flow = parsed.data;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!constantTimeEqual(flow.state, expectedState)) return { ok: false, reason: 'state_mismatch' };
  const age = now - flow.createdAt;
  if (age > LOGIN_FLOW_MAX_AGE_SECONDS * 1000 || age < -CLOCK_SKEW_MS) return { ok: false, reason: 'expired' };
  return { ok: true, flow };
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Seal with the running app's key (HKDF of SESSION_SECRET). */
export async function sealAppLoginFlow(flow: LoginFlow): Promise<string> {
  return sealLoginFlow(flow, await getLoginFlowKey());
}

export async function openAppLoginFlow(sealed: string | undefined, expectedState: unknown, now?: number): Promise<OpenedLoginFlow> {
  return openLoginFlow(sealed, expectedState, await getLoginFlowKey(), now);
}

export function appLoginFlowCookieAttributes() {
  return loginFlowCookieAttributes(getEnv().APP_URL);
}
