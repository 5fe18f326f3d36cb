import { getEnv } from '@/lib/env';

/**
 * The client's IP address for rate limits. X-Forwarded-For is a list that every proxy appends
 * to; only the entries our own proxies appended can be trusted, so the client is the entry
 * TRUSTED_PROXY_HOPS places from the right (everything left of it is whatever the client sent).
 * `next start` without a proxy fills the header with the socket address when it is absent.
 */
export function clientIp(headers: Headers, hops: number = getEnv().TRUSTED_PROXY_HOPS): string {
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const fromRight = Math.max(hops, 1);
  const picked = chain.length ? chain[Math.max(0, chain.length - fromRight)] : headers.get('x-real-ip');
  return normalizeIp(picked ?? 'unknown');
}

/** One spelling per address, so "::ffff:127.0.0.1" and "127.0.0.1" share a budget; bounded length for the key. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim().toLowerCase().replace(/^\[|\]$/g, '');
  const v4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  return (v4 ? v4[1]! : trimmed).slice(0, 64) || 'unknown';
}
