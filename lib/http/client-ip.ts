import { getEnv } from '@/lib/env';

/**
 * The client's IP address: the one place that reads it, for rate limits, the audit log and the
 * session list. Edge-safe (no Node.js imports).
 *
 * X-Forwarded-For is a list that every proxy appends to; only the entries our own proxies
 * appended can be trusted, so behind TRUSTED_PROXY_HOPS proxies the client is the entry that
 * many places from the right (everything left of it is whatever the client sent).
 *
 * With no proxy (TRUSTED_PROXY_HOPS=0) the client is the TCP peer, and no header says who that
 * is. What Next.js does, read in node_modules/next/dist/server/base-server.js (next 16.4.6,
 * handleRequestImpl) and confirmed against a real `next start`:
 *
 *     req.headers['x-forwarded-for'] ??= originalRequest?.socket?.remoteAddress
 *
 * It fills X-Forwarded-For with the socket address only when the request has none; a header
 * the client sent passes through untouched, nothing is appended. Middleware and route handlers
 * get headers only (no socket; `request.ip` is gone since Next.js 15), so under `next start`
 * alone X-Forwarded-For is chosen by the client whenever it bothers to send one. The socket
 * address therefore comes from lib/http/peer-address.ts, which instrumentation.ts installs in
 * the server process: it writes each request's socket address into PEER_ADDRESS_HEADER before
 * Next.js sees the request, replacing anything the client sent under that name. When that
 * recorder is not running (another server, tests), hops 0 trusts no header at all.
 */
export const PEER_ADDRESS_HEADER = 'x-teamgate-peer-address';

/** The longest textual IPv6 address (with an IPv4 tail) is 45 characters; nothing longer is stored. */
export const MAX_IP_LENGTH = 45;

const RECORDED = Symbol.for('teamgate.peer-addresses-recorded');

/** True once lib/http/peer-address.ts records socket addresses in this process (shared across Next.js bundles). */
export function peerAddressesRecorded(): boolean {
  return (globalThis as { [RECORDED]?: boolean })[RECORDED] === true;
}

export function markPeerAddressesRecorded(): void {
  (globalThis as { [RECORDED]?: boolean })[RECORDED] = true;
}

/** The client's address, normalized, or null when none can be trusted or it is not an address. */
export function clientIpOrNull(headers: Headers, hops: number = getEnv().TRUSTED_PROXY_HOPS): string | null {
  if (hops <= 0) return peerAddressesRecorded() ? normalizeIp(headers.get(PEER_ADDRESS_HEADER) ?? '') : null;
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const picked = chain.length ? chain[Math.max(0, chain.length - hops)] : headers.get('x-real-ip');
  return normalizeIp(picked ?? '');
}

/** For rate-limit keys: every request without a usable address shares the one "unknown" budget. */
export function clientIp(headers: Headers, hops?: number): string {
  return clientIpOrNull(headers, hops) ?? 'unknown';
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
// Hex groups and colons, optionally ending in a dotted IPv4; the length cap bounds the rest.
const IPV6 = /^(?=.*:.*:)[0-9a-f:]*(:(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3})?$/;

/**
 * One spelling per address, so "::ffff:127.0.0.1" and "127.0.0.1" share a budget; ports,
 * brackets and IPv6 zones dropped (some proxies append "ip:port"). Anything that is not an IP
 * address, or is longer than one can be, is null: it is never stored or used as a key.
 */
export function normalizeIp(raw: string): string | null {
  let ip = raw.trim().toLowerCase();
  if (ip.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  ip = ip.replace(/%[0-9a-z._-]+$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped) ip = mapped[1]!;
  if (ip.length > MAX_IP_LENGTH) return null;
  return IPV4.test(ip) || (IPV6.test(ip) && (ip.match(/::/g)?.length ?? 0) <= 1) ? ip : null;
}
