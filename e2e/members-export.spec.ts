import { expect, test } from '@playwright/test';
import { freshOrganization, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { TeamPage } from './pages/team-page';

/** The team page's "Export CSV": the people it shows, with its filters, as a file. */

test('members export: the file holds what the page shows, filtered the same way', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization();
  const active = `active-${tag}@acme.test`;
  const pending = `pending-${tag}@acme.test`;
  await scalekit.user.createUserAndMembership(orgId, { email: active, sendInvitationEmail: false });
  await scalekit.user.createUserAndMembership(orgId, { email: pending, sendInvitationEmail: true });
  await webhooksDelivered(orgId);

  const team = new TeamPage(page);
  await signIn(page, admin, `/orgs/${orgId}/team`);
  await team.waitForRow(pending, orgId);

  const all = await team.exportCsv();
  expect(all.split('\r\n')[0]).toBe(
    '"name","email","role","status","invited_by","invited_at","joined_at","expires_at","last_sign_in_at","sign_in_method"',
  );
  for (const email of [admin, active, pending]) expect(all).toContain(`"${email}"`);
  expect(all).toMatch(new RegExp(`"${pending}","Member","Pending"`));

  await team.statusFilter.selectOption('pending');
  await team.apply.click();
  await expect(team.rows).toHaveCount(1);
  const filtered = await team.exportCsv();
  expect(filtered).toContain(`"${pending}"`);
  expect(filtered).not.toContain(`"${active}"`);
});
