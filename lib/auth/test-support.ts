/**
 * Integration-test stack for the auth modules: a fresh PostgreSQL database (test/ harness) with
 * the demo seed, and a real emulator on a free port that the real SDK talks to. Imported by
 * *.int.test.ts only, never by app code.
 */

import { afterAll } from 'vitest';
import { createEmulator, type Emulator, type EnvironmentSettings } from '@/emulator/src/index';
import { emailsTo, PageClient } from '@/emulator/src/testing';
import type { ScalekitClient } from '@scalekit-sdk/node';
import { beginLogin, type BeginLoginDeps, type LoginRequest } from '@/lib/auth/login';
import { completeLogin, type CallbackDeps, type CallbackResult } from '@/lib/auth/callback';
import { getEnv } from '@/lib/env';
import { getScalekit } from '@/lib/scalekit/client';
import { getLoginFlowKey } from '@/lib/session/keys';
import { signAppSessionCookie } from '@/lib/session/cookie';
import { createSession } from '@/lib/session/store';
import { loadSessionContext } from '@/lib/auth/guards';
import { readDemoSeed, seedDemoData } from '@/prisma/seed';
import { useTestDatabase, type TestDatabase } from '@/test/database';

/** Registered as a redirect URI in the demo seed, so no appUrl rewriting is needed. */
export const TEST_APP_URL = 'http://localhost:3000';

export interface AuthStack {
  db: TestDatabase;
  emulator: Emulator;
  deps(): Promise<CallbackDeps & BeginLoginDeps & { scalekit: ScalekitClient }>;
}

export async function startAuthStack(environment: Partial<EnvironmentSettings> = {}): Promise<AuthStack> {
  const db = await useTestDatabase();
  await seedDemoData(db.prisma, readDemoSeed());
  const emulator = await createEmulator({ port: 0, environment });
  // Before the first getEnv()/getScalekit() of this test file: both are memoised.
  process.env.SCALEKIT_ENVIRONMENT_URL = emulator.url;
  process.env.APP_URL = TEST_APP_URL;
  (globalThis as { teamgateScalekit?: unknown }).teamgateScalekit = undefined;
  afterAll(async () => {
    (globalThis as { teamgateScalekit?: unknown }).teamgateScalekit = undefined;
    await emulator.close();
  });
  return authStackFor(db, emulator);
}

/** The auth helpers below, over a database and an emulator some other test stack started. */
export function authStackFor(db: TestDatabase, emulator: Emulator): AuthStack {
  return {
    db,
    emulator,
    async deps() {
      const env = getEnv();
      return {
        scalekit: getScalekit(),
        appUrl: env.APP_URL,
        issuer: env.SCALEKIT_ENVIRONMENT_URL,
        clientId: env.SCALEKIT_CLIENT_ID,
        flowKey: await getLoginFlowKey(),
      };
    },
  };
}

export interface BrowserLogin {
  /** The callback query Scalekit sent the browser back with (code + state, or error). */
  callback: URLSearchParams;
  flowCookieName: string;
  flowCookie: string;
}

/**
 * Drives the hosted pages like a browser: authorize → email → code from the mailbox (or the
 * organization's SSO page) → (organization picker) → the redirect to our callback. Returns what the browser would bring to
 * /api/auth/callback, without calling it.
 */
