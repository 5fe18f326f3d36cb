import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { enterRequest } from '@/lib/log';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

const globalForStart = globalThis as unknown as { teamgateRequestIdsRecorded?: boolean };

/**
 * Gives every request its id where the Node.js process first sees it, and enters the log
 * context (lib/log.ts) for all the work that request causes.
 *
 * Middleware cannot do the second part: it runs before the route handler, not around it, so an
 * AsyncLocalStorage it entered is gone by the time the page, action or handler logs. Node.js
 * publishes `http.server.request.start` synchronously just before the server's 'request'
 * listeners run (the hook lib/http/peer-address.ts uses too), so a context entered here covers
 * everything Next.js does for the request. The id is written back into the request's headers,
 * where middleware.ts finds a well-formed id and keeps it, so logs, the response header and audit
 * events all show the same one. Called from instrumentation.ts (Node.js runtime only); idempotent.
 */
export function recordRequestIds(): void {
  if (globalForStart.teamgateRequestIdsRecorded) return;
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    const given = request.headers[REQUEST_ID_HEADER];
    const requestId = requestIdFrom(new Headers(typeof given === 'string' ? { [REQUEST_ID_HEADER]: given } : {}));
    request.headers[REQUEST_ID_HEADER] = requestId;
    enterRequest(requestId);
  });
  globalForStart.teamgateRequestIdsRecorded = true;
}
