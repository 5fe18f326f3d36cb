import { create } from '@bufbuild/protobuf';
import { expect, test } from '@playwright/test';
import { CreateRoleSchema } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/roles/roles_pb.js';
import { AdminsOnlyPage } from './pages/dead-end-pages';
import { freshOrganization, InviteDialog, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { TeamPage } from './pages/team-page';

/**
 * Roles are Scalekit's (the emulator's seeded environment roles admin, member and viewer, and a
 * recruiter role made here as a customer would), and the page offers each person what their role's
 * permissions allow: every role to an admin, only roles that hold no more than theirs to a
 * recruiter, who may invite but not manage.
 */

test.beforeAll(async () => {
  // The stack is shared by specs in parallel: create the role once, whoever gets there first.
  await scalekit.role
    .createRole(
      create(CreateRoleSchema, {
        name: 'recruiter',
        displayName: 'Recruiter',
        description: 'Invites people',
        permissions: ['members:invite'],
        extends: 'viewer',
      }),
    )
    .catch((error: unknown) => {
      if (!/already exists/i.test(String((error as Error).message))) throw error;
    });
});

async function personWithRole(orgId: string, email: string, role: string): Promise<void> {
  const { user } = await scalekit.user.createUserAndMembership(orgId, { email, sendInvitationEmail: false });
  await scalekit.user.updateMembership(orgId, user!.id, { roles: [role] });
}

test('an admin sees every role and gives one; a recruiter invites with the roles they may give and manages nobody', async ({ browser }) => {
  const { tag, orgId, admin } = await freshOrganization();
  const recruiter = `recruiter-${tag}@acme.test`;
  const member = `member-${tag}@acme.test`;
  await personWithRole(orgId, recruiter, 'recruiter');
  await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });
  await webhooksDelivered(orgId);

  const adminPage = await (await browser.newContext()).newPage();
  const team = new TeamPage(adminPage);
  await signIn(adminPage, admin, `/orgs/${orgId}/team`);
  await team.waitForRow(member, orgId);
  await expect(team.row(recruiter).getByTestId('member-role')).toHaveText('Recruiter');
  const adminInvite = new InviteDialog(adminPage);
  await adminInvite.open.click();
  await expect(adminInvite.role.locator('option')).toHaveText([/^Admin — /, /^Member — /, /^Viewer — /, /^Recruiter — /]);
  await adminPage.keyboard.press('Escape');

  await team.runRowAction(member, 'Make Viewer', 'Change role');
  await expect(team.toast(`${member} is now viewer.`)).toBeVisible();
  await expect(team.row(member).getByTestId('member-role')).toHaveText('Viewer');
  await team.roleFilter.selectOption('viewer');
  await team.apply.click();
  await expect(team.rows).toHaveCount(1);

  const page = await (await browser.newContext()).newPage();
  const recruiterTeam = new TeamPage(page);
  await signIn(page, recruiter, `/orgs/${orgId}/team`);
  await expect(page.getByTestId('team-admin-actions')).toBeVisible();
  // No tabs for what the role cannot do, and no menu on members: only invitations can be acted on.
  await expect(page.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await expect(recruiterTeam.actionsFor(member)).toHaveCount(0);
  const invite = new InviteDialog(page);
  await invite.open.click();
  await expect(invite.role.locator('option')).toHaveText([/^Member — /, /^Viewer — /, /^Recruiter — /]);
  const invitee = `viewer-${tag}@acme.test`;
  await invite.invite(invitee, 'viewer');
  await expect(invite.dialog).toBeHidden();
  await recruiterTeam.waitForRow(invitee, orgId);
  await expect(recruiterTeam.row(invitee).getByTestId('member-role')).toHaveText('Viewer');
  await expect(recruiterTeam.actionsFor(invitee)).toBeVisible();

  // The server decides, not the missing tab: the settings page says whom to ask.
  await page.goto(`/orgs/${orgId}/settings`);
  await expect(new AdminsOnlyPage(page).heading).toContainText('Only admins of');
});