export async function signInAtEmulator(
  stack: AuthStack,
  email: string,
  request: Partial<LoginRequest> = {},
  options: { pickOrganization?: string; pages?: PageClient } = {},
): Promise<BrowserLogin> {
  const deps = await stack.deps();
  const begun = await beginLogin({ intent: 'login', sso: false, ...request }, deps);
  const pages = options.pages ?? new PageClient(stack.emulator.url);
  const url = new URL(begun.authorizeUrl);
  let step = await pages.request(url.pathname + url.search);
  if (step.status === 303 && /^\/(login|signup)\?/.test(step.location ?? '')) {
    const flow = new URL(step.location!, stack.emulator.url).searchParams.get('flow')!;
    const action = step.location!.startsWith('/signup') ? '/signup' : '/login';
    const submitted = await pages.request(action, { form: { flow, email } });
    if (submitted.status !== 303) throw new Error(`email step refused (${submitted.status}): ${submitted.html.slice(0, 300)}`);
    const [latest] = await emailsTo(stack.emulator, email);
    step = await pages.request('/login/verify', { form: { flow, code: latest!.code! } });
  }
  if (step.location?.startsWith('/login/sso?')) {
    // The organization's emulated IdP (same origin: these stacks run without idpPort).
    const sso = new URL(step.location, stack.emulator.url).searchParams;
    step = await pages.request('/login/sso', { form: { flow: sso.get('flow')!, connection_id: sso.get('connection_id')!, email } });
  }
  if (step.location?.startsWith('/login/organization')) {
    const flow = new URL(step.location, stack.emulator.url).searchParams.get('flow')!;
    if (!options.pickOrganization) throw new Error('the organization picker appeared; pass pickOrganization');
    step = await pages.request('/login/organization', { form: { flow, organization_id: options.pickOrganization } });
  }
  if (!step.location?.startsWith(`${TEST_APP_URL}/api/auth/callback`)) {
    throw new Error(`expected a redirect to the callback, got ${step.status} ${step.location ?? step.html.slice(0, 300)}`);
  }
  return {
    callback: new URL(step.location).searchParams,
    flowCookieName: begun.flowCookie.name,
    flowCookie: begun.flowCookie.value,
  };
}

/** The callback as our route runs it, with the browser's flow cookie. */
export async function finishLogin(stack: AuthStack, login: BrowserLogin, overrides: Partial<CallbackDeps> = {}): Promise<CallbackResult> {
  return completeLogin(
    {
      query: login.callback,
      cookie: (name) => (name === login.flowCookieName ? login.flowCookie : undefined),
      ip: '203.0.113.9',
      userAgent: 'vitest',
    },
    { ...(await stack.deps()), ...overrides },
  );
}

/** Signs in and returns the session cookie the callback route would set. */
export async function signedInCookie(stack: AuthStack, email: string, request: Partial<LoginRequest> = {}, pickOrganization?: string) {
  const result = await finishLogin(stack, await signInAtEmulator(stack, email, request, { pickOrganization }));
  if (!result.ok) throw new Error(`login failed: ${result.code}`);
  const cookie = await signAppSessionCookie({
    sessionId: result.session.id,
    userId: result.session.userId,
    organizationId: result.session.organizationId,
    expiresAt: result.session.expiresAt,
  });
  return { cookie, session: result.session };
}

/**
 * Counts /oauth/token calls from the emulator's side: a delay-only fault is consumed by each
 * call, so `remaining` tells how many arrived.
 */
export async function countTokenCalls(stack: AuthStack, delayMs = 0, budget = 1000) {
  const res = await fetch(`${stack.emulator.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ target: '/oauth/token', count: budget, delayMs }),
  });
  const fault = (await res.json()) as { id: string };
  return {
    async calls(): Promise<number> {
      const list = (await (await fetch(`${stack.emulator.url}/_emulator/faults`)).json()) as Array<{ id: string; remaining: number }>;
      const mine = list.find((f) => f.id === fault.id);
      return budget - (mine?.remaining ?? 0);
    },
    async stop() {
      await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    },
  };
}

/**
 * A live session row straight in the store (fresh access token, so no refresh is attempted), its
 * signed cookie, and the context the guards load from it: for tests of what a signed-in person
 * may do, without a sign-in.
 */
export async function liveSession(userId: string, organizationId: string) {
  const session = await createSession({
    userId,
    organizationId,
    refreshToken: `rt_test_${Math.random().toString(36).slice(2)}`,
    idToken: 'header.payload.signature',
    accessTokenExpiresAt: new Date(Date.now() + 300_000),
    expiresAt: new Date(Date.now() + 3_600_000),
    authMethod: 'otp',
  });
  const cookie = await signAppSessionCookie({ sessionId: session.id, userId, organizationId, expiresAt: session.expiresAt });
  return { session, cookie, context: async () => (await loadSessionContext(cookie))! };
}
