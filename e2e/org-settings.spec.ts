import { expect, test } from '@playwright/test';
import { freshOrganization, InviteDialog, scalekit, signIn, toast } from './pages/invitations';
import { SettingsPage } from './pages/settings-page';
import { TeamPage } from './pages/team-page';
import { AdminsOnlyPage } from './pages/dead-end-pages';

/**
 * Organization settings end to end, in an organization of the spec's own (the stack is shared
 * by specs running in parallel): what an admin saves is what the invite form enforces, and a
 * seat limit the organization already exceeds is refused without changing anything.
 */

test('an admin limits domains and seats; invitations follow the domains and a limit below usage is refused', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization(100);
  const member = `member-${tag}@acme.test`;
  await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });

  await signIn(page, admin, `/orgs/${orgId}/team`);
  const team = new TeamPage(page);
  // Seats are counted from the mirror, which the member reaches by webhook.
  await team.waitForRow(member, orgId);

  const settings = new SettingsPage(page);
  await settings.goto(orgId);
  await settings.submit({ seatLimit: '10', domains: 'acme.test\n@Partner.test, acme.test' });
  await expect(toast(page, 'Settings saved.')).toBeVisible();

  await settings.goto(orgId);
  await expect(settings.domains).toHaveValue('acme.test\npartner.test');
  await expect(settings.seatLimit).toHaveValue('10');
  await expect(settings.usage).toHaveText('2 seats in use of 10.');

  await team.goto(orgId);
  await expect(team.seats).toContainText('2 of 10 seats used');
  const form = new InviteDialog(page);
  const outsider = `outsider-${tag}@globex.test`;
  await form.invite(outsider);
  await expect(
    form.dialog.getByText(`Invites ${tag} only invites addresses at acme.test, partner.test. Ask an admin to add the domain in Settings.`),
  ).toBeVisible();
  await expect(form.email).toHaveAttribute('aria-invalid', 'true');
  await expect(form.email).toHaveValue(outsider);

  const partner = `guest-${tag}@partner.test`;
  await form.invite(partner);
  await expect(toast(page, `Invitation sent to ${partner}.`)).toBeVisible();
  await expect(form.dialog).toBeHidden();
  await expect(team.row(partner).getByTestId('member-status')).toHaveText('Pending');
  await expect(team.row(outsider)).toHaveCount(0);

  // Admin, member and the pending invitation: 3 seats, so 2 is below usage.
  await settings.goto(orgId);
  await settings.submit({ seatLimit: '2', domains: '' });
  const refusal = '3 seats are in use (members and pending invitations). Set a limit of at least 3, or remove people first.';
  await expect(settings.seatLimitError).toHaveText(refusal);
  await expect(settings.seatLimit).toHaveAttribute('aria-invalid', 'true');
  await expect(toast(page, refusal)).toBeVisible();

  // Refused as a whole: neither the limit nor the cleared domain list was saved.
  await settings.goto(orgId);
  await expect(settings.seatLimit).toHaveValue('10');
  await expect(settings.domains).toHaveValue('acme.test\npartner.test');
  await expect(settings.usage).toHaveText('3 seats in use of 10.');
});

test('a member of the organization is told to ask an admin, and never sees the settings form', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization();
  const member = `member-${tag}@acme.test`;
  await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });

  await signIn(page, member, `/orgs/${orgId}/team`);
  await expect(new TeamPage(page).row(member)).toBeVisible();

  // Members get the explanation naming whom to ask (outsiders still get a 404: e2e/dead-ends.spec.ts).
  await page.goto(`/orgs/${orgId}/settings`);
  const notice = new AdminsOnlyPage(page);
  await expect(notice.heading).toContainText(`Only admins of Invites ${tag}`);
  await expect(notice.adminsToAsk).toContainText(admin);
  await expect(page.getByRole('form', { name: 'Organization settings' })).toHaveCount(0);
});
