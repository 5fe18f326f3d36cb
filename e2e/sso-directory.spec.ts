import { expect, test } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { EmulatorPages, waitForEmail } from './pages/emulator-pages';
import { freshOrganization, InviteDialog, signIn, toast } from './pages/invitations';
import { SsoPage } from './pages/sso-page';
import { TeamPage } from './pages/team-page';
import { seriousViolations } from './support/axe';
import { E2E_EMULATOR_URL } from './support/test-env';

// Issue 12 items 1 and 5: an admin sets up SSO and SCIM in Scalekit's admin portal embedded in
// Settings → Single sign-on & directory, sees both listed with their status, and an invitee of the
// now SSO-enforced organization is sent through its identity provider, not the email-code page.

test('admin opens the admin portal, creates an SSO connection and a SCIM directory, and sees both listed; an invitee then signs in through the IdP', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const { tag, orgId, admin } = await freshOrganization();
  const orgName = `Invites ${tag}`;
  const domain = `sso-${tag}.test`;
  await signIn(page, admin, `/orgs/${orgId}/settings/sso`);

  const sso = new SsoPage(page);
  await expect(sso.heading).toBeVisible();
  // Empty state, and nothing in the HTML that could open the portal before the click.
  await expect(sso.ssoEmpty).toContainText('No SSO connection yet');
  await expect(sso.directoryEmpty).toContainText('No directory connected yet');
  expect(await page.content()).not.toContain('/magicLink/');
  expect(await seriousViolations(page)).toEqual([]);

  await sso.open(orgName);
  expect(await sso.portalFrame.getAttribute('src')).toMatch(new RegExp(`^${E2E_EMULATOR_URL}/magicLink/`));
  await sso.portal.createConnection({ protocol: 'SAML', provider: 'Okta', name: `Okta ${tag}`, domains: domain, requireSso: true });
  await sso.portal.enable(`Okta ${tag}`);
  // The portal's ORGANIZATION_SSO_ENABLED event makes the page re-read Scalekit: listed without a reload.
  await expect(sso.connectionRow('Okta')).toContainText('SAML');
  await expect(sso.connectionRow('Okta')).toContainText(domain);
  await expect(sso.connectionRow('Okta')).toContainText('Enabled');

  const scim = await sso.portal.createDirectory({ provider: 'Microsoft Entra ID (Azure AD)', name: `Entra ${tag}` });
  expect(scim.endpoint).toMatch(/\/api\/v1\/directories\/dir_\d+\/scim\/v2$/);
  expect(scim.token.length).toBeGreaterThan(20);
  await sso.portal.enable(`Entra ${tag}`);
  await expect(sso.directoryRow(`Entra ${tag}`)).toContainText('Enabled');
  await expect(sso.directoryRow(`Entra ${tag}`)).toContainText('Microsoft Entra ID');

  // Closed and reloaded, the status is what Scalekit says (no state kept in the browser).
  await sso.closePortal.click();
  await page.reload();
  await expect(sso.connectionRow('Okta')).toContainText('Enabled');
  await expect(sso.directoryRow(`Entra ${tag}`)).toContainText('Never');
  expect(await seriousViolations(page)).toEqual([]);

  // The admin invites someone at the SSO domain.
  const invitee = `newbie-${tag}@${domain}`;
  const team = new TeamPage(page);
  await team.goto(orgId);
  const since = new Date(Date.now() - 1_000).toISOString();
  await new InviteDialog(page).invite(invitee);
  await expect(toast(page, `Invitation sent to ${invitee}.`)).toBeVisible();
  const email = await waitForEmail(invitee, (e) => e.subject.startsWith("You're invited"), since);

  // The invitee, in a browser of their own: invitation link → app's initiate-login → Scalekit →
  // the organization's IdP (SSO is required there), never the email-code page → back, in the org.
  const context = await browser.newContext();
  try {
    const inviteePage = await context.newPage();
    await inviteePage.goto(email.links[0]!);
    const idp = new EmulatorPages(inviteePage);
    await expect(inviteePage.getByRole('heading', { name: `Okta ${tag}` })).toBeVisible();
    await expect(idp.codeInput).toHaveCount(0);
    await expect(idp.ssoEmailInput).toHaveValue(invitee);
    await idp.signInAtIdp(invitee);
    await inviteePage.waitForURL(/\/dashboard$/);
    await new DashboardPage(inviteePage).expectSignedIn({ email: invitee, org: orgName, role: 'Member' });
  } finally {
    await context.close();
  }
});

test('a member of the organization is told only admins can set up SSO, and gets no portal button', async ({ page }) => {
  await signIn(page, 'max@acme.test', '/orgs/org_acme/settings/sso');
  await expect(page.getByTestId('admins-only')).toContainText('Only admins of Acme can set up single sign-on and directory sync');
  await expect(page.getByRole('button', { name: 'Open admin portal' })).toHaveCount(0);
});
