import type { Logger } from 'pino';
import { currentRequestId, log } from '@/lib/log';
import { REQUEST_ID_HEADER, SAFE_REQUEST_ID } from './request-id';

/** A logger whose lines carry this request's id (and the route, when given). */
export function requestLogger(source: Request | Headers, bindings: Record<string, unknown> = {}): Logger {
  // Inside a request's log context (lib/http/request-start.ts) the logger's mixin adds the id already;
  // a second copy would duplicate the key.
  if (currentRequestId()) return log.child(bindings);
  const headers = source instanceof Headers ? source : source.headers;
  const id = headers.get(REQUEST_ID_HEADER);
  return log.child({ ...(id && SAFE_REQUEST_ID.test(id) ? { requestId: id } : {}), ...bindings });
}
