import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '@/lib/errors/app-error';

/**
 * Server-side request forgery: an admin types a URL and Teamgate's workers call it. Without
 * checks, "http://169.254.169.254/…" or "http://localhost:5432" would let any org admin make the
 * server probe its own network. So an endpoint must be https:// and every address its host
 * resolves to must be public — checked when it is saved AND at each connection (the socket's
 * lookup is guarded too, so a DNS answer that changes after the check — DNS rebinding — is
 * refused when connecting). Loopback and private addresses (and plain http) are allowed only
 * with OUTBOUND_WEBHOOKS_ALLOW_PRIVATE_URLS=true: development, tests and e2e receivers.
 */

export interface UrlPolicy {
  allowPrivate: boolean;
}

// IANA special-purpose registries (RFC 6890 and successors): nothing here is a customer's server.
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address (v4, v6, or v4-mapped v6) belongs to the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1]!);
    if (/^::ffff:/i.test(address)) return false;
    return !NOT_PUBLIC.check(address, 'ipv6');
  }
  return !NOT_PUBLIC.check(address, 'ipv4');
}

function refused(message: string): AppError {
  return new AppError('webhook_url_not_allowed', message, { field: 'url' });
}

const MAX_URL_LENGTH = 2_048;

/** Parse and check the shape of an endpoint URL (no DNS): the errors name what to change. */
export function parseEndpointUrl(raw: unknown, policy: UrlPolicy): URL {
  if (typeof raw !== 'string' || !raw.trim())
    throw refused('Enter the URL your system receives webhooks on, like https://crm.example.com/hooks.');
  const text = raw.trim();
  if (text.length > MAX_URL_LENGTH) throw refused(`That URL is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused('That is not a URL. Enter one like https://crm.example.com/hooks.');
  }
  if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:')) {
    throw refused('Webhook URLs must start with https:// so events travel encrypted.');
  }
  if (url.username || url.password) throw refused('Put no user name or password in the URL: receivers check the signature instead.');
  url.hash = '';
  return url;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * The full check used when an endpoint is saved: shape, then every address the host resolves to.
 * Throws AppError webhook_url_not_allowed (422) with the reason.
 */
export async function checkEndpointUrl(raw: unknown, policy: UrlPolicy): Promise<URL> {
  const url = parseEndpointUrl(raw, policy);
  if (policy.allowPrivate) return url;
  const host = hostOf(url);
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw refused('That address is private or reserved; webhooks go to public servers only.');
    return url;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) throw refused('Webhooks cannot go to localhost; use your system’s public URL.');
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    throw refused(`The host ${host} could not be found. Check the URL.`);
  }
  if (!addresses.length) throw refused(`The host ${host} could not be found. Check the URL.`);
  if (addresses.some((a) => !isPublicAddress(a.address))) {
    throw refused(`The host ${host} resolves to a private or reserved address; webhooks go to public servers only.`);
  }
  return url;
}

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'EBLOCKED';
  constructor(host: string) {
    super(`${host} resolves to a private or reserved address`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses non-public answers: the address actually connected to
 * is the one checked. IP-literal hosts never reach a lookup, so `assertConnectable` checks those.
 */
export function guardedLookup(policy: UrlPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (!policy.allowPrivate && list.some((a) => !isPublicAddress(a.address))) return callback(new BlockedAddressError(hostname), []);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** Before connecting: the shape again (a stored URL predates a policy change) and IP-literal hosts. */
export function assertConnectable(rawUrl: string, policy: UrlPolicy): URL {
  const url = parseEndpointUrl(rawUrl, policy);
  const host = hostOf(url);
  if (!policy.allowPrivate && (isIP(host) ? !isPublicAddress(host) : host === 'localhost' || host.endsWith('.localhost'))) {
    throw new BlockedAddressError(host);
  }
  return url;
}
