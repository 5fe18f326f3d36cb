import { describe, expect, it } from 'vitest';
import nextConfig from '@/next.config';
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS, strictTransportSecurity } from './security-headers';

const parse = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));

describe('contentSecurityPolicy', () => {
  it('csp_production: nonce + strict-dynamic scripts, no inline or eval script, no framing, plugins or base hijack', () => {
    const d = parse(contentSecurityPolicy({ nonce: 'abc123', scalekitOrigin: 'https://acme.scalekit.com' }));
    expect(d.get('script-src')).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    // Only Scalekit's admin portal may be framed (the SSO settings page embeds it).
    expect(d.get('frame-src')).toEqual(['https://acme.scalekit.com']);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    // The sign-in form posts to us and is redirected to Scalekit; nowhere else.
    expect(d.get('form-action')).toEqual(["'self'", 'https://acme.scalekit.com']);
    expect(d.has('upgrade-insecure-requests')).toBe(false);
  });

  it('only next dev gets eval and websockets; https adds upgrade-insecure-requests', () => {
    const dev = parse(contentSecurityPolicy({ nonce: 'n', scalekitOrigin: 'http://localhost:8787', development: true }));
    expect(dev.get('script-src')).toContain("'unsafe-eval'");
    expect(dev.get('connect-src')).toContain('ws:');
    expect(parse(contentSecurityPolicy({ nonce: 'n', scalekitOrigin: 'https://x', https: true })).has('upgrade-insecure-requests')).toBe(
      true,
    );
  });

  it('nonces are 128 random bits, fresh each time', () => {
    const a = newNonce();
    expect(atob(a)).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});

describe('strictTransportSecurity', () => {
  it('hsts_httpsOnly: pins https deployments for two years, never an http origin like localhost', () => {
    expect(strictTransportSecurity('https://app.example.com')).toBe('max-age=63072000; includeSubDomains');
    expect(strictTransportSecurity('http://localhost:3000')).toBeNull();
  });
});

describe('static security headers (next.config.ts, every response)', () => {
  it('coop_sameOrigin: Cross-Origin-Opener-Policy same-origin, with the frame, sniffing, referrer and permission headers', () => {
    const byName = new Map(STATIC_SECURITY_HEADERS.map((h) => [h.key.toLowerCase(), h.value]));
    // A page of ours opened by another site (or opening one) gets its own browsing context group:
    // no window.opener handle to navigate it, no cross-window leaks.
    expect(byName.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(byName.get('x-frame-options')).toBe('DENY');
    expect(byName.get('x-content-type-options')).toBe('nosniff');
    expect(byName.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(byName.get('permissions-policy')).toMatch(/camera=\(\)/);
  });

  it('next.config.ts applies exactly that list to every path', async () => {
    const rules = await nextConfig.headers!();
    expect(rules).toEqual([{ source: '/:path*', headers: STATIC_SECURITY_HEADERS }]);
  });
});
