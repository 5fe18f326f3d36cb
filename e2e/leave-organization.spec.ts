import { expect, test } from '@playwright/test';
import { freshOrganization, scalekit, signIn, toast, webhooksDelivered } from './pages/invitations';
import { TeamPage } from './pages/team-page';

/** Leaving an organization from the account page: a member goes, the last admin is told what to do first. */

test('a member leaves from the account page and is signed out of it; the last admin is refused with what to do', async ({ browser }) => {
  const { tag, orgId, admin } = await freshOrganization();
  const orgName = `Invites ${tag}`;
  const member = `leaver-${tag}@acme.test`;
  await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });
  await webhooksDelivered(orgId);

  const adminPage = await (await browser.newContext()).newPage();
  await signIn(adminPage, admin, '/account');
  await adminPage.getByRole('button', { name: `Leave ${orgName}` }).click();
  await adminPage.getByRole('alertdialog').getByRole('button', { name: 'Leave' }).click();
  await expect(toast(adminPage, /You are the last admin of this organization/)).toBeVisible();
  await expect(adminPage.getByTestId('account-org')).toHaveCount(1);

  const page = await (await browser.newContext()).newPage();
  await signIn(page, member, '/account');
  await expect(page.getByTestId('account-org')).toHaveText([new RegExp(`${orgName}\\s*Member`)]);
  await page.getByRole('button', { name: `Leave ${orgName}` }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('To come back, an admin has to invite you again.');
  await dialog.getByRole('button', { name: 'Leave' }).click();
  // Their only organization: the session in it ended, so the app asks them to sign in again.
  await page.waitForURL((url) => url.pathname === '/login');

  const team = new TeamPage(adminPage);
  await team.goto(orgId);
  await expect(team.row(member)).toHaveCount(0);
});
