import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { AuditLogPage } from './pages/audit-page';
import { AdminsOnlyPage } from './pages/dead-end-pages';
import {
  freshOrganization,
  InviteDialog,
  lastSentSecondsAgo,
  privateOrganization,
  scalekit,
  signIn,
  toast,
  webhooksDelivered,
} from './pages/invitations';
import { TeamPage } from './pages/team-page';

/**
 * The admin's team page end to end: people are put into Scalekit directly (as another tool or
 * the invite form would), reach the page through the emulator's webhooks, and every row action
 * runs through the UI and shows up in the audit log. Unique emails per run: the stack is shared
 * by specs running in parallel.
 */

test('an admin resends, revokes, changes a role and removes, and each is in the audit log', async ({ page }) => {
  // Seven server actions, the audit page and an export in one test: past the default 30 s when the machine is busy.
  test.slow();
  const tag = randomBytes(4).toString('hex');
  const pending = `resend-${tag}@acme.test`;
  const revoked = `revoke-${tag}@acme.test`;
  const member = `member-${tag}@acme.test`;
  const { orgId, admin } = await privateOrganization(tag, 100);
  await scalekit.user.createUserAndMembership(orgId, { email: pending, sendInvitationEmail: true });
  await scalekit.user.createUserAndMembership(orgId, { email: revoked, sendInvitationEmail: true });
  await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });

  const team = new TeamPage(page);
  await signIn(page, admin, `/orgs/${orgId}/team`);
  await team.waitForRow(member, orgId);
  await team.waitForRow(pending, orgId);
  await team.waitForRow(revoked, orgId);
  await expect(team.rows).toHaveCount(4);
  await expect(team.seats).toContainText('4 of 100 seats used');
  await expect(team.row(pending).getByTestId('member-status')).toHaveText('Pending');
  await expect(team.row(member).getByTestId('member-status')).toHaveText('Active');

  // Its email went out 20 seconds ago: a resend now is refused with when it can go, and nothing is sent.
  await lastSentSecondsAgo(orgId, pending, 20);
  await team.runRowAction(pending, 'Resend invitation', 'Resend');
  await expect(team.toast(/This invitation was sent less than a minute ago\. You can resend it in \d+ seconds\./)).toBeVisible();
  await lastSentSecondsAgo(orgId, pending, 90);
  await team.runRowAction(pending, 'Resend invitation', 'Resend');
  await expect(team.toast(`Invitation sent again to ${pending}.`)).toBeVisible();

  await team.runRowAction(revoked, 'Revoke invitation', 'Revoke');
  await expect(team.toast('Invitation revoked.')).toBeVisible();
  await expect(team.row(revoked)).toHaveCount(0);

  await team.runRowAction(member, 'Make admin', 'Change role');
  await expect(team.toast(`${member} is now admin.`)).toBeVisible();
  await expect(team.row(member).getByTestId('member-role')).toHaveText('Admin');

  await team.runRowAction(member, 'Remove from organization', 'Remove');
  await expect(team.toast(`${member} was removed from the organization.`)).toBeVisible();
  await expect(team.row(member)).toHaveCount(0);
  await expect(team.rows).toHaveCount(2);
  await expect(team.seats).toContainText('2 of 100 seats used');

  const audit = new AuditLogPage(page);
  await audit.goto(orgId, { q: admin });
  // The admin’s own membership webhook may add a system "member.joined" row at any
  // moment; only the four actions the admin performed are under test here.
  const adminActions = new Set(['member.removed', 'member.role_changed', 'invitation.revoked', 'invitation.resent']);
  const actions = (await audit.actions()).filter((a) => adminActions.has(a));
  expect(actions).toEqual(['member.removed', 'member.role_changed', 'invitation.revoked', 'invitation.resent']);
  await expect(audit.rows.filter({ hasText: 'member → admin' })).toHaveCount(1);
  await expect(audit.rows.first()).toContainText(admin);

  const download = await Promise.all([page.waitForEvent('download'), audit.exportLink.click()]).then(([d]) => d);
  const csv = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  expect(csv.split('\r\n')[0]).toBe('"time","actor_type","actor","action","target_type","target","ip","user_agent","details"');
  expect(csv).toContain(`,"member.removed","membership","${member}",`);
});

