import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe';
import { BulkActionBar, BulkActionPage } from './pages/bulk-action-page';
import { freshOrganization, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { TeamPage } from './pages/team-page';

/**
 * Issue 14 item 3: select people on the team page, review what will happen to each (the last
 * admin and other rules per row), confirm, and watch a background job do it.
 */

test('an admin changes the role of selected members: review row by row, confirm, progress, results', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization();
  const people = [0, 1, 2].map((i) => `bulk${i}-${tag}@acme.test`);
  for (const email of people) await scalekit.user.createUserAndMembership(orgId, { email, sendInvitationEmail: false });
  await webhooksDelivered(orgId);

  await signIn(page, admin, `/orgs/${orgId}/team`);
  const team = new TeamPage(page);
  await expect(team.rows).toHaveCount(4);
  const bar = new BulkActionBar(page);
  await expect(bar.selected).toHaveText('Nobody selected');
  await expect(bar.review).toBeDisabled();
  await bar.select(people[0]!).check();
  await bar.select(people[1]!).check();
  // The admin themself, too: demoting the only admin is what the review must refuse.
  await bar.select(admin).check();
  await expect(bar.selected).toHaveText('3 selected');
  await bar.kind.selectOption({ label: 'Change role' });
  await bar.role.selectOption({ label: 'Viewer' });
  expect(await seriousViolations(page)).toEqual([]);
  await bar.review.click();

  await page.waitForURL(/\/team\/actions\/[^/]+$/);
  const action = new BulkActionPage(page);
  await expect(action.heading).toHaveText('Change role to Viewer');
  await expect(action.summary).toHaveText('2 of 3 selected will be changed; 1 will be skipped. Nothing has changed yet.');
  await expect(action.outcome(people[0]!)).toContainText('Will be done');
  await expect(action.outcome(admin)).toContainText('Skipped');
  await expect(action.outcome(admin)).toContainText('last admin');
  expect(await seriousViolations(page)).toEqual([]);
  // Nothing changed at Scalekit before confirming.
  const { user } = await scalekit.user.getUser(
    (await scalekit.user.listOrganizationUsers(orgId, { pageSize: 10 })).users.find((u) => u.email === people[0])!.id,
  );
  expect(user!.memberships.find((m) => m.organizationId === orgId)!.roles.map((r) => r.name)).toEqual(['member']);

  await action.confirm.click();
  await expect(action.summary).toHaveText(/^Finished: 2 done, 1 skipped, 0 failed\.$/, { timeout: 30_000 });
  expect(await seriousViolations(page)).toEqual([]);
  const csv = await action.downloadCsv();
  expect(csv).toContain(`"${people[0]}","member","done","Now viewer."`);
  expect(csv).toContain(`"${admin}","admin","skipped"`);

  await team.goto(orgId);
  await expect(team.row(people[0]!).getByTestId('member-role')).toHaveText('Viewer');
  await expect(team.row(people[1]!).getByTestId('member-role')).toHaveText('Viewer');
  await expect(team.row(people[2]!).getByTestId('member-role')).toHaveText('Member');
  await expect(team.row(admin).getByTestId('member-role')).toHaveText('Admin');
});

test('select all matching the filter: revoke every pending invitation; discarding a review changes nothing', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization();
  const invited = [0, 1].map((i) => `pending${i}-${tag}@acme.test`);
  for (const email of invited) await scalekit.user.createUserAndMembership(orgId, { email, sendInvitationEmail: true });
  await webhooksDelivered(orgId);

  await signIn(page, admin, `/orgs/${orgId}/team`);
  const team = new TeamPage(page);
  await team.statusFilter.selectOption({ label: 'Pending' });
  await team.apply.click();
  await expect(team.rows).toHaveCount(2);
  const bar = new BulkActionBar(page);
  await bar.kind.selectOption({ label: 'Revoke invitations' });

  // A review discarded: back on the team, nothing revoked.
  await bar.selectPage.check();
  await expect(bar.selected).toHaveText('2 selected');
  await bar.review.click();
  const action = new BulkActionPage(page);
  await expect(action.summary).toContainText('2 of 2 selected will be changed');
  await action.discard.click();
  await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/team`);
  await expect(team.rows).toHaveCount(3);

  await team.goto(orgId, { status: 'pending' });
  await bar.selectPage.check();
  await bar.kind.selectOption({ label: 'Revoke invitations' });
  await bar.review.click();
  await action.confirm.click();
  await expect(action.summary).toHaveText(/^Finished: 2 done, 0 skipped, 0 failed\.$/, { timeout: 30_000 });
  await team.goto(orgId);
  await expect(team.rows).toHaveCount(1);
});

test('a member without manage rights sees no bulk bar and no row checkboxes (the server refuses them too: bulk-actions.int.test.ts)', async ({
  page,
}) => {
  const { tag, orgId } = await freshOrganization();
  const member = `plain-${tag}@acme.test`;
  await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });
  await webhooksDelivered(orgId);
  await signIn(page, member, `/orgs/${orgId}/team`);
  await expect(new TeamPage(page).rows.first()).toBeVisible();
  await expect(new BulkActionBar(page).root).toHaveCount(0);
  await expect(page.getByRole('checkbox')).toHaveCount(0);
});
