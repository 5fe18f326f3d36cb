import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';

/**
 * Fixed-window rate limits whose counters live in PostgreSQL, so every app
 * instance behind a load balancer counts against the same budget (an
 * in-memory counter would multiply the limit by the number of instances).
 *
 * One atomic upsert per check: a new window starts when the stored one has
 * ended; otherwise the counter is incremented. The row is returned with the
 * count after this request, so concurrent requests never both see "room left"
 * for the last slot.
 */

export interface RateLimitRule {
  /** Namespaced name, e.g. "login:ip" */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets: the Retry-After value when refused */
  retryAfterSeconds: number;
}

/** The limits Teamgate applies, from lib/env.ts (see docs/security.md for why these numbers). */
export function rateLimits() {
  const env = getEnv();
  return {
    loginStartPerIp: { name: 'login:ip', limit: env.RATE_LIMIT_LOGIN_PER_MINUTE, windowSeconds: 60 },
    invitesPerAdmin: { name: 'invite:actor', limit: env.RATE_LIMIT_INVITES_PER_ADMIN_PER_HOUR, windowSeconds: 3600 },
    invitesPerOrg: { name: 'invite:org', limit: env.RATE_LIMIT_INVITES_PER_ORG_PER_HOUR, windowSeconds: 3600 },
    webhooksPerSource: { name: 'webhook:source', limit: env.RATE_LIMIT_WEBHOOKS_PER_MINUTE, windowSeconds: 60 },
  } as const satisfies Record<string, RateLimitRule>;
}

export async function consumeRateLimit(rule: RateLimitRule, subject: string, cost = 1): Promise<RateLimitResult> {
  const key = `${rule.name}:${subject}`;
  const rows = await db.$queryRaw<Array<{ count: number; resetAt: Date }>>`
    INSERT INTO "RateLimitBucket" ("key", "count", "resetAt")
    VALUES (${key}, ${cost}, now() + make_interval(secs => ${rule.windowSeconds}))
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN ${cost} ELSE "RateLimitBucket"."count" + ${cost} END,
      "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN now() + make_interval(secs => ${rule.windowSeconds}) ELSE "RateLimitBucket"."resetAt" END
    RETURNING "count", "resetAt"`;
  const row = rows[0]!;
  const retryAfterSeconds = Math.max(1, Math.ceil((row.resetAt.getTime() - Date.now()) / 1000));
  return {
    allowed: row.count <= rule.limit,
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - row.count),
    retryAfterSeconds,
  };
}

/** Headers for a 429 (and informative ones on success). */
export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(result.limit),
    'RateLimit-Remaining': String(result.remaining),
    'RateLimit-Reset': String(result.retryAfterSeconds),
  };
  if (!result.allowed) headers['Retry-After'] = String(result.retryAfterSeconds);
  return headers;
}

export interface RateLimitCheck {
  rule: RateLimitRule;
  subject: string;
}

export interface Reservation {
  /** How many of the wanted units every rule had room for (0 to wanted); only these were counted. */
  granted: number;
  /** The rule that held the grant back, when one did */
  limitedBy: RateLimitRule | null;
  /** Seconds until that rule's window resets (the Retry-After value) */
  retryAfterSeconds: number;
}

/**
 * Take up to `wanted` units from several budgets at once (an admin's and their organization's):
 * the grant is what all of them have room for, and only the grant is counted, so a refusal by
 * one budget does not use up the others. The rows are locked in key order inside a transaction,
 * so concurrent reservations (other instances too) never over-admit and never deadlock.
 */
export async function reserveRateLimits(checks: RateLimitCheck[], wanted: number): Promise<Reservation> {
  const keyed = checks
    .map((c) => ({ ...c, key: `${c.rule.name}:${c.subject}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return db.$transaction(async (tx) => {
    let granted = Math.max(0, Math.floor(wanted));
    let limitedBy: RateLimitRule | null = null;
    let retryAfterSeconds = 0;
    for (const check of keyed) {
      // Upsert with nothing added: creates or resets the window and locks the row until commit.
      const [row] = await tx.$queryRaw<Array<{ count: number; resetAt: Date }>>`
        INSERT INTO "RateLimitBucket" ("key", "count", "resetAt")
        VALUES (${check.key}, 0, now() + make_interval(secs => ${check.rule.windowSeconds}))
        ON CONFLICT ("key") DO UPDATE SET
          "count" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN 0 ELSE "RateLimitBucket"."count" END,
          "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN now() + make_interval(secs => ${check.rule.windowSeconds}) ELSE "RateLimitBucket"."resetAt" END
        RETURNING "count", "resetAt"`;
      const room = Math.max(0, check.rule.limit - row!.count);
      if (room < granted) {
        granted = room;
        limitedBy = check.rule;
        retryAfterSeconds = Math.max(1, Math.ceil((row!.resetAt.getTime() - Date.now()) / 1000));
      }
    }
    if (granted > 0) {
      const keys = keyed.map((c) => c.key);
      await tx.$executeRaw`UPDATE "RateLimitBucket" SET "count" = "count" + ${granted} WHERE "key" = ANY(${keys})`;
    }
    return { granted, limitedBy, retryAfterSeconds };
  });
}
