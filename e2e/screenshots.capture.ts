/**
 * Regenerates the screenshots in docs/screenshots/ (README and docs use them):
 *   SCREENSHOTS=1 npx playwright test --project=screenshots
 * Not part of the normal run: it writes files into the repository.
 */
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './pages/dashboard-page';
import { waitForEmail } from './pages/emulator-pages';
import { scalekit } from './pages/invitations';
import { TeamPage } from './pages/team-page';

const OUT = 'docs/screenshots';

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  // Skeleton pulses and toasts would otherwise make every capture slightly different.
  await page.addStyleTag({ content: '*,*::before,*::after{animation:none!important;transition:none!important}' });
}

test.use({ viewport: { width: 1280, height: 800 } });

test('landing', async ({ page }) => {
  await page.goto('/');
  await settle(page);
  await page.screenshot({ path: `${OUT}/landing.png` });
  await page.screenshot({ path: `${OUT}/landing-full.png`, fullPage: true });
});

test('login', async ({ page }) => {
  await page.goto('/login');
  await settle(page);
  await page.screenshot({ path: `${OUT}/login.png` });
});

test('login with the organization ID open and an error', async ({ page }) => {
  await page.goto('/login?sso=1&error=access_denied');
  await settle(page);
  await page.screenshot({ path: `${OUT}/login-error-sso.png`, fullPage: true });
});

test('login: a removed user is told they are no longer a member', async ({ page }) => {
  await page.goto('/login?error=no_longer_member');
  await settle(page);
  await page.screenshot({ path: `${OUT}/login-no-longer-member.png`, fullPage: true });
});

test('a member opening an admin page', async ({ page }) => {
  await signIn(page, { email: 'max@acme.test', via: 'social', provider: 'Google' });
  await page.goto('/orgs/org_acme/settings');
  await expect(page.getByTestId('admins-only')).toBeVisible();
  await settle(page);
  await page.screenshot({ path: `${OUT}/admins-only.png`, fullPage: true });
});

test('a revoked invitation link, and sign out of all devices asking first', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const invitee = `revoked.${Date.now().toString(36)}@acme.test`;
  const since = new Date(Date.now() - 1_000).toISOString();
  await scalekit.user.createUserAndMembership('org_acme', { email: invitee, sendInvitationEmail: true });
  const link = (await waitForEmail(invitee, (e) => e.subject.startsWith("You're invited"), since)).links[0]!;
  await signIn(page, { email: 'ada@acme.test', via: 'social', provider: 'GitHub' });
  const team = new TeamPage(page);
  await team.waitForRow(invitee, 'org_acme');
  await team.runRowAction(invitee, 'Revoke invitation', 'Revoke');
  await expect(team.row(invitee)).toHaveCount(0);

  await page.goto('/account');
  await page.getByRole('button', { name: 'Sign out of all devices' }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await settle(page);
  await page.screenshot({ path: `${OUT}/sign-out-everywhere-confirm.png` });

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const other = await context.newPage();
    await other.goto(link);
    await expect(other.getByTestId('invitation-revoked')).toBeVisible();
    await settle(other);
    await other.screenshot({ path: `${OUT}/invitation-revoked.png` });
  } finally {
    await context.close();
  }
});

test('signed-in pages: dashboard, team, bulk invite, audit log, settings, API keys', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, { email: 'ada@acme.test', via: 'social', provider: 'GitHub' });
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await settle(page);
  await page.screenshot({ path: `${OUT}/dashboard.png` });
  for (const [path, file] of [
    ['/orgs/org_acme/team', 'team'],
    ['/orgs/org_acme/team/bulk', 'bulk-invite'],
    ['/orgs/org_acme/audit', 'audit-log'],
    ['/orgs/org_acme/settings', 'settings'],
    ['/orgs/org_acme/settings/api-keys', 'api-keys'],
  ] as const) {
    await page.goto(path);
    await settle(page);
    await page.screenshot({ path: `${OUT}/${file}.png`, fullPage: true });
  }
});

test('landing on a phone, dark mode', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await settle(page);
  await page.screenshot({ path: `${OUT}/landing-mobile-dark.png` });
});

test('team on a phone: the table scrolls sideways, the row menus stay on screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, { email: 'ada@acme.test', via: 'social', provider: 'GitHub' });
  await page.goto('/orgs/org_acme/team');
  await expect(page.getByRole('table', { name: 'Members and invitations' })).toBeVisible();
  await settle(page);
  await page.screenshot({ path: `${OUT}/team-mobile.png`, fullPage: true });
  await page.getByRole('button', { name: 'Actions for max@acme.test' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await page.screenshot({ path: `${OUT}/team-mobile-menu.png` });
});
