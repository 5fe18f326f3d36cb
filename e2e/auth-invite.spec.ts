import { ScalekitClient } from '@scalekit-sdk/node';
import { expect, test } from '@playwright/test';
import { DashboardPage, signIn } from './pages/dashboard-page';
import { EmulatorPages, waitForEmail } from './pages/emulator-pages';
import { E2E_CLIENT_SECRET, E2E_EMULATOR_URL } from './support/test-env';

const INVITEE = 'new.hire@acme.test';

/** Sends the seeded pending invitation's email again, so the mailbox holds a link to open. */
async function invitationLink(): Promise<string> {
  const scalekit = new ScalekitClient(E2E_EMULATOR_URL, 'skc_teamgate_dev', E2E_CLIENT_SECRET);
  const since = new Date(Date.now() - 1_000).toISOString();
  await scalekit.user.resendInvite('org_acme', 'usr_newhire');
  const email = await waitForEmail(INVITEE, (e) => e.subject.startsWith("You're invited"), since);
  expect(email.links).toHaveLength(1);
  return email.links[0]!;
}

test('invitee opens the email link while someone else is signed in, chooses to switch, signs up and lands in Acme', async ({ page }) => {
  test.setTimeout(45_000);
  const link = await invitationLink();
  // Scalekit's hosted invitation link; it redirects to /auth/login/initiate with the invitation.
  expect(`${new URL(link).origin}${new URL(link).pathname}`).toBe(`${E2E_EMULATOR_URL}/invitations/accept`);

  // Someone else is signed in in this browser: a clear choice, not a silent mismatch.
  await signIn(page, { email: 'max@acme.test', via: 'social', provider: 'Google' });
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This invitation is for someone else' })).toBeVisible();
  await expect(page.getByTestId('signed-in-email')).toHaveText('max@acme.test');
  await expect(page.getByTestId('invited-email')).toHaveText(INVITEE);

  await page.getByRole('link', { name: 'Stay signed in as max@acme.test' }).click();
  await new DashboardPage(page).expectSignedIn({ email: 'max@acme.test', org: 'Acme', role: 'Member' });

  await page.goto(link);
  await page.getByRole('button', { name: 'Sign out and continue' }).click();
  const idp = new EmulatorPages(page);
  await expect(idp.signupHeading).toBeVisible();
  await expect(idp.emailInput).toHaveValue(INVITEE);
  await idp.completeEmailCode(INVITEE);
  await page.waitForURL(/\/dashboard$/);
  await new DashboardPage(page).expectSignedIn({ email: INVITEE, org: 'Acme', role: 'Member', method: 'Email code' });
});
