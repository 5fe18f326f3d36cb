import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import { expect, test } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { EmulatorPages, waitForEmail } from './pages/emulator-pages';
import { freshOrganization, InviteDialog, scalekit, signIn, toast } from './pages/invitations';
import { TeamPage } from './pages/team-page';

/**
 * Issue 11: Scalekit deletes a user with their last membership (developer-docs
 * src/content/docs/authenticate/manage-organizations/remove-users-from-organization.mdx), so a
 * removed member invited again is a new Scalekit user with the same email. The mirror still holds
 * the old one; the invitation, the acceptance and the sign-in must all work regardless.
 */
test('an admin removes a member and invites the same address again; the invitee accepts and lands in the organization', async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  const { tag, orgId, admin } = await freshOrganization(100);
  const member = `again-${tag}@acme.test`;
  const { user } = await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });
  const oldId = user!.id;

  const team = new TeamPage(page);
  await signIn(page, admin, `/orgs/${orgId}/team`);
  await team.waitForRow(member, orgId);
  await expect(team.row(member).getByTestId('member-status')).toHaveText('Active');

  await team.runRowAction(member, 'Remove from organization', 'Remove');
  await expect(team.toast(`${member} was removed from the organization.`)).toBeVisible();
  await expect(team.row(member)).toHaveCount(0);
  // What Scalekit does on the last membership's removal (the emulator may already do it itself).
  await scalekit.user.deleteUser(oldId).catch((error: unknown) => {
    if (!(error instanceof ScalekitNotFoundException)) throw error;
  });

  const since = new Date(Date.now() - 1_000).toISOString();
  await new InviteDialog(page).invite(member);
  await expect(toast(page, `Invitation sent to ${member}.`)).toBeVisible();
  await expect(team.row(member).getByTestId('member-status')).toHaveText('Pending');
  const invitation = await waitForEmail(member, (e) => e.subject.startsWith("You're invited"), since);
  expect(invitation.links).toHaveLength(1);

  // The invitee, in a browser of their own: Scalekit's hosted link → sign-up with a code → the app.
  const invitee = await browser.newContext();
  try {
    const theirs = await invitee.newPage();
    await theirs.goto(invitation.links[0]!);
    const idp = new EmulatorPages(theirs);
    await expect(idp.emailInput).toHaveValue(member);
    await idp.completeEmailCode(member);
    await theirs.waitForURL(/\/dashboard$/);
    await new DashboardPage(theirs).expectSignedIn({ email: member, org: `Invites ${tag}`, role: 'Member' });
  } finally {
    await invitee.close();
  }

  // The admin sees them as an active member again: one row, under the new Scalekit user.
  await team.waitForStatus(member, orgId, 'Active');
  await expect(team.row(member)).toHaveCount(1);
});
