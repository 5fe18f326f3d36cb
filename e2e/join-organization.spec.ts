import { expect, test } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { seriousViolations } from './support/axe';
import { EmulatorPages } from './pages/emulator-pages';
import { freshOrganization, scalekit, signIn, webhooksDelivered } from './pages/invitations';

/**
 * Issue 14 item 5: a signed-in person invited to another organization sees "Join <org>" in the
 * switcher. Joining goes through Scalekit's hosted switcher (the invitation can only be accepted
 * there), then the session opens in the new organization.
 */
test('a signed-in member invited to a second organization joins it from the switcher, through Scalekit', async ({ page }) => {
  const home = await freshOrganization();
  const other = await freshOrganization();
  const otherName = `Invites ${other.tag}`;
  const email = `joiner-${home.tag}@acme.test`;
  const { user } = await scalekit.user.createUserAndMembership(home.orgId, { email, sendInvitationEmail: false });
  await webhooksDelivered(home.orgId);

  await signIn(page, email, '/dashboard');
  const dashboard = new DashboardPage(page);
  await dashboard.expectSignedIn({ email, org: `Invites ${home.tag}`, role: 'Member' });
  await dashboard.orgSwitcher.click();
  await expect(dashboard.joinItem(otherName)).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Invited after signing in: the invitation reaches the app's mirror through the webhook.
  await scalekit.user.createMembership(other.orgId, user!.id, { sendInvitationEmail: true });
  await webhooksDelivered(other.orgId);
  await expect(async () => {
    await page.reload();
    await dashboard.orgSwitcher.click();
    await expect(dashboard.joinItem(otherName)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  // The switcher open, with its Invitations group: axe clean.
  expect(await seriousViolations(page)).toEqual([]);
  await dashboard.joinItem(otherName).click();

  // Scalekit's hosted switcher lists the invitation with its own Join button.
  await new EmulatorPages(page).pickOrganization(`Join ${otherName}`);
  await page.waitForURL((url) => url.pathname === '/dashboard');
  await dashboard.expectSignedIn({ email, org: otherName, role: 'Member' });
  await dashboard.orgSwitcher.click();
  await expect(page.getByRole('menuitemradio', { name: new RegExp(`^Invites ${home.tag}`) })).toBeVisible();
  await expect(dashboard.joinItem(otherName)).toHaveCount(0);
});
