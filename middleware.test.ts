import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { NextRequest } from 'next/server';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { SignJWT } from 'jose';
import { config, middleware } from '@/middleware';
import { PROTECTED_PREFIXES } from '@/lib/auth/protected-routes';
import { UPLOADED_IMAGE_CSP } from '@/lib/http/security-headers';
import { sessionCookieName, signAppSessionCookie } from '@/lib/session/cookie';
import { deriveSessionCookieKey } from '@/lib/session/keys';

const ORIGIN = 'http://localhost:3000';
const HOUR = 3_600_000;
const SESSION_COOKIE_NAME = sessionCookieName(ORIGIN);

function request(path: string, cookie?: string, init: { method?: string } = {}): NextRequest {
  const headers = new Headers();
  if (cookie !== undefined) headers.set('cookie', `${SESSION_COOKIE_NAME}=${cookie}; theme=dark`);
  return new NextRequest(new URL(path, ORIGIN), { headers, method: init.method ?? 'GET' });
}

function validCookie(expiresInMs = 8 * HOUR): Promise<string> {
  return signAppSessionCookie({
    sessionId: 'sess_1',
    userId: 'usr_1',
    organizationId: 'org_acme',
    expiresAt: new Date(Date.now() + expiresInMs),
  });
}

function passedThrough(response: Response): boolean {
  return response.headers.get('x-middleware-next') === '1';
}

function clearedCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`));
}

function expectRedirectToLogin(response: Response, returnTo: string): void {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!, ORIGIN);
  expect(location.origin).toBe(ORIGIN);
  expect(location.pathname).toBe('/login');
  expect(location.searchParams.get('returnTo')).toBe(returnTo);
  expect(response.headers.get('cache-control')).toContain('no-store');
}

function expectCleared(response: Response): void {
  const cookie = clearedCookie(response);
  expect(cookie).toBeDefined();
  expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE_NAME}=;`));
  expect(cookie).toMatch(/Max-Age=0/i);
  expect(cookie).toMatch(/Path=\//);
  expect(cookie).toMatch(/HttpOnly/i);
}

