import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { EmulatorPages, waitForEmail } from './pages/emulator-pages';
import { inAppDatabase, signIn, toast } from './pages/invitations';
import { RequestInvitationDialog, RequestsPage, RequestsTab } from './pages/requests-page';
import { seriousViolations } from './support/axe';

/**
 * Issue 13 item 2 end to end: a member of Acme (the seed turns "Members can request invitations"
 * on there) asks for someone, an admin sees the badge, approves from it, and the invitee signs up
 * from the invitation email and lands in Acme.
 */

const ACME = 'org_acme';

test('a member requests, the admin approves from the badge, the invitee signs up and lands in Acme; axe clean', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const tag = randomBytes(4).toString('hex');
  const invitee = `requested-${tag}@acme.test`;

  // The member: asks from the team page, and sees the request waiting under Your requests.
  await signIn(page, 'max@acme.test', `/orgs/${ACME}/team`);
  const ask = new RequestInvitationDialog(page);
  await ask.request('not-an-email');
  await expect(ask.dialog.getByText(/valid email address/)).toBeVisible();
  await ask.request(invitee, 'member', 'Starts Monday in sales');
  await expect(toast(page, `Request sent: an admin will decide whether to invite ${invitee}.`)).toBeVisible();
  await expect(ask.dialog).toBeHidden();

  const requests = new RequestsPage(page);
  await requests.goto(ACME);
  await expect(requests.myRequest(invitee)).toContainText('Pending');
  expect(await seriousViolations(page)).toEqual([]);

  // The admins were told by email (stored in OutgoingEmail: the e2e stack has no SMTP server).
  await expect
    .poll(() => inAppDatabase(`SELECT 1 FROM "OutgoingEmail" WHERE "to" = $1 AND "text" LIKE $2`, ['ada@acme.test', `%${invitee}%`]), {
      timeout: 15_000,
    })
    .toBe(1);

  // The admin, in a browser of their own: the badge, then the queue.
  const adminContext = await browser.newContext();
  try {
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, 'ada@acme.test', `/orgs/${ACME}/team`);
    const tab = new RequestsTab(adminPage);
    await expect(tab.badge).toHaveText(/^\d+ pending$/);
    await tab.link.click();
    const queue = new RequestsPage(adminPage);
    await expect(queue.heading).toBeVisible();
    await expect(queue.row(invitee)).toContainText('max@acme.test');
    await expect(queue.row(invitee)).toContainText('Starts Monday in sales');
    expect(await seriousViolations(adminPage)).toEqual([]);

    await queue.decide(invitee, 'Approve', 'Welcome aboard');
    await expect(toast(adminPage, `Approved: ${invitee} has been invited.`)).toBeVisible();
    await expect(queue.row(invitee)).toHaveCount(0);
    await expect(queue.decidedRow(invitee)).toContainText('Approved');
    await expect(queue.decidedRow(invitee)).toContainText('Welcome aboard');
  } finally {
    await adminContext.close();
  }

  // The member sees the outcome.
  await requests.goto(ACME);
  await expect(requests.myRequest(invitee)).toContainText('Approved');
  await expect(requests.myRequest(invitee)).toContainText('Note: Welcome aboard');

  // The invitee opens the invitation email, signs up, and lands in Acme.
  const email = await waitForEmail(invitee, (e) => /You're invited to join/.test(e.subject));
  expect(email.links).toHaveLength(1);
  const inviteeContext = await browser.newContext();
  try {
    const inviteePage = await inviteeContext.newPage();
    await inviteePage.goto(email.links[0]!);
    await new EmulatorPages(inviteePage).completeEmailCode(invitee);
    await inviteePage.waitForURL(/\/dashboard$/, { timeout: 20_000 });
    await new DashboardPage(inviteePage).expectSignedIn({ email: invitee, org: 'Acme', role: 'Member' });
  } finally {
    await inviteeContext.close();
  }
});
