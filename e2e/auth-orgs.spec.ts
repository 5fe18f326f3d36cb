import { ScalekitClient } from '@scalekit-sdk/node';
import { expect, test } from '@playwright/test';
import { signIn } from './pages/dashboard-page';
import { E2E_CLIENT_SECRET, E2E_EMULATOR_URL } from './support/test-env';

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

test('orgSwitch_throughScalekit: switching into an organization with its own session policy re-authorizes at Scalekit and lands there', async ({
  page,
}) => {
  const scalekit = new ScalekitClient(E2E_EMULATOR_URL, 'skc_teamgate_dev', E2E_CLIENT_SECRET);
  await scalekit.organization.updateOrganizationSessionPolicy('org_globex', {
    policySource: 'CUSTOM',
    absoluteSessionTimeout: 8,
    absoluteSessionTimeoutUnit: 'HOURS',
  });
  try {
    const dashboard = await signIn(
      page,
      { email: 'riley@consultant.test', via: 'social', provider: 'Microsoft' },
      { pickOrganization: 'Acme' },
    );
    await dashboard.expectSignedIn({ email: 'riley@consultant.test', org: 'Acme', role: 'Member' });
    const authorizeCalls: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === E2E_EMULATOR_URL && url.pathname === '/oauth/authorize') authorizeCalls.push(url);
    });

    await dashboard.switchOrganization('Globex');
    await page.waitForURL(/\/dashboard$/);
    await dashboard.expectSignedIn({ email: 'riley@consultant.test', org: 'Globex', role: 'Admin' });
    // Scalekit's documented switch, so Globex's policy applies to the new session.
    expect(authorizeCalls.map((u) => [u.searchParams.get('prompt'), u.searchParams.get('organization_id')])).toEqual([
      ['select_account', 'org_globex'],
    ]);
    // Acme has no policy of its own: the way back is the fast in-app switch.
    await dashboard.switchOrganization('Acme');
    await page.waitForURL(/\/dashboard$/);
    await dashboard.expectSignedIn({ email: 'riley@consultant.test', org: 'Acme', role: 'Member' });
    expect(authorizeCalls).toHaveLength(1);
  } finally {
    await scalekit.organization.updateOrganizationSessionPolicy('org_globex', { policySource: 'APPLICATION' });
  }
});
