import { expect, test } from '@playwright/test';
import { signIn } from './pages/dashboard-page';

test('a user of two organizations picks one at sign-in and switches from the header', async ({ page }) => {
  const dashboard = await signIn(page, { email: 'riley@consultant.test', via: 'social', provider: 'Microsoft' }, { pickOrganization: 'Globex' });
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