test('the team page shows who sent an invitation, and still does after Scalekit’s webhooks and a re-sync', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization(100);
  const invitee = `invited-by-${tag}@acme.test`;
  await signIn(page, admin, `/orgs/${orgId}/team`);

  const team = new TeamPage(page);
  await new InviteDialog(page).invite(invitee, 'admin');
  await expect(toast(page, `Invitation sent to ${invitee}.`)).toBeVisible();
  await expect(team.row(invitee).getByTestId('member-inviter')).toHaveText(admin);

  // Scalekit's own events for the new membership, then a re-sync from Scalekit: both rewrite the
  // row from what Scalekit holds, which names the inviter because the app sent it.
  await webhooksDelivered(orgId);
  await page.goto(`/orgs/${orgId}/settings`);
  await page.getByRole('button', { name: 'Re-sync from Scalekit' }).click();
  // The form's own status line (the same sentence also comes as a toast).
  await expect(page.locator('form p[role="status"]')).toHaveText(/^Re-synced \d+ memberships from Scalekit/);
  await team.goto(orgId);
  await expect(team.row(invitee).getByTestId('member-inviter')).toHaveText(admin);
  await expect(page.getByRole('columnheader', { name: 'Invited by' })).toBeVisible();
});

test('a member sees the team read-only and cannot open admin pages', async ({ page }) => {
  await signIn(page, 'max@acme.test', '/orgs/org_acme/team');
  const team = new TeamPage(page);
  await expect(team.row('ada@acme.test')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Actions for / })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Bulk invite' })).toHaveCount(0);
  // Acme takes invitation requests (the seed turns it on): a member's Requests tab is their own list.
  await expect(page.getByRole('navigation', { name: 'Organization' }).getByRole('link')).toHaveText(['Team', 'Requests']);

  // Acme's admin pages tell a member whom to ask (e2e/dead-ends.spec.ts); another org's are a 404.
  for (const path of ['/orgs/org_acme/settings', '/orgs/org_acme/audit']) {
    await page.goto(path);
    await expect(new AdminsOnlyPage(page).heading, path).toHaveText(/^Only admins of Acme can /);
  }
  const response = await page.goto('/orgs/org_globex/team');
  expect(response?.status()).toBe(404);
  const csv = await page.request.get('/api/orgs/org_acme/audit.csv');
  expect(csv.status()).toBe(403);
});

test('search, filters and keyset pages', async ({ page }) => {
  const tag = randomBytes(4).toString('hex');
  const emails = Array.from({ length: 27 }, (_, i) => `page${String(i).padStart(2, '0')}-${tag}@acme.test`);
  const { orgId, admin } = await privateOrganization(tag, 100);
  for (const email of emails) await scalekit.user.createUserAndMembership(orgId, { email, sendInvitationEmail: false });

  await signIn(page, admin, `/orgs/${orgId}/team`);
  const team = new TeamPage(page);
  await expect(async () => {
    await team.goto(orgId, { q: `-${tag}@` });
    await expect(page.getByTestId('team-count')).toHaveText('28 people match', { timeout: 500 });
  }).toPass({ timeout: 20_000 });

  const seen: string[] = [];
  await expect(team.rows).toHaveCount(25);
  seen.push(...(await team.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-email')!))));
  await expect(team.previous).toHaveCount(0);
  await team.next.click();
  await expect(team.rows).toHaveCount(3);
  seen.push(...(await team.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-email')!))));
  expect(new Set(seen)).toEqual(new Set([...emails, admin]));
  await team.previous.click();
  await expect(team.rows).toHaveCount(25);

  await team.search.fill(`page03-${tag}`);
  await team.apply.click();
  await expect(team.rows).toHaveCount(1);
  await team.statusFilter.selectOption('pending');
  await team.apply.click();
  await expect(team.empty).toContainText('Nobody matches these filters');
  await expect(page).toHaveURL(/status=pending/);
});
