import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { LoginPage } from './pages/login-page';
import { E2E_DATABASE_NAME, e2eServerEnv } from './support/test-env';

/**
 * The per-IP limit on sign-in starts, as a browser meets it. The e2e server allows a very high
 * limit so parallel specs (all from 127.0.0.1) never trip it, and making that many requests in
 * one 60-second window is not practical on two cores. So each test takes an address of its own
 * (the server trusts one proxy hop: the last X-Forwarded-For entry is the client) and starts its
 * window two sign-ins short of the limit, by writing the counter the limiter keeps in PostgreSQL.
 * The last two allowed starts and the refusal then go through the real limiter.
 */

const LOGIN_LIMIT = Number(e2eServerEnv().RATE_LIMIT_LOGIN_PER_MINUTE);

function e2eDatabaseUrl(): string {
  const url = new URL(process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${E2E_DATABASE_NAME}`;
  return url.toString();
}

/** An address from the IPv6 documentation range that no other spec or run uses. */
function uniqueIp(): string {
  const hex = randomBytes(8).toString('hex').match(/.{4}/g)!;
  return `2001:db8:${hex.join(':')}`;
}

async function useUpLoginBudget(ip: string, leave: number): Promise<void> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`INSERT INTO "RateLimitBucket" ("key", "count", "resetAt") VALUES ($1, $2, now() + interval '60 seconds')`, [
      `login:ip:${ip}`,
      LOGIN_LIMIT - leave,
    ]);
  } finally {
    await client.end();
  }
}

test('sign-in starts over the per-IP limit get a 429 page with Retry-After; other addresses are unaffected', async ({ page, context }) => {
  const ip = uniqueIp();
  await context.setExtraHTTPHeaders({ 'X-Forwarded-For': ip });
  await useUpLoginBudget(ip, 2);

  const login = new LoginPage(page);
  const start = (email: string) => `/api/auth/login?${new URLSearchParams({ login_hint: email })}`;
  for (const n of [1, 2]) {
    const allowed = await page.request.get(start(`within-${n}@acme.test`), { maxRedirects: 0 });
    expect(allowed.status(), `start ${n} of the last two`).toBe(302);
  }

  // Over the limit: the sign-in form itself, as a person would use it.
  await login.goto();
  await login.emailInput.fill('over-the-limit@acme.test');
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login'),
    login.continueWithEmail.click(),
  ]);
  expect(response.status()).toBe(429);
  const headers = response.headers();
  const retryAfter = Number(headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${headers['retry-after']}`).toBe(true);
  expect(headers['cache-control']).toContain('no-store');
  expect(headers['ratelimit-remaining']).toBe('0');

  await expect(page).toHaveTitle('Too many sign-in attempts · Teamgate');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Too many sign-in attempts');
  await expect(page.getByRole('alert')).toHaveText(
    new RegExp(`^Too many sign-in attempts from your network\\. Wait ${retryAfter} seconds? and try again\\.$`),
  );
  await page.getByRole('link', { name: 'Back to sign-in' }).click();
  await expect(login.heading).toBeVisible();

  // The invitation link's start shares the budget; API clients get JSON.
  const initiate = await page.request.get(`/auth/login/initiate?${new URLSearchParams({ login_hint: 'invitee@acme.test' })}`, {
    maxRedirects: 0,
    headers: { Accept: 'application/json' },
  });
  expect(initiate.status()).toBe(429);
  expect(initiate.headers()['retry-after']).toMatch(/^\d+$/);
  expect(await initiate.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/^Too many sign-in attempts/) } });

  const elsewhere = await page.request.get(start('elsewhere@acme.test'), { maxRedirects: 0, headers: { 'X-Forwarded-For': uniqueIp() } });
  expect(elsewhere.status()).toBe(302);
});
