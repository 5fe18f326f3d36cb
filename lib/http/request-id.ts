/**
 * One id per request, set by middleware.ts (kept from the caller when it looks like an id, so a
 * load balancer's id carries through), echoed in the response and written into every log line
 * and audit event of that request: a user quoting it from an error page finds its lines.
 * Edge-safe (middleware.ts imports it); the logger side is in request-logger.ts.
 */

export const REQUEST_ID_HEADER = 'x-request-id';

export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** The caller's id when it is safe to log and echo, otherwise a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && SAFE_REQUEST_ID.test(given) ? given : newRequestId();
}
