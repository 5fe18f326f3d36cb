import { z } from 'zod';

/**
 * Every environment variable Teamgate reads, validated in one place.
 *
 * Development and test need no .env at all: each variable has a default that
 * points at the local emulator and the embedded/local database. In production
 * the secrets have no default, so a forgotten variable fails at start with a
 * message naming it, instead of running with a dev secret.
 */

const DEV_DEFAULTS = {
  APP_URL: 'http://localhost:3000',
  // The embedded PostgreSQL server that `npm run dev` starts (scripts/dev.ts, scripts/embedded-postgres.ts).
  DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:54329/postgres',
  SCALEKIT_ENVIRONMENT_URL: 'http://localhost:8787',
  // Match emulator/seeds/demo.json: the emulator's demo client.
  SCALEKIT_CLIENT_ID: 'skc_teamgate_dev',
  SCALEKIT_CLIENT_SECRET: 'sks_teamgate_dev_only_not_a_real_secret',
  SCALEKIT_WEBHOOK_SECRET: 'whsec_dGVhbWdhdGUtZGV2LXdlYmhvb2stc2VjcmV0LW5vdC1yZWFs',
  SESSION_SECRET: 'dev-only-session-secret-change-me-0123456789abcdef',
} as const;

function parsesAsUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

// One check per variable (not .url() + .refine()) so a bad value is reported once.
const postgresUrl = z.string().refine(
  // Socket URLs (postgresql://user@/db?host=/var/run/postgresql) are valid for pg but not for WHATWG URL.
  (v) => /^postgres(ql)?:\/\/\S+$/.test(v) && (parsesAsUrl(v) || /[?&]host=\//.test(v)),
  'must be a URL like postgresql://user:password@host:5432/database',
);

const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^/]/.test(v) && parsesAsUrl(v), 'must be an absolute URL starting with http:// or https://')
  .transform((v) => v.replace(/\/+$/, ''));

