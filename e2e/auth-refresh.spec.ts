import { expect, test } from '@playwright/test';
import pg from 'pg';
import { signIn } from './pages/dashboard-page';
import { E2E_DATABASE_NAME, E2E_EMULATOR_URL } from './support/test-env';

async function setAccessTokenTtl(seconds: number) {
  const res = await fetch(`${E2E_EMULATOR_URL}/_emulator/settings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessTokenTtlSeconds: seconds }),
  });
  expect(res.status).toBe(200);
}

/** The Session row this browser's cookie names (other specs sign the same people in at the same time). */
async function sessionRow(cookieValue: string) {
  const sid = JSON.parse(Buffer.from(cookieValue.split('.')[1]!, 'base64url').toString()).sid as string;
  const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${E2E_DATABASE_NAME}` });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: number; revokedAt: Date | null }>(
      'SELECT version, "revokedAt" FROM "Session" WHERE id = $1',
      [sid],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

test('the session survives access-token expiry with no visible re-login', async ({ page }) => {
  // Short-lived access tokens: every request below finds the token expired and refreshes it.
  await setAccessTokenTtl(2);
  try {
    const dashboard = await signIn(page, { email: 'gina@globex.test', via: 'sso' });
    await dashboard.expectSignedIn({ email: 'gina@globex.test', org: 'Globex', role: 'Admin' });
    for (let i = 0; i < 3; i++) {
      await page.waitForTimeout(2_100);
      await page.goto(i % 2 ? '/dashboard' : '/account');
      await expect(page).not.toHaveURL(/\/login/);
    }
    await page.goto('/dashboard');
    await dashboard.expectSignedIn({ email: 'gina@globex.test', org: 'Globex', role: 'Admin' });
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tg_session')!;
    const row = await sessionRow(cookie.value);
    expect(row.revokedAt).toBeNull();
    expect(row.version).toBeGreaterThanOrEqual(3);
  } finally {
    await setAccessTokenTtl(300);
  }
});
