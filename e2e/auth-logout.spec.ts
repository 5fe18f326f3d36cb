import { expect, test } from '@playwright/test';
import { signIn } from './pages/dashboard-page';

test('logout ends the session; the back button then shows nothing private', async ({ page }) => {
  const dashboard = await signIn(page, { email: 'max@acme.test', via: 'social', provider: 'Google' });
  await dashboard.expectSignedIn({ email: 'max@acme.test', org: 'Acme', role: 'Member' });
  const cookieBefore = (await page.context().cookies()).find((c) => c.name === 'tg_session')!;

  await dashboard.signOut();
  await page.waitForURL(/\/signed-out(\?|$)/);
  await expect(page.getByRole('heading', { name: "You're signed out" })).toBeVisible();
  expect((await page.context().cookies()).find((c) => c.name === 'tg_session')).toBeUndefined();

  await page.goBack();
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  await expect(page.getByText('max@acme.test')).toHaveCount(0);

  // The old cookie, replayed, no longer opens anything: the row is revoked.
  await page.context().addCookies([{ ...cookieBefore }]);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?returnTo=%2Fdashboard$/);
});

test('sign out of all devices ends every session of the user', async ({ browser }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const a = await first.newPage();
    const b = await second.newPage();
    await signIn(a, { email: 'ada@acme.test', via: 'social', provider: 'GitHub' });
    await signIn(b, { email: 'ada@acme.test', via: 'social', provider: 'GitHub' });
    await a.goto('/account');
    await expect(a.getByTestId('session-other').first()).toBeVisible();
    // It asks first (an alert dialog); Cancel changes nothing.
    await a.getByRole('button', { name: 'Sign out of all devices' }).click();
    const confirm = a.getByRole('alertdialog', { name: 'Sign out of all devices?' });
    await expect(confirm).toBeVisible();
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(a).toHaveURL(/\/account$/);
    await b.goto('/dashboard');
    await expect(b).toHaveURL(/\/dashboard$/);
    await a.getByRole('button', { name: 'Sign out of all devices' }).click();
    await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
    await a.waitForURL(/\/signed-out(\?|$)/);
    await b.goto('/dashboard');
    await expect(b).toHaveURL(/\/login\?returnTo=%2Fdashboard$/);
  } finally {
    await first.close();
    await second.close();
  }
});
