import { describe, expect, it } from 'vitest';
import { clientIp, normalizeIp } from './client-ip';

const h = (xff?: string, real?: string) =>
  new Headers({ ...(xff !== undefined ? { 'x-forwarded-for': xff } : {}), ...(real ? { 'x-real-ip': real } : {}) });

describe('clientIp', () => {
  it('takes the entry our one proxy appended, not what the client claimed on the left', () => {
    expect(clientIp(h('6.6.6.6, 203.0.113.9'), 1)).toBe('203.0.113.9');
  });

  it('with two trusted proxies, skips the inner proxy', () => {
    expect(clientIp(h('6.6.6.6, 203.0.113.9, 10.0.0.2'), 2)).toBe('203.0.113.9');
  });

  it('a chain shorter than the trusted hops falls back to its first entry', () => {
    expect(clientIp(h('203.0.113.9'), 3)).toBe('203.0.113.9');
  });

  it('uses X-Real-IP when there is no X-Forwarded-For, and "unknown" when there is nothing', () => {
    expect(clientIp(h(undefined, '198.51.100.1'), 1)).toBe('198.51.100.1');
    expect(clientIp(h(), 1)).toBe('unknown');
  });

  it('spells IPv4-mapped IPv6 as IPv4 so both share one budget', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('[::1]')).toBe('::1');
    expect(normalizeIp('x'.repeat(500))).toHaveLength(64);
  });
});
