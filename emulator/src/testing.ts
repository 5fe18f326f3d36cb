import type { EmailRecord } from './state.js';
import { createHash, randomBytes } from 'node:crypto';
import { ScalekitClient } from '@scalekit-sdk/node';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createEmulator, type Emulator, type EmulatorOptions } from './index.js';

// Helpers for the emulator's own tests: they drive it only from outside —
// the real SDK, plain HTTP (fetch) and, in browser.test.ts, Chromium.

export const CLIENT_ID = 'skc_teamgate_dev';
export const CLIENT_SECRET = 'sks_teamgate_dev_only_not_a_real_secret';
export const WEBHOOK_SECRET = 'whsec_dGVhbWdhdGUtZGV2LXdlYmhvb2stc2VjcmV0LW5vdC1yZWFs';
export const REDIRECT_URI = 'http://localhost:3000/api/auth/callback';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return createEmulator({ port: 0, ...options });
}

/**
 * One emulator for the whole test file, back to its seed before each test (so tests do not see
 * each other's writes). Registers the Vitest hooks; the returned handle reads the running
 * emulator, so it can be passed to sdk(), emailsTo() etc. inside tests.
 */
export function useEmulator(options: EmulatorOptions = {}): Emulator {
  let running: Emulator | undefined;
  const current = () => {
    if (!running) throw new Error('useEmulator: the emulator starts in beforeAll; read it inside a test or hook');
    return running;
  };
  beforeAll(async () => {
    running = await startEmulator(options);
  });
  afterAll(() => running?.close());
  beforeEach(() => current().reset());
  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    get idpUrl() {
      return current().idpUrl;
    },
    reset: () => current().reset(),
    close: () => current().close(),
  };
}

/** An emulator for one part of a test (e.g. one run of a restart), closed afterwards even when that part fails. */
export async function withEmulator<T>(options: EmulatorOptions, use: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await use(emulator);
  } finally {
    await emulator.close();
  }
}

export function sdk(emulator: Emulator, options: { timeoutMs?: number; secret?: string } = {}): ScalekitClient {
  return new ScalekitClient(
    emulator.url,
    CLIENT_ID,
    options.secret ?? CLIENT_SECRET,
    options.timeoutMs ? { timeoutMs: options.timeoutMs } : undefined,
  );
}

/** What GET /_emulator/emails returns for each message. */
export type Email = EmailRecord;

export async function emailsTo(emulator: Emulator, to: string): Promise<Email[]> {
  const res = await fetch(`${emulator.url}/_emulator/emails?to=${encodeURIComponent(to)}`);
  return (await res.json()) as Email[];
}

/**
 * POSTs JSON and returns the status and the parsed body (the raw text if it is
 * not JSON). `T` is what the caller expects the body to be; it is not checked.
 */
export async function postJson<T = unknown>(url: string, body: unknown, method = 'POST'): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T };
}

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A browser-ish HTTP client for the hosted pages: keeps cookies, never follows redirects by itself. */
export class PageClient {
  private cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async request(path: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const url = new URL(path, this.base);
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }
}

export function authorizeUrl(emulator: Emulator, params: Record<string, string | undefined> = {}): string {
  const client = sdk(emulator);
  const { redirectUri = REDIRECT_URI, ...rest } = params;
  const url = new URL(
    client.getAuthorizationUrl(redirectUri, {
      state: rest.state ?? 'st-123',
      nonce: rest.nonce,
      loginHint: rest.login_hint,
      organizationId: rest.organization_id,
      codeChallenge: rest.code_challenge,
      codeChallengeMethod: rest.code_challenge_method,
      provider: rest.provider,
      prompt: rest.prompt,
      connectionId: rest.connection_id,
      domainHint: rest.domain_hint,
      scopes: (rest.scope ?? 'openid profile email offline_access').split(' '),
    }),
  );
  return url.pathname + url.search;
}

export const flowOf = (location: string | null) => new URL(location!, 'http://x').searchParams.get('flow')!;

/**
 * Signs in through the hosted email-code pages and returns where the browser
 * was finally sent (the app callback with ?code=…, or an org picker/error page).
 */
export async function signInWithCode(
  emulator: Emulator,
  email: string,
  params: Record<string, string | undefined> = {},
  pages = new PageClient(emulator.url),
) {
  const start = await pages.request(authorizeUrl(emulator, params));
  if (start.status !== 303 || !/^\/(login|signup)\?/.test(start.location ?? '')) return { pages, step: 'authorize', ...start };
  const flow = flowOf(start.location);
  const action = start.location!.startsWith('/signup') ? '/signup' : '/login';
  const submitted = await pages.request(action, { form: { flow, email } });
  if (submitted.status !== 303) return { pages, step: 'email', ...submitted };
  const [latest] = await emailsTo(emulator, email);
  const verified = await pages.request('/login/verify', { form: { flow, code: latest!.code! } });
  return { pages, step: 'verify', flow, ...verified };
}

export function callbackParams(location: string | null): URLSearchParams {
  return new URL(location!).searchParams;
}

/** What POST /oauth/token answers: a token response, or an OAuth error (RFC 6749 §5.2). */
export interface TokenEndpointBody {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

/** POSTs a form to /oauth/token as a client would (no client credentials unless given in `form` or `headers`). */
export async function tokenRequest(
  emulator: Emulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: TokenEndpointBody }> {
  const res = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as TokenEndpointBody };
}
