import { expect, test, type APIResponse } from '@playwright/test';
import { signIn } from './pages/invitations';
import { SIGNED_IN_PAGES, SIGNED_OUT_PAGES } from './support/app-pages';
import { watchCsp } from './support/csp-watch';
import { E2E_EMULATOR_URL, E2E_HEALTH_CHECK_TOKEN } from './support/test-env';

/** The CSP header as a map of directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function expectSecurityHeaders(res: APIResponse): string {
  const h = res.headers();
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(h['permissions-policy']).toMatch(/camera=\(\)/);
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  // APP_URL is http://localhost here: HSTS would pin a host that has no TLS (middleware.test.ts covers https).
  expect(h['strict-transport-security']).toBeUndefined();
  expect(h['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  const csp = h['content-security-policy'] ?? '';
  const d = directives(csp);
  const script = d.get('script-src') ?? [];
  expect(script).toContain("'self'");
  expect(script).toContain("'strict-dynamic'");
  expect(script.some((s) => /^'nonce-[A-Za-z0-9+/=_-]{16,}'$/.test(s))).toBe(true);
  expect(script).not.toContain("'unsafe-inline'");
  expect(script).not.toContain("'unsafe-eval'");
  expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  expect(d.get('object-src')).toEqual(["'none'"]);
  expect(d.get('base-uri')).toEqual(["'self'"]);
  expect(d.get('form-action')).toEqual(["'self'", new URL(E2E_EMULATOR_URL).origin]);
  return csp;
}

test.describe('security headers', () => {
  test('securityHeaders_mainRoutes: pages, redirects and APIs carry the CSP, frame, referrer and permission headers', async ({
    request,
  }) => {
    for (const path of ['/', '/login', '/signed-out', '/api/health']) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBeLessThan(400);
      expectSecurityHeaders(res);
    }
    // A protected page redirecting an anonymous visitor, and an API refusing one.
    const redirect = await request.get('/dashboard', { maxRedirects: 0 });
    expect(redirect.status()).toBe(302);
    expectSecurityHeaders(redirect);
    const api = await request.get('/api/invitations', { maxRedirects: 0 });
    expect(api.status()).toBe(401);
    expectSecurityHeaders(api);
  });

  test('securityHeaders_noncePerRequest: every response has a fresh nonce, and the page scripts carry it', async ({ request }) => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await request.get('/login');
      const nonce = /'nonce-([^']+)'/.exec(res.headers()['content-security-policy'] ?? '')?.[1];
      expect(nonce).toBeTruthy();
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  test('requestId_echoed: a well-formed x-request-id from a proxy is kept and echoed; a bad one is replaced', async ({ request }) => {
    const kept = await request.get('/api/health', { headers: { 'x-request-id': 'lb-req-0123456789' } });
    expect(kept.headers()['x-request-id']).toBe('lb-req-0123456789');
    const replaced = await request.get('/api/health', { headers: { 'x-request-id': 'bad id<script>' } });
    expect(replaced.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('static assets stay on the cheap path: no per-request CSP work, still nosniff', async ({ request }) => {
    const html = await (await request.get('/login')).text();
    const asset = /\/_next\/static\/[^"']+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const res = await request.get(asset!);
    expect(res.status()).toBe(200);
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(res.headers()['content-security-policy']).toBeUndefined();
  });

  test('health endpoint: anyone gets the database check, the token adds Scalekit, nothing secret either way', async ({ request }) => {
    const basic = await request.get('/api/health');
    expect(basic.status()).toBe(200);
    expect(basic.headers()['cache-control']).toMatch(/no-store/);
    const body = (await basic.json()) as { status: string; scope: string; checks: Record<string, { ok: boolean; latencyMs: number }> };
    expect(body).toMatchObject({ status: 'ok', scope: 'basic', checks: { database: { ok: true, latencyMs: expect.any(Number) } } });
    expect(body.checks.scalekit).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/postgres|secret|sks_|whsec_/i);

    const detailed = await request.get('/api/health', { headers: { authorization: `Bearer ${E2E_HEALTH_CHECK_TOKEN}` } });
    expect(detailed.status()).toBe(200);
    const full = (await detailed.json()) as typeof body;
    expect(full).toMatchObject({ status: 'ok', scope: 'detailed' });
    expect(full.checks.database).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    expect(full.checks.scalekit).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    expect(JSON.stringify(full)).not.toMatch(/postgres|secret|sks_|whsec_|e2e-only/i);

    const wrong = await request.get('/api/health', { headers: { authorization: `Bearer ${E2E_HEALTH_CHECK_TOKEN}x` } });
    expect(wrong.status()).toBe(401);
    expect(JSON.stringify(await wrong.json())).not.toContain('scalekit');
  });

  test('health endpoint is rate-limited per client IP: past the budget a 429 with Retry-After', async ({ request }) => {
    // One address of our own (the server trusts one proxy hop), so other specs keep their budget.
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await request.get('/api/health', { headers: { 'x-forwarded-for': ip } })).status());
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    const refused = await request.get('/api/health', { headers: { 'x-forwarded-for': ip } });
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(0);
    expectSecurityHeaders(refused);
  });
});

test.describe('zero CSP violations in Chromium', () => {
  test('cspViolations_signedOut: every public page renders and hydrates without a violation or console error', async ({ page }) => {
    const watch = await watchCsp(page);
    for (const p of SIGNED_OUT_PAGES) {
      await page.goto(p.path);
      await expect(page.getByText(p.ready).first(), p.name).toBeVisible();
      // Hydration done: React attached its handlers (the sign-in page's SSO toggle is interactive).
      await page.waitForLoadState('networkidle');
    }
    await page.goto('/login');
    await page.getByText("Sign in with your organization's SSO").click();
    await expect(page.getByLabel('Organization ID', { exact: true })).toBeVisible();
    expect(watch.violations).toEqual([]);
    // The not-found page answers 404 on purpose; any other failed request (a broken link) counts.
    expect(watch.consoleErrors.filter((e) => !e.includes('/no-such-page'))).toEqual([]);
  });

  test('cspViolations_signedIn: every signed-in page renders without a violation, including client actions', async ({ page }) => {
    test.setTimeout(90_000);
    const watch = await watchCsp(page);
    await signIn(page, 'ada@acme.test', '/dashboard');
    for (const p of SIGNED_IN_PAGES) {
      await page.goto(p.path);
      await expect(page.getByText(p.ready).first(), p.name).toBeVisible();
      // 'load' rather than 'networkidle': signed-in pages prefetch their links and never go quiet.
      await page.waitForLoadState('load');
    }
    // Client-side work: open the invite dialog (a portal, styles injected at runtime) and the account menu.
    await page.goto('/orgs/org_acme/team');
    await page.getByRole('button', { name: 'Invite member' }).click();
    await expect(page.getByRole('dialog', { name: 'Invite a member' })).toBeVisible();
    await page.keyboard.press('Escape');
    expect(watch.violations).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
  });
});
