import { expect, test } from '@playwright/test';
import { AuditLogPage } from './pages/audit-page';
import { EmulatorPages, waitForEmail } from './pages/emulator-pages';
import { freshOrganization, InviteDialog, lastSentSecondsAgo, signIn, toast } from './pages/invitations';
import { TeamPage } from './pages/team-page';

test('an admin invites from the form; the invitee gets the email, signs up, and shows as Active', async ({ page, browser }) => {
  const { tag, orgId, admin } = await freshOrganization();
  const invitee = `newcomer-${tag}@acme.test`;
  await signIn(page, admin, `/orgs/${orgId}/team`);

  const form = new InviteDialog(page);
  const team = new TeamPage(page);

  // Field errors come back from the server and keep what was typed.
  await form.invite('not-an-email', 'member', 'Nova Newcomer');
  await expect(form.dialog.getByText('Enter a valid email address, like name@company.com.')).toBeVisible();
  await expect(form.email).toHaveAttribute('aria-invalid', 'true');
  await expect(form.name).toHaveValue('Nova Newcomer');

  await form.invite(invitee, 'member', 'Nova Newcomer');
  await expect(toast(page, `Invitation sent to ${invitee}.`)).toBeVisible();
  await expect(form.dialog).toBeHidden();
  await expect(team.row(invitee).getByTestId('member-status')).toHaveText('Pending');

  // The same address again: nothing new is sent, and a resend is offered.
  await form.invite(invitee);
  await expect(form.alreadyInvited).toContainText(`${invitee} has a pending invitation`);
  // The invitation went out seconds ago: the resend is refused, and the form says when it can go.
  await form.alreadyInvited.getByRole('button', { name: 'Resend invitation' }).click();
  await expect(form.alreadyInvited.getByTestId('resend-error')).toHaveText(
    /^This invitation was sent less than a minute ago\. You can resend it in \d+ seconds?\.$/,
  );
  await lastSentSecondsAgo(orgId, invitee, 90);
  await form.alreadyInvited.getByRole('button', { name: 'Resend invitation' }).click();
  await expect(toast(page, `Invitation sent again to ${invitee}.`)).toBeVisible();
  await expect(form.alreadyInvited).toContainText('The invitation was sent again.');

  const email = await waitForEmail(invitee, (e) => /You're invited to join/.test(e.subject));
  expect(email.links).toHaveLength(1);

  // The invitee, in a browser of their own, follows the link and signs up.
  const inviteeContext = await browser.newContext();
  try {
    const inviteePage = await inviteeContext.newPage();
    await inviteePage.goto(email.links[0]!);
    await new EmulatorPages(inviteePage).completeEmailCode(invitee);
    await expect(inviteePage).toHaveURL(/\/(dashboard|orgs\/)/, { timeout: 15_000 });
  } finally {
    await inviteeContext.close();
  }

  await team.waitForStatus(invitee, orgId, 'Active');

  const audit = new AuditLogPage(page);
  await audit.goto(orgId, { q: admin });
  const actions = (await audit.actions()).filter((a) => a.startsWith('invitation.'));
  expect(actions).toEqual(['invitation.resent', 'invitation.created']);
});
