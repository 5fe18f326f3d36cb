import { expect, test } from '@playwright/test';
import { freshOrganization, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { TeamPage } from './pages/team-page';
import { seriousViolations } from './support/axe';

/**
 * The team page's last sign-in and sign-in method (issue 14, item 2): the admin's own sign-in as
 * the callback records it, older sign-ins set in the app's database (nobody waits a month), the
 * "inactive for 30 days" filter, the sort both ways, and the export.
 */

test('last sign-in: shown per member, filtered by inactivity, sorted both ways, exported, axe clean', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization();
  const recent = `recent-${tag}@acme.test`;
  const lapsed = `lapsed-${tag}@acme.test`;
  const never = `never-${tag}@acme.test`;
  const invited = `invited-${tag}@acme.test`;
  for (const email of [recent, lapsed, never]) await scalekit.user.createUserAndMembership(orgId, { email, sendInvitationEmail: false });
  await scalekit.user.createUserAndMembership(orgId, { email: invited, sendInvitationEmail: true });
  await webhooksDelivered(orgId);

  const team = new TeamPage(page);
  await signIn(page, admin, `/orgs/${orgId}/team`);
  await team.waitForRow(invited, orgId);
  await TeamPage.signedInDaysAgo(orgId, recent, 29, 'social:google');
  await TeamPage.signedInDaysAgo(orgId, lapsed, 31, 'sso:okta');
  await team.goto(orgId);

  // The admin's own sign-in, recorded by the callback a moment ago, with how they signed in.
  await expect(team.lastSignIn(admin)).toContainText('just now');
  await expect(team.signInMethod(admin)).toHaveText('Email code');
  await expect(team.lastSignIn(recent)).toContainText('29 days ago');
  await expect(team.signInMethod(recent)).toHaveText('Google');
  // The exact time is in the tooltip.
  await expect(team.lastSignIn(recent).locator('time')).toHaveAttribute('title', /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC$/);
  await expect(team.lastSignIn(lapsed)).toContainText('last month');
  await expect(team.signInMethod(lapsed)).toHaveText('SSO (Okta)');
  await expect(team.lastSignIn(never)).toHaveText('Never');
  await expect(team.signInMethod(never)).toHaveText('—');
  await expect(team.lastSignIn(invited)).toHaveText('—');
  expect(await seriousViolations(page)).toEqual([]);

  // Inactive for 30 days: 31 days ago and never; not 29 days ago, not the admin, not the invitation.
  await team.activityFilter.selectOption('30');
  await team.apply.click();
  await expect(page).toHaveURL(/[?&]inactive=30(&|$)/);
  await expect(team.count).toHaveText('2 people match');
  expect((await team.emails()).sort()).toEqual([lapsed, never].sort());

  // Sorting keeps the filter: most recent first, then longest ago (never) first.
  await team.sortByLastSignIn.click();
  await expect(page).toHaveURL(/sort=last_sign_in_desc/);
  await expect(team.lastSignInHeading).toHaveAttribute('aria-sort', 'descending');
  expect(await team.emails()).toEqual([lapsed, never]);
  await team.sortByLastSignIn.click();
  await expect(page).toHaveURL(/sort=last_sign_in_asc/);
  await expect(page).toHaveURL(/inactive=30/);
  await expect(team.lastSignInHeading).toHaveAttribute('aria-sort', 'ascending');
  expect(await team.emails()).toEqual([never, lapsed]);

  // The whole team, most recent first: dated rows newest to oldest, then those who never signed in.
  await team.goto(orgId, { sort: 'last_sign_in_desc' });
  await expect(team.sortSelect).toHaveValue('last_sign_in_desc');
  const order = await team.emails();
  expect(order.slice(0, 3)).toEqual([admin, recent, lapsed]);
  expect(order.slice(3).sort()).toEqual([invited, never].sort());
  expect(await seriousViolations(page)).toEqual([]);

  // The export has both columns, in the page's filter.
  await team.goto(orgId, { inactive: '30' });
  const csv = await team.exportCsv();
  expect(csv.split('\r\n')[0]).toMatch(/,"last_sign_in_at","sign_in_method"$/);
  expect(csv).toMatch(new RegExp(`"${lapsed}".*,"\\d{4}-\\d{2}-\\d{2}T[^"]+Z","SSO \\(Okta\\)"`));
  expect(csv).toMatch(new RegExp(`"${never}".*,"",""`));
  expect(csv).not.toContain(recent);
});

test('last sign-in: an inactive filter nobody matches says so, and Clear goes back to everyone', async ({ page }) => {
  const { orgId, admin } = await freshOrganization();
  const team = new TeamPage(page);
  await signIn(page, admin, `/orgs/${orgId}/team`);
  await team.goto(orgId, { inactive: '90' });
  await expect(team.empty).toContainText('Nobody matches these filters');
  await expect(team.activityFilter).toHaveValue('90');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Clear' }).click();
  await expect(team.row(admin)).toBeVisible();
});
