import { createHash, timingSafeEqual } from 'node:crypto';
import { getSessionContextFromRequest } from '@/lib/auth/guards';
import { can } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors/app-error';
import { problemJson } from '@/lib/errors/respond';
import { clientIp } from '@/lib/http/client-ip';
import { requestLogger } from '@/lib/http/request-logger';
import { errorForLog } from '@/lib/log';
import { consumeRateLimit, rateLimitHeaders, type RateLimitRule } from '@/lib/rate-limit/limiter';

/**
 * Who may see how much of /api/health. Anyone gets the basic check (PostgreSQL); the detailed
 * one (Scalekit reachability and latencies) needs `Authorization: Bearer <HEALTH_CHECK_TOKEN>`
 * or a signed-in admin. Every call, token or not, first draws on a per-client-IP budget, which
 * also bounds guessing at the token.
 */

function invalidHealthToken(): AppError {
  return new AppError(
    'invalid_health_token',
    'That health-check token is not valid. Send "Authorization: Bearer <HEALTH_CHECK_TOKEN>", or call without it for the basic check.',
  );
}

export function healthRateLimitRule(): RateLimitRule {
  return { name: 'health:ip', limit: getEnv().RATE_LIMIT_HEALTH_PER_MINUTE, windowSeconds: 60 };
}

/** The 429 to send, or null when the call may go on. */
export async function healthRateLimited(request: Request): Promise<Response | null> {
  const ip = clientIp(request.headers);
  let result;
  try {
    result = await consumeRateLimit(healthRateLimitRule(), ip);
  } catch (error) {
    // The limiter lives in PostgreSQL: when that is down, the health check is exactly what must
    // still answer (503 from the database check), not fail with a 500 here.
    requestLogger(request, { route: 'health' }).warn({ err: errorForLog(error) }, 'health rate limit unavailable; answering anyway');
    return null;
  }
  if (result.allowed) return null;
  const wait = result.retryAfterSeconds;
  const message = `Too many health checks from this address. Retry after ${wait} second${wait === 1 ? '' : 's'}.`;
  return problemJson(new AppError('rate_limited', message, { retryAfter: wait }), { headers: rateLimitHeaders(result) });
}

/** 'detailed' for the token or a signed-in admin, 'basic' otherwise; throws an invalid_health_token AppError for a wrong token. */
export async function healthScope(request: Request): Promise<'basic' | 'detailed'> {
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const expected = getEnv().HEALTH_CHECK_TOKEN;
    const given = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
    if (expected && given && sameSecret(given, expected)) return 'detailed';
    throw invalidHealthToken();
  }
  try {
    const ctx = await getSessionContextFromRequest(request);
    return can(ctx?.membership.permissions, 'org:settings') ? 'detailed' : 'basic';
  } catch {
    // The session lookup needs the database; when it fails the basic check reports that.
    return 'basic';
  }
}

/** Constant time in the secret's content and length: both sides are hashed to 32 bytes first. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
