import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { AdminsOnlyPage, InvitationRevokedPage, NotFoundPage } from './pages/dead-end-pages';
import { waitForEmail } from './pages/emulator-pages';
import { freshOrganization, privateOrganization, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { seriousViolations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { TeamPage } from './pages/team-page';

/**
 * Dead ends that now say what happened and what to do (issue 15 item 5). Each test has its own
 * organization and people: the stack is shared by specs running in parallel.
 */

/** A fresh organization with an admin and an ACTIVE member, both in the app's mirror. */
async function orgWithMember(tag: string) {
  const { orgId, admin } = await privateOrganization(tag);
  const member = `member-${tag}@acme.test`;
  const { user } = await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });
  await webhooksDelivered(orgId);
  return { orgId, admin, member, memberId: user!.id, orgName: `Invites ${tag}` };
}

test('adminPage_memberGetsExplanation: a member opening an admin page is told whom to ask; an outsider still gets a 404', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const tag = randomBytes(4).toString('hex');
  const { orgId, admin, member, orgName } = await orgWithMember(tag);
  await signIn(page, member, `/orgs/${orgId}/team`);

  const team = new TeamPage(page);
  await expect(page.getByText(`Only admins of ${orgName} can manage the team — ask ${admin}`)).toBeVisible();
  await expect(page.getByTestId('team-admin-actions')).toHaveCount(0);

  const notice = new AdminsOnlyPage(page);
  for (const [path, what] of [
    ['team/bulk', 'invite people to the team'],
    ['audit', 'see the audit log'],
    ['settings', "change the organization's settings"],
    ['settings/api-keys', 'manage API keys'],
  ] as const) {
    const response = await page.goto(`/orgs/${orgId}/${path}`);
    expect(response?.status(), path).toBe(200);
    await expect(notice.heading, path).toHaveText(`Only admins of ${orgName} can ${what}`);
    await expect(notice.adminsToAsk.getByRole('link', { name: admin })).toHaveAttribute('href', `mailto:${admin}`);
    // Nothing of the admin page itself reaches a member.
    await expect(page.getByRole('heading', { name: /^(Settings|API keys|Audit log|Bulk invite)$/ })).toHaveCount(0);
  }
  expect(await seriousViolations(page)).toEqual([]);
  await notice.backToTeam.click();
  await expect(team.heading).toBeVisible();

  // Acme is not this member's organization: the same 404 as an organization that does not exist.
  for (const path of ['/orgs/org_acme/settings', '/orgs/org_acme/team/bulk', '/orgs/org_doesnotexist/audit']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(new NotFoundPage(page).heading).toBeVisible();
    await expect(page.getByText('Only admins of')).toHaveCount(0);
  }
});

test('removedUser_toldNoLongerMember: a member removed from their only organization is told so at sign-in', async ({ page }) => {
  test.setTimeout(60_000);
  const tag = randomBytes(4).toString('hex');
  const { orgId, member, memberId } = await orgWithMember(tag);
  // Signed in once, so the app knows the person.
  await signIn(page, member, `/orgs/${orgId}/team`);
  await page.context().clearCookies();
  await scalekit.user.deleteMembership(orgId, memberId);
  await webhooksDelivered(orgId);

  const login = new LoginPage(page);
  await expect(async () => {
    await login.goto();
    await login.emailInput.fill(member);
    await login.continueWithEmail.click();
    await expect(login.errorBanner).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  await expect(login.errorBanner).toContainText('You are no longer a member of any organization');
  await expect(login.errorBanner).toContainText('ask an admin of your organization to invite you again');
  expect(await seriousViolations(page)).toEqual([]);
});

test('revokedInvitation_saysRevoked: the link of a revoked invitation says it was revoked and by which organization', async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  const { tag, orgId, admin } = await freshOrganization();
  const invitee = `revoked-${tag}@acme.test`;
  const since = new Date(Date.now() - 1_000).toISOString();
  await scalekit.user.createUserAndMembership(orgId, { email: invitee, sendInvitationEmail: true });
  const email = await waitForEmail(invitee, (e) => e.subject.startsWith("You're invited"), since);
  const link = email.links[0]!;

  const team = new TeamPage(page);
  await signIn(page, admin, `/orgs/${orgId}/team`);
  await team.waitForRow(invitee, orgId);
  await team.runRowAction(invitee, 'Revoke invitation', 'Revoke');
  await expect(team.row(invitee)).toHaveCount(0);

  // The invitee, in their own browser, opens the link from the email.
  const context = await browser.newContext();
  try {
    const inviteePage = await context.newPage();
    await inviteePage.goto(link);
    const revoked = new InvitationRevokedPage(inviteePage);
    await expect(revoked.heading).toBeVisible();
    await expect(revoked.root).toContainText(`The invitation for ${invitee} was revoked by an admin of Invites ${tag}`);
    await expect(revoked.root).toContainText(`ask an admin of Invites ${tag} to invite you again`);
    await expect(inviteePage.getByText(/invitation only/i)).toHaveCount(0);
    expect(await seriousViolations(inviteePage)).toEqual([]);
    // The page checks for itself: a crafted link for a live invitation is not called revoked.
    await inviteePage.goto(`/auth/invitation/revoked?login_hint=new.hire%40acme.test&organization_id=org_acme`);
    await expect(revoked.heading).toHaveCount(0);
  } finally {
    await context.close();
  }
});