function rateLimit(fallback: number) {
  const message = 'must be a whole number from 1 to 1000000';
  return z.coerce.number({ error: message }).int(message).min(1, message).max(1_000_000, message).default(fallback);
}

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' }).default('development'),
  APP_URL: httpUrl,
  DATABASE_URL: postgresUrl,
  /** Connections in the app's pool, per process. */
  DATABASE_POOL_MAX: z.coerce
    .number({ error: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be a whole number from 1 to 100')
    .max(100, 'must be a whole number from 1 to 100')
    .default(10),
  SCALEKIT_ENVIRONMENT_URL: httpUrl,
  SCALEKIT_CLIENT_ID: z.string().min(1, 'must not be empty'),
  SCALEKIT_CLIENT_SECRET: z.string().min(1, 'must not be empty'),
  /** Deadline for each Scalekit call (gRPC and HTTP). Kept below a typical proxy timeout. */
  SCALEKIT_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds from 100 to 60000' })
    .int('must be a number of milliseconds from 100 to 60000')
    .min(100, 'must be a number of milliseconds from 100 to 60000')
    .max(60_000, 'must be a number of milliseconds from 100 to 60000')
    .default(10_000),
  SCALEKIT_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must look like whsec_<base64> (copy it from the Scalekit dashboard)'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 48)'),
  /** Sign-in starts (GET /api/auth/login, /auth/login/initiate) per client IP per minute. */
  RATE_LIMIT_LOGIN_PER_MINUTE: rateLimit(30),
  /** Invitations one admin or API key may send per hour (form, API and bulk together). */
  RATE_LIMIT_INVITES_PER_ADMIN_PER_HOUR: rateLimit(1_000),
  /** Invitations one organization may send per hour, whoever sends them. */
  RATE_LIMIT_INVITES_PER_ORG_PER_HOUR: rateLimit(3_000),
  /** Webhook deliveries accepted per source IP per minute. */
  RATE_LIMIT_WEBHOOKS_PER_MINUTE: rateLimit(600),
  /** Invitation requests one member (or API key) may open per hour (lib/invitation-requests). */
  RATE_LIMIT_REQUESTS_PER_MEMBER_PER_HOUR: rateLimit(20),
  /** GET /api/health calls per client IP per minute (load balancers, uptime checks). */
  RATE_LIMIT_HEALTH_PER_MINUTE: rateLimit(60),
  /**
   * Optional. Sent as `Authorization: Bearer <token>` to /api/health, it unlocks the detailed
   * check (Scalekit reachability and latencies); without it only signed-in admins get that.
   */
  HEALTH_CHECK_TOKEN: z
    .string()
    .regex(/^\S{32,}$/, 'must be at least 32 characters without spaces (try: openssl rand -base64 32)')
    .optional(),
  /**
   * Proxies in front of the app that append to X-Forwarded-For (a load balancer: 1). The client
   * IP is the entry this many places from the right; entries further left are client-supplied.
   * 0: no proxy, the app is reached directly; the socket address is used and no header trusted
   * (lib/http/client-ip.ts). docs/deploying.md lists the value per deployment.
   */
  TRUSTED_PROXY_HOPS: z.coerce
    .number({ error: 'must be a whole number from 0 to 5' })
    .int('must be a whole number from 0 to 5')
    .min(0, 'must be a whole number from 0 to 5')
    .max(5, 'must be a whole number from 0 to 5')
    .default(1),
  /**
   * Outbound webhooks (lib/outbound-webhooks, docs/outbound-webhooks.md) may target http:// URLs and
   * loopback/private addresses only when this is "true": for development, tests and e2e receivers
   * on this machine. Off (the default), an endpoint must be https and resolve to public addresses,
   * so an admin cannot make the server call into its own network.
   */
  OUTBOUND_WEBHOOKS_ALLOW_PRIVATE_URLS: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  /** Deadline for one delivery attempt (connect, send, answer). */
  OUTBOUND_WEBHOOK_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds from 100 to 60000' })
    .int('must be a number of milliseconds from 100 to 60000')
    .min(100, 'must be a number of milliseconds from 100 to 60000')
    .max(60_000, 'must be a number of milliseconds from 100 to 60000')
    .default(10_000),
  /**
   * Seconds to wait before each retry of a failed delivery, comma-separated: the Standard Webhooks
   * recommendation (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). Tests shorten it.
   */
  OUTBOUND_WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default('5,300,1800,7200,18000,36000,36000')
    .refine(
      (v) => v.split(',').every((s) => /^\d+(\.\d+)?$/.test(s.trim()) && Number(s) <= 7 * 86_400) && v.split(',').length <= 20,
      'must be up to 20 comma-separated numbers of seconds (each at most 604800), e.g. 5,300,1800',
    )
    .transform((v) => v.split(',').map((s) => Number(s.trim()))),
  /** An endpoint is disabled after this many failed attempts in a row (its admins re-enable it). */
  OUTBOUND_WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce
    .number({ error: 'must be a whole number from 1 to 1000' })
    .int('must be a whole number from 1 to 1000')
    .min(1, 'must be a whole number from 1 to 1000')
    .max(1000, 'must be a whole number from 1 to 1000')
    .default(15),
  /**
   * Optional. Where Teamgate's own notices go out (lib/mail): smtp://user:pass@host:587 or
   * smtps://…:465. Unset: notices are kept in the OutgoingEmail table instead (dev, tests, e2e).
   */
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^/\s]/.test(v) && parsesAsUrl(v), 'must be a URL like smtp://user:password@host:587 or smtps://…')
    .optional(),
  /** The From: of Teamgate's notices. */
  MAIL_FROM: z.string().min(3, 'must be an address such as Teamgate <no-reply@example.com>').default('Teamgate <no-reply@teamgate.local>'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Teamgate cannot start: ${problems.length} environment variable${problems.length === 1 ? ' is' : 's are'} missing or malformed.\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example for what each one means.',
    );
    this.name = 'EnvError';
  }
}

/** Parse a set of variables (process.env by default). Throws EnvError listing every problem. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const nodeEnv = source.NODE_ENV ?? 'development';
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    input[key] = value === '' ? undefined : value;
  }
  if (nodeEnv !== 'production') {
    for (const [key, value] of Object.entries(DEV_DEFAULTS)) input[key] ??= value;
  }
  const result = envSchema.safeParse(input);
  const problems = new Map<string, string>();
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      // Never echo the value: it may be a secret.
      if (!problems.has(name)) problems.set(name, input[name] === undefined ? 'is required but not set' : issue.message);
    }
  }
  if (nodeEnv === 'production') {
    // A dev secret copied into production would let anyone forge sessions.
    for (const key of ['SESSION_SECRET', 'SCALEKIT_CLIENT_SECRET', 'SCALEKIT_WEBHOOK_SECRET'] as const) {
      if (input[key] === DEV_DEFAULTS[key] && !problems.has(key)) {
        problems.set(key, 'is the public development default; set a real secret in production');
      }
    }
  }
  if (result.success && problems.size === 0) return result.data;
  throw new EnvError([...problems].map(([name, message]) => `${name} ${message}`));
}

let cached: Env | undefined;

/** The validated environment, parsed once on first use. */
export function getEnv(): Env {
  cached ??= loadEnv();
  return cached;
}

/** Lazy view so `env.X` validates on first access, not at import (next build imports modules without runtime env). */
export const env: Env = new Proxy({} as Env, {
  get: (_target, key: string) => getEnv()[key as keyof Env],
});
