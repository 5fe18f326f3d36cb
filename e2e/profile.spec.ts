import { expect, test } from '@playwright/test';
import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import { PNG_BYTES, SVG_BYTES } from '../lib/organizations/logo-fixtures';
import { AccountPage } from './pages/account-page';
import { freshOrganization, scalekit, signIn, toast, webhooksDelivered } from './pages/invitations';
import { SettingsPage } from './pages/settings-page';
import { TeamPage } from './pages/team-page';
import { seriousViolations } from './support/axe';

/**
 * The organization profile (rename, logo) and the account profile (name, deleting the account)
 * end to end, each in an organization of its own (the stack is shared by specs running in parallel).
 */

const png = { name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(PNG_BYTES()) };

test('an admin renames the organization and uploads then removes a logo; the org switcher follows', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization();
  await signIn(page, admin, `/orgs/${orgId}/settings`);
  const settings = new SettingsPage(page);
  const switcher = page.getByRole('button', { name: /^Switch organization, current:/ });

  const renamed = `Renamed ${tag}`;
  await settings.rename(`  ${renamed} `);
  await expect(toast(page, `Renamed to ${renamed}.`)).toBeVisible();
  await expect(switcher).toHaveAccessibleName(`Switch organization, current: ${renamed}`);
  expect((await scalekit.organization.getOrganization(orgId)).organization?.displayName).toBe(renamed);
  // An empty name never leaves the browser (required); the server refuses it too (lib/organizations/profile.int.test.ts).
  await settings.rename('');
  expect(await settings.name.evaluate((input: HTMLInputElement) => input.validity.valueMissing)).toBe(true);
  await expect(switcher).toHaveAccessibleName(`Switch organization, current: ${renamed}`);

  // An SVG is refused by its bytes, whatever it is called; nothing is shown for it.
  await settings.upload({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(SVG_BYTES()) });
  await expect(settings.logoError).toHaveText(/SVG and other markup files are not accepted/);
  await expect(settings.logoPreview).toHaveText('No logo');
  // Too large: refused in the browser before anything is sent.
  await settings.upload({ name: 'big.png', mimeType: 'image/png', buffer: Buffer.concat([png.buffer, Buffer.alloc(1024 * 1024)]) });
  await expect(settings.logoError).toHaveText(/^The logo is 1\.1 MB; it can be at most 1 MB/);

  await settings.upload(png);
  await expect(toast(page, 'Logo uploaded.')).toBeVisible();
  const preview = settings.logoPreview.getByRole('img', { name: `${renamed} logo` });
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  const headerLogo = switcher.locator('img');
  await expect(headerLogo).toHaveAttribute('src', new RegExp(`^/api/orgs/${orgId}/logo\\?v=[0-9a-f]{16}$`));
  const served = await page.request.get((await headerLogo.getAttribute('src'))!);
  expect(served.headers()).toMatchObject({ 'content-type': 'image/png', 'x-content-type-options': 'nosniff' });
  expect(served.headers()['content-security-policy']).toMatch(/^default-src 'none';.*sandbox$/);
  expect(await seriousViolations(page)).toEqual([]);

  await settings.removeLogo.click();
  await expect(toast(page, 'Logo removed.')).toBeVisible();
  await expect(settings.logoPreview).toHaveText('No logo');
  await expect(headerLogo).toHaveCount(0);
  expect((await page.request.get(`/api/orgs/${orgId}/logo`)).status()).toBe(404);
});

test('a person edits their name; deleting the account is refused for the last admin and, for a member, ends at /signed-out', async ({
  browser,
}) => {
  const { tag, orgId, admin } = await freshOrganization();
  const orgName = `Invites ${tag}`;
  const member = `leaving-${tag}@acme.test`;
  const { user } = await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });
  await webhooksDelivered(orgId);

  const adminPage = await (await browser.newContext()).newPage();
  await signIn(adminPage, admin, '/account');
  const adminAccount = new AccountPage(adminPage);
  await adminAccount.saveNameAs('Grace', 'Hopper');
  await expect(toast(adminPage, 'Your name is saved.')).toBeVisible();
  await expect(adminPage.getByRole('button', { name: 'Account menu for Grace Hopper' })).toBeVisible();
  await adminAccount.goto();
  await expect(adminAccount.firstName).toHaveValue('Grace');
  await expect(adminAccount.lastName).toHaveValue('Hopper');

  await adminAccount.startDeletion('not-my-email@acme.test');
  await expect(adminAccount.confirmDelete).toBeDisabled();
  await adminAccount.confirmation.fill(admin.toUpperCase());
  await expect(adminAccount.confirmDelete).toBeEnabled();
  expect(await seriousViolations(adminPage)).toEqual([]);
  await adminAccount.confirmDelete.click();
  await expect(adminAccount.confirmationError).toHaveText(new RegExp(`^You are the last admin of ${orgName} `));
  await adminPage.keyboard.press('Escape');
  await adminAccount.goto();
  await expect(adminAccount.heading).toBeVisible();

  const page = await (await browser.newContext()).newPage();
  await signIn(page, member, '/account');
  const account = new AccountPage(page);
  await account.startDeletion(member);
  await expect(account.deleteDialog).toContainText(`You leave ${orgName}.`);
  await account.confirmDelete.click();
  await page.waitForURL((url) => url.pathname === '/signed-out' && url.search === '?account=deleted');
  await expect(page.getByRole('heading', { level: 1, name: 'Your account is deleted' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/account');
  await page.waitForURL((url) => url.pathname === '/login');
  await expect(scalekit.user.getUser(user!.id)).rejects.toBeInstanceOf(ScalekitNotFoundException);

  const team = new TeamPage(adminPage);
  await team.goto(orgId);
  await expect(team.row(member)).toHaveCount(0);
});
