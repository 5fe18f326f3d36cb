import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { clientIp, clientIpOrNull, MAX_IP_LENGTH, normalizeIp, PEER_ADDRESS_HEADER, peerAddressesRecorded } from './client-ip';
import { recordPeerAddresses } from './peer-address';

const h = (xff?: string, extra: Record<string, string> = {}) =>
  new Headers({ ...(xff !== undefined ? { 'x-forwarded-for': xff } : {}), ...extra });

const PEER_FLAG = Symbol.for('teamgate.peer-addresses-recorded');
const flags = globalThis as { [PEER_FLAG]?: boolean };
afterEach(() => {
  delete flags[PEER_FLAG];
});

describe('clientIp behind proxies (TRUSTED_PROXY_HOPS ≥ 1)', () => {
  it('hops 1: takes the entry our one proxy appended, not what the client claimed on the left', () => {
    expect(clientIp(h('6.6.6.6, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientIp(h('203.0.113.9'), 1)).toBe('203.0.113.9');
  });

  it('hops 2: skips the inner proxy, and any number of spoofed entries on the left', () => {
    expect(clientIp(h('6.6.6.6, 203.0.113.9, 10.0.0.2'), 2)).toBe('203.0.113.9');
    expect(clientIp(h('1.1.1.1,2.2.2.2 , 3.3.3.3,203.0.113.9,10.0.0.2'), 2)).toBe('203.0.113.9');
  });

  it('a chain shorter than the trusted hops falls back to its first entry', () => {
    expect(clientIp(h('203.0.113.9'), 3)).toBe('203.0.113.9');
  });

  it('uses X-Real-IP only when there is no X-Forwarded-For, and "unknown" when there is nothing', () => {
    expect(clientIp(h(undefined, { 'x-real-ip': '198.51.100.1' }), 1)).toBe('198.51.100.1');
    expect(clientIp(h('203.0.113.9', { 'x-real-ip': '6.6.6.6' }), 1)).toBe('203.0.113.9');
    expect(clientIp(h(), 1)).toBe('unknown');
    expect(clientIpOrNull(h(), 1)).toBeNull();
  });

  it('ignores the peer-address header behind a proxy (the proxy is the peer)', () => {
    flags[PEER_FLAG] = true;
    expect(clientIp(h('6.6.6.6, 203.0.113.9', { [PEER_ADDRESS_HEADER]: '10.0.0.2' }), 1)).toBe('203.0.113.9');
  });
});

describe('clientIp with no proxy (TRUSTED_PROXY_HOPS = 0)', () => {
  it('hops 0: the socket address recorded for this request, whatever X-Forwarded-For and X-Real-IP claim', () => {
    flags[PEER_FLAG] = true;
    const spoofed = h('6.6.6.6, 7.7.7.7', { 'x-real-ip': '8.8.8.8', [PEER_ADDRESS_HEADER]: '::ffff:203.0.113.9' });
    expect(clientIp(spoofed, 0)).toBe('203.0.113.9');
  });

  it('hops 0 without the recorder installed: trusts no header at all (a client could have sent it)', () => {
    expect(peerAddressesRecorded()).toBe(false);
    const forged = h('6.6.6.6', { 'x-real-ip': '8.8.8.8', [PEER_ADDRESS_HEADER]: '9.9.9.9' });
    expect(clientIp(forged, 0)).toBe('unknown');
    expect(clientIpOrNull(forged, 0)).toBeNull();
  });

  it('peerAddress_realSocket: on a real HTTP server the recorder overwrites a forged peer header with the socket address', async () => {
    recordPeerAddresses();
    recordPeerAddresses(); // idempotent: one subscriber however often it is called
    expect(peerAddressesRecorded()).toBe(true);
    const server = createServer((req, res) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      res.end(JSON.stringify({ ip: clientIp(headers, 0), behindOne: clientIp(headers, 1), peer: req.headers[PEER_ADDRESS_HEADER] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        headers: { 'x-forwarded-for': '6.6.6.6', [PEER_ADDRESS_HEADER]: '9.9.9.9' },
      });
      expect(await res.json()).toEqual({ ip: '127.0.0.1', behindOne: '6.6.6.6', peer: '127.0.0.1' });
    } finally {
      server.close();
    }
  });
});

describe('normalizeIp', () => {
  it('spells IPv4-mapped IPv6 as IPv4 so both share one budget, and IPv6 in lower case without brackets or zone', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('[::1]')).toBe('::1');
    expect(normalizeIp('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeIp('[2001:db8::1]:8443')).toBe('2001:db8::1');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('203.0.113.9:51234')).toBe('203.0.113.9');
    expect(normalizeIp('0000:0000:0000:0000:0000:ffff:192.168.100.200')).toBe('0000:0000:0000:0000:0000:ffff:192.168.100.200');
  });

  it('IPv6 in X-Forwarded-For, hop-aware like IPv4', () => {
    expect(clientIp(h('2001:db8::6, 2001:DB8::9'), 1)).toBe('2001:db8::9');
    expect(clientIp(h('6.6.6.6, [2001:db8::9]:443, 10.0.0.2'), 2)).toBe('2001:db8::9');
  });

  it('refuses over-long junk and anything that is not an address, so nothing odd is stored or keyed on', () => {
    for (const junk of [
      'x'.repeat(500),
      `1.2.3.4${'0'.repeat(200)}`,
      `${'a:'.repeat(100)}1`,
      '<script>alert(1)</script>',
      'unknown',
      '999.1.1.1',
      '1.2.3',
      '',
      ' ',
      'localhost',
      '1.2.3.4\nforged log line',
    ]) {
      expect(normalizeIp(junk), junk).toBeNull();
    }
    expect(clientIp(h(`6.6.6.6, ${'9'.repeat(300)}`), 1)).toBe('unknown');
    expect(clientIpOrNull(h(`6.6.6.6, ${'9'.repeat(300)}`), 1)).toBeNull();
    expect(MAX_IP_LENGTH).toBe(45);
  });
});
