import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { markPeerAddressesRecorded, PEER_ADDRESS_HEADER, peerAddressesRecorded } from './client-ip';

/**
 * Records each request's TCP peer address in PEER_ADDRESS_HEADER, for TRUSTED_PROXY_HOPS=0
 * (see lib/http/client-ip.ts for why Next.js cannot tell us otherwise). Node.js publishes
 * `http.server.request.start` for every request of every http.Server in the process, before
 * the server's 'request' listeners run, so the header is in place before Next.js copies the
 * request's headers, and a value the client sent under the same name is replaced.
 * Called from instrumentation.ts (Node.js runtime only); idempotent.
 */
export function recordPeerAddresses(): void {
  if (peerAddressesRecorded()) return;
  subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const address = socket.remoteAddress;
    if (address) request.headers[PEER_ADDRESS_HEADER] = address;
    else delete request.headers[PEER_ADDRESS_HEADER];
  });
  markPeerAddressesRecorded();
}