describe('middleware on protected pages', () => {
  it('lets a request with a valid session cookie through, without touching cookies', async () => {
    const response = await middleware(request('/dashboard', await validCookie()));
    expect(passedThrough(response)).toBe(true);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('redirects an anonymous visitor to login, keeping path and query as returnTo', async () => {
    const response = await middleware(request('/team/members?page=2&q=ana'));
    expectRedirectToLogin(response, '/team/members?page=2&q=ana');
    expect(clearedCookie(response)).toBeUndefined();
  });

  it('clears a tampered cookie and redirects', async () => {
    const token = await validCookie();
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, oid: 'org_globex' })).toString('base64url')}.${s}`;
    const response = await middleware(request('/orgs/org_globex', forged));
    expectRedirectToLogin(response, '/orgs/org_globex');
    expectCleared(response);
  });

  it('clears an expired cookie and redirects', async () => {
    const { getSessionCookieKey } = await import('@/lib/session/keys');
    const key = await getSessionCookieKey();
    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = await new SignJWT({ sid: 's', uid: 'u', oid: 'o', v: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(past - 3600)
      .setExpirationTime(past)
      .sign(key);
    const response = await middleware(request('/settings', expired));
    expectRedirectToLogin(response, '/settings');
    expectCleared(response);
  });

  it('clears alg:none, malformed and foreign-key cookies', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sid: 's', uid: 'u', oid: 'o', v: 1, iat: 1, exp: 9_999_999_999 })).toString('base64url');
    const foreignKey = await deriveSessionCookieKey('some-other-deployment-secret-0123456789abcdef');
    const foreign = await new SignJWT({ sid: 's', uid: 'u', oid: 'o', v: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(foreignKey);
    for (const cookie of [`${header}.${payload}.`, `${header}.${payload}.AAAA`, 'garbage', foreign]) {
      const response = await middleware(request('/audit', cookie));
      expectRedirectToLogin(response, '/audit');
      expectCleared(response);
    }
  });

  it('never builds an open redirect from the requested path', async () => {
    const response = await middleware(request('/dashboard/..%2F%2Fevil.com'));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!, ORIGIN);
    expect(location.origin).toBe(ORIGIN);
    const returnTo = location.searchParams.get('returnTo')!;
    expect(new URL(returnTo, ORIGIN).origin).toBe(ORIGIN);
  });

  it('does not mark cookies Secure on a plain-http localhost APP_URL', async () => {
    const response = await middleware(request('/dashboard', 'garbage'));
    expect(clearedCookie(response)).not.toMatch(/Secure/i);
    expect(clearedCookie(response)).toMatch(/SameSite=Lax/i);
  });
});

describe('middleware on an https APP_URL', () => {
  /** A fresh copy of the app's modules whose environment was read with APP_URL on https. */
  async function httpsApp() {
    const previous = process.env.APP_URL;
    vi.resetModules();
    process.env.APP_URL = 'https://teamgate.example.com';
    try {
      const app = { ...(await import('@/middleware')), ...(await import('@/lib/session/cookie')), ...(await import('@/lib/env')) };
      expect(app.getEnv().APP_URL).toBe('https://teamgate.example.com');
      return app;
    } finally {
      process.env.APP_URL = previous;
      vi.resetModules();
    }
  }
  const secureRequest = (path: string, cookie: string) =>
    new NextRequest(new URL(path, 'https://teamgate.example.com'), { headers: { cookie } });

  it('cookieName_middleware: reads only __Host-tg_session, and clears a bad one with Secure, Path=/ and no Domain', async () => {
    const app = await httpsApp();
    expect(app.appSessionCookieName()).toBe('__Host-tg_session');
    const token = await app.signAppSessionCookie({
      sessionId: 'sess_1',
      userId: 'usr_1',
      organizationId: 'org_acme',
      expiresAt: new Date(Date.now() + HOUR),
    });
    const ok = await app.middleware(secureRequest('/dashboard', `__Host-tg_session=${token}`));
    expect(passedThrough(ok)).toBe(true);
    expect(ok.headers.get('strict-transport-security')).toMatch(/max-age=63072000/);

    // The bare name is what a sibling subdomain or a plain-http page could plant: not a session here.
    const planted = await app.middleware(secureRequest('/dashboard', `tg_session=${token}`));
    expect(planted.status).toBe(302);

    const bad = await app.middleware(secureRequest('/dashboard', '__Host-tg_session=garbage'));
    expect(bad.status).toBe(302);
    const cleared = bad.headers.getSetCookie();
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatch(/^__Host-tg_session=; /);
    expect(cleared[0]).toMatch(/; Secure/i);
    expect(cleared[0]).toMatch(/; Path=\/(;|$)/);
    expect(cleared[0]).toMatch(/Max-Age=0/i);
    expect(cleared[0]).not.toMatch(/Domain=/i);
  });
});

describe('middleware on protected APIs', () => {
  it('answers 401 JSON instead of redirecting', async () => {
    const response = await middleware(request('/api/me'));
    expect(response.status).toBe(401);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ error: 'unauthenticated' });
  });

  it('clears a bad cookie on API calls too, and lets a good one through', async () => {
    const bad = await middleware(request('/api/orgs/org_acme/members', 'x.y.z', { method: 'POST' }));
    expect(bad.status).toBe(401);
    expectCleared(bad);
    expect(passedThrough(await middleware(request('/api/invitations', await validCookie(), { method: 'POST' })))).toBe(true);
  });

  it('leaves API-key (Bearer) calls on APIs to the route, which checks the key in the database', async () => {
    const withKey = new NextRequest(new URL('/api/invitations', ORIGIN), {
      method: 'POST',
      headers: { authorization: 'Bearer tg_live_whatever' },
    });
    expect(passedThrough(await middleware(withKey))).toBe(true);
    // A Bearer header does not open protected pages.
    const page = new NextRequest(new URL('/dashboard', ORIGIN), { headers: { authorization: 'Bearer tg_live_whatever' } });
    expect((await middleware(page)).status).toBe(302);
  });
});

describe('security headers and request id', () => {
  const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? '')?.[1];

  it('csp_middleware: every response gets a CSP with a fresh nonce, which Next.js also receives on the request', async () => {
    const a = await middleware(request('/login'));
    const b = await middleware(request('/login'));
    const nonce = nonceOf(a.headers.get('content-security-policy'));
    expect(nonce).toBeTruthy();
    expect(nonceOf(b.headers.get('content-security-policy'))).not.toBe(nonce);
    // NextResponse.next({ request: { headers } }) hands these to the render as request headers.
    expect(a.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
    expect(nonceOf(a.headers.get('x-middleware-request-content-security-policy'))).toBe(nonce);
    expect(a.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'; /);
    expect(a.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('an uploaded logo gets a policy of its own: nothing runs, sandboxed; other org paths keep the pages’ policy', async () => {
    const logo = await middleware(request('/api/orgs/org_acme/logo?v=abc', await validCookie()));
    expect(logo.headers.get('content-security-policy')).toBe(UPLOADED_IMAGE_CSP);
    expect(logo.headers.get('content-security-policy')).toMatch(/default-src 'none'.*; sandbox$/);
    const csv = await middleware(request('/api/orgs/org_acme/logo/x', await validCookie()));
    expect(nonceOf(csv.headers.get('content-security-policy'))).toBeTruthy();
  });

  it('redirects and 401s carry the same headers; http APP_URL means no HSTS', async () => {
    for (const response of [await middleware(request('/dashboard')), await middleware(request('/api/me'))]) {
      expect(response.headers.get('content-security-policy')).toContain("object-src 'none'");
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it("requestId_middleware: keeps a proxy's well-formed x-request-id, replaces a malformed one, and forwards it to the app", async () => {
    const kept = await middleware(new NextRequest(new URL('/login', ORIGIN), { headers: { 'x-request-id': 'lb-0123456789' } }));
    expect(kept.headers.get('x-request-id')).toBe('lb-0123456789');
    expect(kept.headers.get('x-middleware-request-x-request-id')).toBe('lb-0123456789');
    const replaced = await middleware(new NextRequest(new URL('/login', ORIGIN), { headers: { 'x-request-id': 'x y' } }));
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('middleware scope', () => {
  it('passes public paths through untouched, even with a bad cookie', async () => {
    for (const path of ['/', '/login', '/api/auth/callback?code=x&state=y', '/signed-out']) {
      const response = await middleware(request(path, 'garbage'));
      expect(passedThrough(response)).toBe(true);
      expect(clearedCookie(response)).toBeUndefined();
    }
  });

  it('covers every protected prefix (the session check) and every public page (the headers)', () => {
    for (const prefix of PROTECTED_PREFIXES) {
      expect(unstable_doesMiddlewareMatch({ config, url: prefix }), prefix).toBe(true);
      expect(unstable_doesMiddlewareMatch({ config, url: `${prefix}/x/y?z=1` }), prefix).toBe(true);
    }
  });

  it.each([
    ['/dashboard', true],
    ['/dashboard/billing', true],
    ['/api/me', true],
    ['/api/orgs/org_acme/invitations', true],
    ['/login', true],
    ['/api/auth/login', true],
    ['/api/webhooks/scalekit', true],
    ['/', true],
    ['/dashboards', true],
    ['/_next/static/chunks/main-abc123.js', false],
    ['/_next/image?url=%2Fa.png&w=64&q=75', false],
    ['/favicon.ico', false],
  ] as const)('Next runs the middleware for %s: %s', (url, expected) => {
    expect(unstable_doesMiddlewareMatch({ config, url })).toBe(expected);
  });

  it('imports nothing that needs Node.js (it runs on the Edge runtime)', () => {
    const root = dirname(fileURLToPath(import.meta.url));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const allowedPackages = new Set(['next/server', 'jose', 'zod']);
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, spec] of source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        if (!spec) continue;
        if (builtins.has(spec)) throw new Error(`${file} imports the Node built-in ${spec}`);
        if (spec.startsWith('@/')) visit(`${join(root, spec.slice(2))}.ts`);
        else if (spec.startsWith('.')) visit(`${resolve(dirname(file), spec)}.ts`);
        else packages.add(spec);
      }
    };
    visit(join(root, 'middleware.ts'));
    expect(seen.size).toBeGreaterThan(3);
    expect([...packages].filter((p) => !allowedPackages.has(p))).toEqual([]);
  });
});
