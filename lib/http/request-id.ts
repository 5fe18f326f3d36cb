import type { Logger } from 'pino';
import { currentRequestId, log } from '@/lib/log';

/**
 * One id per request, set by middleware.ts (kept from the caller when it looks like an id, so a
 * load balancer's id carries through), echoed in the response and written into every log line
 * and audit event of that request: a user quoting it from an error page finds its lines.
 */

export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** The caller's id when it is safe to log and echo, otherwise a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && SAFE_ID.test(given) ? given : newRequestId();
}

/** A logger whose lines carry this request's id (and the route, when given). */
export function requestLogger(source: Request | Headers, bindings: Record<string, unknown> = {}): Logger {
  // Inside Next.js the logger's mixin adds the id already; a second copy would duplicate the key.
  if (currentRequestId()) return log.child(bindings);
  const headers = source instanceof Headers ? source : source.headers;
  const id = headers.get(REQUEST_ID_HEADER);
  return log.child({ ...(id && SAFE_ID.test(id) ? { requestId: id } : {}), ...bindings });
}
