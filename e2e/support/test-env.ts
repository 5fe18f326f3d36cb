/**
 * The configuration the e2e app server runs with. `next start` means NODE_ENV=production, and
 * in production lib/env.ts has no defaults, so every variable is spelled out here. Values are
 * test-only; the emulator the stack starts is seeded to match them.
 */

import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
/** The e2e emulator sits at a port derived from the app's, so runs on different E2E_PORTs never collide. */
export const E2E_EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? E2E_PORT + 5688);
export const E2E_EMULATOR_URL = `http://127.0.0.1:${E2E_EMULATOR_PORT}`;
/**
 * The emulated Google, GitHub, Microsoft and SSO identity providers answer on a second origin,
 * as real ones do: a sign-in's redirect chain then crosses app → Scalekit → a third origin, and
 * a Content-Security-Policy that only allows the first two breaks the suite, as it would break
 * production.
 */
export const E2E_IDP_PORT = E2E_EMULATOR_PORT + 1;
export const E2E_IDP_URL = `http://127.0.0.1:${E2E_IDP_PORT}`;
export const E2E_DATABASE_NAME = `teamgate_e2e_${E2E_PORT}`;
/** Where `next build` writes; a separate dir per port lets two e2e runs build without clobbering each other. */
export const E2E_DIST_DIR = process.env.NEXT_DIST_DIR ?? (E2E_PORT === 3100 ? '.next' : `.next-e2e-${E2E_PORT}`);

/**
 * Everything the app server writes (JSON log lines at info and above, Next.js output), so specs
 * can check what was logged (e2e/log-redaction.spec.ts). serve.ts starts it empty on each start.
 */
export const E2E_APP_LOG_FILE = process.env.E2E_APP_LOG_FILE ?? join(tmpdir(), `teamgate-e2e-app-${E2E_PORT}.log`);

/** Shared with specs that need to sign a session cookie the server will accept. */
export const E2E_SESSION_SECRET = process.env.E2E_SESSION_SECRET ?? 'e2e-only-session-secret-0123456789abcdefghijklmnop';

/** Production refuses the public dev secrets, so e2e has its own; the e2e emulator is seeded with them. */
export const E2E_CLIENT_SECRET = 'sks_e2e_only_client_secret_0123456789';
export const E2E_WEBHOOK_SECRET = 'whsec_ZTJlLW9ubHktd2ViaG9vay1zZWNyZXQtMDEyMzQ1Njc4OQ==';
/** Unlocks the detailed /api/health check (Scalekit too) in e2e/security-headers.spec.ts. */
export const E2E_HEALTH_CHECK_TOKEN = 'e2e-only-health-check-token-0123456789abcdef';

export function e2eServerEnv(outer: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...outer,
    NODE_ENV: 'production',
    APP_URL: outer.E2E_APP_URL ?? E2E_BASE_URL,
    // serve.ts replaces this with the stack's own database before starting the app.
    DATABASE_URL: outer.E2E_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    SCALEKIT_ENVIRONMENT_URL: E2E_EMULATOR_URL,
    NEXT_DIST_DIR: E2E_DIST_DIR,
    SCALEKIT_CLIENT_ID: 'skc_teamgate_dev',
    SCALEKIT_CLIENT_SECRET: E2E_CLIENT_SECRET,
    SCALEKIT_WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
    SESSION_SECRET: E2E_SESSION_SECRET,
    HEALTH_CHECK_TOKEN: E2E_HEALTH_CHECK_TOKEN,
    // info: the log-redaction spec reads every auth line; serve.ts shows only warn+ on the console.
    LOG_LEVEL: outer.LOG_LEVEL ?? 'info',
    // Every spec signs in from 127.0.0.1; the per-IP limit is proven by its own tests
    // (app/api/auth/login/rate-limit.int.test.ts), not by making parallel specs trip over it.
    RATE_LIMIT_LOGIN_PER_MINUTE: outer.RATE_LIMIT_LOGIN_PER_MINUTE ?? '100000',
    // One emulator delivers every spec's webhooks from one address; bulk specs alone send hundreds
    // a minute. The per-source limit has its own tests (app/api/webhooks/scalekit/rate-limit.int.test.ts).
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: outer.RATE_LIMIT_WEBHOOKS_PER_MINUTE ?? '100000',
    // e2e/outbound-webhooks.spec.ts runs its receiver on 127.0.0.1 over plain http; retries short.
    OUTBOUND_WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
    OUTBOUND_WEBHOOK_RETRY_SCHEDULE: outer.OUTBOUND_WEBHOOK_RETRY_SCHEDULE ?? '1,2,4',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}
