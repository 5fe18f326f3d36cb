import { expect, test } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { DomainsPage } from './pages/domains-page';
import { freshOrganization, inAppDatabase, scalekit, signIn, toast, webhooksDelivered } from './pages/invitations';
import { seriousViolations } from './support/axe';

/**
 * Issue 12 item 4: an admin opens a verified domain to colleagues. With "Join automatically" a
 * colleague who signs in with an address there is a member at once; with "Ask to join" they are
 * offered "Request to join" in the switcher and their request waits for an admin. The colleagues
 * already have Scalekit accounts (members of their own organization), as people who use Teamgate
 * elsewhere do.
 */
test('a verified domain lets colleagues join automatically, or ask to join', async ({ page, browser }) => {
  // Three people sign in through the hosted login one after another.
  test.setTimeout(120_000);
  const org = await freshOrganization();
  const orgName = `Invites ${org.tag}`;
  const home = await freshOrganization();
  const autoDomain = `auto-${org.tag}.test`;
  const askDomain = `ask-${org.tag}.test`;
  // Domains the Scalekit dashboard or API adds are admin-verified at once (organization-domains.mdx, "Via API").
  for (const name of [autoDomain, askDomain]) await scalekit.domain.createDomain(org.orgId, name, { domainType: 'ORGANIZATION_DOMAIN' });
  const colleague = `casey@${autoDomain}`;
  const asker = `avery@${askDomain}`;
  for (const email of [colleague, asker]) await scalekit.user.createUserAndMembership(home.orgId, { email, sendInvitationEmail: false });
  await webhooksDelivered(org.orgId);
  await webhooksDelivered(home.orgId);

  await signIn(page, org.admin, `/orgs/${org.orgId}/settings/domains`);
  const domains = new DomainsPage(page);
  await expect(domains.heading).toBeVisible();
  await domains.expectStatus(autoDomain, 'Verified');
  await domains.expectStatus(askDomain, 'Verified');
  expect(await seriousViolations(page)).toEqual([]);
  await domains.choose(autoDomain, 'Join automatically');
  await expect(toast(page, `${autoDomain}: Join automatically.`)).toBeVisible();
  await domains.choose(askDomain, 'Ask to join (an admin approves)');
  await expect(toast(page, `${askDomain}: Ask to join (an admin approves).`)).toBeVisible();

  // Auto-join: signing in is enough; the switcher lists the organization on the first page.
  const caseyContext = await browser.newContext();
  const casey = await caseyContext.newPage();
  await signIn(casey, colleague, '/dashboard');
  const caseyDashboard = new DashboardPage(casey);
  await caseyDashboard.orgSwitcher.click();
  const joined = casey.getByRole('menuitemradio', { name: new RegExp(`^${orgName}`) });
  await expect(joined).toBeVisible();
  await joined.click();
  await caseyDashboard.expectSignedIn({ email: colleague, org: orgName, role: 'Member' });
  await caseyContext.close();

  // Ask to join: offered in the switcher, never joined by itself.
  const averyContext = await browser.newContext();
  const avery = await averyContext.newPage();
  await signIn(avery, asker, '/dashboard');
  const averyDashboard = new DashboardPage(avery);
  await averyDashboard.orgSwitcher.click();
  await expect(avery.getByRole('menuitemradio', { name: new RegExp(`^${orgName}`) })).toHaveCount(0);
  expect(await seriousViolations(avery)).toEqual([]);
  await avery.getByRole('menuitem', { name: `Request to join ${orgName}` }).click();
  await expect(toast(avery, `Request sent. An admin of ${orgName} will review it.`)).toBeVisible();
  await avery.reload();
  await averyDashboard.orgSwitcher.click();
  await expect(avery.getByRole('menuitem', { name: `${orgName}: request sent` })).toBeDisabled();
  const waiting = await inAppDatabase(
    `SELECT 1 FROM "InvitationRequest" WHERE "organizationId" = $1 AND "email" = $2 AND "status" = 'PENDING' AND "source" = 'DOMAIN'`,
    [org.orgId, asker],
  );
  expect(waiting).toBe(1);
  await averyContext.close();
});
