import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { lastSentSecondsAgo, privateOrganization, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { seriousViolations } from './support/axe';
import { TeamPage } from './pages/team-page';

/**
 * The team page on a phone (390 × 844, an iPhone 12–15): the table is wider than the screen, so
 * it scrolls sideways inside its box while the row menus stay pinned on screen.
 */

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('team_mobile_390: every row menu is on screen without scrolling sideways; change a role and resend from it; axe clean', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const tag = randomBytes(4).toString('hex');
  const pending = `a-very-long-invitee-address-${tag}@acme.test`;
  const member = `member-with-a-long-name-${tag}@acme.test`;
  const { orgId, admin } = await privateOrganization(tag, 100);
  await scalekit.user.createUserAndMembership(orgId, { email: pending, sendInvitationEmail: true });
  await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });

  const team = new TeamPage(page);
  await webhooksDelivered(orgId);
  await signIn(page, admin, `/orgs/${orgId}/team`);
  await team.waitForRow(member, orgId);
  await team.waitForRow(pending, orgId);

  // The page itself never scrolls sideways; only the table's own box does.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const table = page.getByRole('table', { name: 'Members and invitations' });
  expect(await table.evaluate((t) => t.parentElement!.scrollWidth > t.parentElement!.clientWidth)).toBe(true);
  for (const email of [admin, member, pending]) {
    await team.scrollToRowVertically(email);
    await expect(team.actionsFor(email)).toBeInViewport({ ratio: 1 });
  }
  // Still there with the table scrolled halfway.
  await table.evaluate((t) => t.parentElement!.scrollBy({ left: 300 }));
  await team.scrollToRowVertically(member);
  await expect(team.actionsFor(member)).toBeInViewport({ ratio: 1 });

  await team.actionsFor(member).tap();
  const menu = page.getByRole('menu');
  await expect(menu).toBeInViewport({ ratio: 1 });
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('menuitem', { name: 'Make admin' }).tap();
  await expect(team.dialog).toBeInViewport({ ratio: 1 });
  await team.dialog.getByRole('button', { name: 'Change role' }).tap();
  await expect(team.toast(`${member} is now admin.`)).toBeVisible();
  await expect(team.row(member).getByTestId('member-role')).toHaveText('Admin');

  await lastSentSecondsAgo(orgId, pending, 90);
  await team.runRowAction(pending, 'Resend invitation', 'Resend');
  await expect(team.toast(`Invitation sent again to ${pending}.`)).toBeVisible();

  expect(await seriousViolations(page)).toEqual([]);
});
