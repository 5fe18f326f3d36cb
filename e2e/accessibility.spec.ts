import { expect, test, type Locator, type Page } from '@playwright/test';
import { waitForEmail } from './pages/emulator-pages';
import { freshOrganization, signIn } from './pages/invitations';
import { seriousViolations } from './support/axe';
import { SIGNED_IN_PAGES, SIGNED_OUT_PAGES, type AppPage } from './support/app-pages';

/**
 * WCAG 2.1 A/AA checks with axe-core on every page, signed out and in; keyboard-only journeys
 * for sign-in and invite; visible focus; labelled fields; live regions for async results.
 */

async function sweep(page: Page, pages: AppPage[]): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const p of pages) {
    await page.goto(p.path);
    await expect(page.getByText(p.ready).first(), p.name).toBeVisible();
    const violations = await seriousViolations(page);
    if (violations.length) found[p.name] = violations;
  }
  return found;
}

/** Press Tab until `target` has focus (keyboard only), failing after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} with Tab`);
}

/** A focused control must show it: an outline or a ring (box-shadow), not the browser default removed. */
async function expectVisibleFocus(target: Locator): Promise<void> {
  const style = await target.evaluate((el) => {
    const s = getComputedStyle(el);
    return { outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, ring: s.boxShadow !== 'none' };
  });
  expect(style.outline || style.ring, 'focused element shows a focus indicator').toBe(true);
}

test.describe('axe-core: no serious or critical violations', () => {
  test('a11y_signedOutPages: landing, login, auth error, signed out, not found', async ({ page }) => {
    expect(await sweep(page, SIGNED_OUT_PAGES)).toEqual({});
  });

  test('a11y_signedInPages: dashboard, team, bulk invite, access reviews, audit, settings, API keys, account, invitation choice', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await signIn(page, 'ada@acme.test', '/dashboard');
    expect(await sweep(page, SIGNED_IN_PAGES)).toEqual({});
    // Open dialogs are pages too.
    await page.goto('/orgs/org_acme/team');
    await page.getByRole('button', { name: 'Invite member' }).click();
    await expect(page.getByRole('dialog', { name: 'Invite a member' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test('a11y_keyboardSignIn: sign in with the keyboard alone, with visible focus on every control used', async ({ page }) => {
  await page.goto('/login');
  const email = page.getByLabel('Email', { exact: true });
  await tabTo(page, email);
  await expectVisibleFocus(email);
  await page.keyboard.type('ada@acme.test');
  const submit = page.getByRole('button', { name: 'Continue with email' });
  await tabTo(page, submit);
  await expectVisibleFocus(submit);
  const since = new Date(Date.now() - 1_000).toISOString();
  await page.keyboard.press('Enter');

  // Scalekit's hosted pages (the emulator's here), also by keyboard.
  const idpEmail = page.getByLabel('Email', { exact: true });
  await expect(idpEmail).toBeVisible();
  if ((await idpEmail.inputValue()) !== 'ada@acme.test') {
    await tabTo(page, idpEmail);
    await page.keyboard.type('ada@acme.test');
  }
  await tabTo(page, page.getByRole('button', { name: 'Continue', exact: true }));
  await page.keyboard.press('Enter');
  const code = page.getByLabel('Verification code');
  await expect(code).toBeVisible();
  const sent = await waitForEmail('ada@acme.test', (e) => e.code !== null, since);
  await tabTo(page, code);
  await page.keyboard.type(sent.code!);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/dashboard/);
  // The header's account menu opens from the keyboard too.
  const account = page.getByRole('button', { name: /account|ada@acme\.test/i }).first();
  await tabTo(page, account);
  await expectVisibleFocus(account);
});

test('a11y_keyboardInvite: invite from the keyboard alone; the result is announced in a live region', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization();
  await signIn(page, admin, `/orgs/${orgId}/team`);

  const open = page.getByRole('button', { name: 'Invite member' });
  await tabTo(page, open);
  await expectVisibleFocus(open);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Invite a member' });
  await expect(dialog).toBeVisible();

  // Labelled fields: each is reachable by its label's name.
  const email = dialog.getByLabel('Email');
  const role = dialog.getByLabel('Role');
  const name = dialog.getByLabel(/^Name/);
  for (const field of [email, role, name]) await expect(field).toBeVisible();

  // A wrong address first: the error is tied to the field and announced.
  await tabTo(page, email);
  await expectVisibleFocus(email);
  await page.keyboard.type('not-an-email');
  await tabTo(page, dialog.getByRole('button', { name: 'Send invitation' }));
  await page.keyboard.press('Enter');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  const describedBy = await email.getAttribute('aria-describedby');
  expect(describedBy).toBeTruthy();
  await expect(page.locator(`[id="${describedBy}"]`)).toContainText(/valid email/i);
  // Focus returns to the field at fault, and the refusal is also announced in the live region.
  await expect(email).toBeFocused();
  await expect(page.locator('[aria-live] [data-sonner-toast]').first()).toBeVisible();

  await tabTo(page, email);
  await page.keyboard.press('ControlOrMeta+a');
  const invitee = `keyboard-${tag}@acme.test`;
  await page.keyboard.type(invitee);
  const submit = dialog.getByRole('button', { name: 'Send invitation' });
  await tabTo(page, submit);
  await expectVisibleFocus(submit);
  await page.keyboard.press('Enter');

  // The toast lives inside an aria-live region, so screen readers hear the result.
  const live = page.locator('[aria-live]').filter({ hasText: `Invitation sent to ${invitee}.` });
  await expect(live).toHaveCount(1);
  expect(['polite', 'assertive']).toContain(await live.getAttribute('aria-live'));
});

test('a11y_bulkProgressLive: bulk sending progress is a labelled progressbar with a polite live status', async ({ page }) => {
  test.setTimeout(60_000);
  const { tag, orgId, admin } = await freshOrganization();
  await signIn(page, admin, `/orgs/${orgId}/team/bulk`);
  const csv = ['email', ...Array.from({ length: 60 }, (_, i) => `live-${tag}-${i}@acme.test`)].join('\n');
  await page.getByLabel('CSV file').setInputFiles({ name: 'live.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await page.getByRole('button', { name: /^Send/ }).first().click();
  const status = page.locator('[aria-live="polite"]').filter({ hasText: /Sending… \d+ of 60/ });
  await expect(status.or(page.getByTestId('count-invited').filter({ hasText: '60' }))).toBeVisible();
  await expect(page.getByTestId('count-invited')).toHaveText('60', { timeout: 30_000 });
});
