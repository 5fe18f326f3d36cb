import { db } from '@/lib/db';

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

/** The limits Teamgate applies (see docs/security.md for why these numbers). */
export const RATE_LIMITS = {
  loginStartPerIp: { name: 'login:ip', limit: 30, windowSeconds: 60 },
  invitesPerAdmin: { name: 'invite:actor', limit: 60, windowSeconds: 60 },
  invitesPerOrg: { name: 'invite:org', limit: 300, windowSeconds: 60 },
  webhooksPerSource: { name: 'webhook:source', limit: 600, windowSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

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

/** Drop windows that ended long ago; called opportunistically, never on the hot path. */
export async function pruneRateLimits(olderThanSeconds = 3600): Promise<number> {
  return db.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "resetAt" < now() - make_interval(secs => ${olderThanSeconds})`;
}
