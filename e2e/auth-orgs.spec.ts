import { expect, test } from '@playwright/test';
import { signIn } from './pages/dashboard-page';

test('a user of two organizations picks one at sign-in and switches from the header', async ({ page }) => {
  const dashboard = await signIn(
    page,
    { email: 'riley@consultant.test', via: 'social', provider: 'Microsoft' },
    { pickOrganization: 'Globex' },
  );
  await dashboard.expectSignedIn({ email: 'riley@consultant.test', org: 'Globex', role: 'Admin', method: 'Microsoft' });
  await expect(dashboard.orgSwitcher).toContainText('Globex');

  await dashboard.switchOrganization('Acme');
  await page.waitForURL(/\/dashboard$/);
  await dashboard.expectSignedIn({ email: 'riley@consultant.test', org: 'Acme', role: 'Member' });
  await expect(dashboard.orgSwitcher).toContainText('Acme');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' })).toHaveAttribute(
    'href',
    '/orgs/org_acme/team',
  );

  // Editing the organization id by hand is refused; the session stays in Acme.
  const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
  const refused = await page.request.post('/api/auth/switch-org', {
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf!, origin: new URL(page.url()).origin },
    data: { organizationId: 'org_initech' },
  });
  expect(refused.status()).toBe(403);
  // Without the CSRF token the same request is refused before anything is read.
  const noCsrf = await page.request.post('/api/auth/switch-org', {
    headers: { 'content-type': 'application/json' },
    data: { organizationId: 'org_globex' },
  });
  expect(noCsrf.status()).toBe(403);
  await page.reload();
  await dashboard.expectSignedIn({ email: 'riley@consultant.test', org: 'Acme', role: 'Member' });
});

test('headerOrg_followsUrl: on another organization’s page the header names that organization, and switching keeps page and header in step', async ({
  page,
}) => {
  const dashboard = await signIn(
    page,
    { email: 'riley@consultant.test', via: 'social', provider: 'Microsoft' },
    { pickOrganization: 'Globex' },
  );
  await expect(dashboard.orgSwitcher).toContainText('Globex');
  const teamLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' });

  // The session's active org is Globex; the URL is Acme's team page: the header says Acme.
  await page.goto('/orgs/org_acme/team');
  await expect(page.getByTestId('org-name')).toHaveText('Acme');
  await expect(dashboard.orgSwitcher).toContainText('Acme');
  await expect(dashboard.orgSwitcher).not.toContainText('Globex');
  await expect(teamLink).toHaveAttribute('href', '/orgs/org_acme/team');

  // Switching from here goes to the same page of the other organization; both agree again.
  await dashboard.switchOrganization('Globex');
  await page.waitForURL(/\/orgs\/org_globex\/team$/);
  await expect(page.getByTestId('org-name')).toHaveText('Globex');
  await expect(dashboard.orgSwitcher).toContainText('Globex');
  await expect(teamLink).toHaveAttribute('href', '/orgs/org_globex/team');

  // An organization the user is not in: the 404 page, and the header keeps the session's org.
  await page.goto('/orgs/org_initech/team');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(dashboard.orgSwitcher).toContainText('Globex');
});
