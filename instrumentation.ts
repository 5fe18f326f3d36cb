/**
 * Runs once when a Next.js server process starts (`next start`, `next dev`), before it serves a
 * request. The Node.js runtime records each request's socket address for TRUSTED_PROXY_HOPS=0
 * (lib/http/client-ip.ts explains why Next.js itself cannot tell a route handler who the peer is)
 * and gives each request its id and log context (lib/http/request-start.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { recordPeerAddresses } = await import('./lib/http/peer-address');
  const { recordRequestIds } = await import('./lib/http/request-start');
  recordPeerAddresses();
  recordRequestIds();
}
