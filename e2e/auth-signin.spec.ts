import { expect, test } from '@playwright/test';
import { DashboardPage, signIn } from './pages/dashboard-page';
import { EmulatorPages } from './pages/emulator-pages';
import { LoginPage } from './pages/login-page';
import { E2E_IDP_URL } from './support/test-env';

test.describe('sign-in journeys', () => {
  test('seeded admin signs in with an email code, returns to the page asked for, and sees the dashboard', async ({ page }) => {
    await page.goto('/account');
    await expect(page).toHaveURL(/\/login\?returnTo=%2Faccount$/);
    const login = new LoginPage(page);
    await login.emailInput.fill('ada@acme.test');
    await login.continueWithEmail.click();
    await new EmulatorPages(page).completeEmailCode('ada@acme.test');
    await page.waitForURL(/\/account$/);
    await expect(page.getByRole('heading', { name: 'Account & sessions' })).toBeVisible();
    await expect(page.getByTestId('session-current')).toContainText('Email code');

    const response = await page.goto('/dashboard');
    // Private page: never stored by the browser or a shared cache.
    expect(response?.headers()['cache-control']).toMatch(/no-store/);
    const dashboard = new DashboardPage(page);
    await dashboard.expectSignedIn({ email: 'ada@acme.test', org: 'Acme', role: 'Admin', method: 'Email code' });
    await expect(dashboard.teamLink).toHaveAttribute('href', '/orgs/org_acme/team');
    await expect(dashboard.teamLink).toHaveText('Manage team');
    // The session cookie is HttpOnly and tiny; no token reaches the page.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tg_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookie!.value.length).toBeLessThan(400);
    const html = await page.content();
    expect(html).not.toMatch(/rt_[A-Za-z0-9]{8}|eyJhbGciOiJSUzI1Ni/);
    await expect(page.locator('meta[name="csrf-token"]')).toHaveAttribute('content', /^[A-Za-z0-9_-]{43}$/);
  });

  test('social sign-in (GitHub) crosses to the provider’s own origin and shows how the user signed in', async ({ page }) => {
    // The sign-in form → the app → Scalekit → the provider, a third origin: the app's CSP
    // (form-action) must not stop that chain (lib/auth/http.ts redirectToScalekit).
    const login = new LoginPage(page);
    await login.goto();
    await login.socialButton('GitHub').click();
    await page.waitForURL((url) => url.origin === E2E_IDP_URL);
    // Back from the provider returns to the sign-in page, not into a loop through the hand-off page.
    await page.goBack();
    await expect(login.emailInput).toBeVisible();

    const dashboard = await signIn(page, { email: 'ada@acme.test', via: 'social', provider: 'GitHub' });
    await dashboard.expectSignedIn({ email: 'ada@acme.test', org: 'Acme', role: 'Admin', method: 'GitHub' });
  });

  test('SSO by work email goes through the organization identity provider on its own origin', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.emailInput.fill('gina@globex.test');
    await login.continueWithEmail.click();
    await page.waitForURL((url) => url.origin === E2E_IDP_URL);
    await new EmulatorPages(page).signInAtIdp('gina@globex.test');
    await page.waitForURL(/\/dashboard$/);
    await new DashboardPage(page).expectSignedIn({ email: 'gina@globex.test', org: 'Globex', role: 'Admin', method: 'SSO (Okta)' });
  });

  test('a member sees the team read-only link', async ({ page }) => {
    const dashboard = await signIn(page, { email: 'max@acme.test', via: 'social', provider: 'Google' });
    await dashboard.expectSignedIn({ email: 'max@acme.test', org: 'Acme', role: 'Member', method: 'Google' });
    await expect(dashboard.teamLink).toHaveText('View team');
  });

  test('a non-invited email cannot sign up, and nothing signs it in', async ({ page }) => {
    const stranger = `stranger-${Date.now().toString(36)}@nowhere.test`;
    await page.goto(`/auth/login/initiate?login_hint=${encodeURIComponent(stranger)}&organization_id=org_acme`);
    const idp = new EmulatorPages(page);
    await expect(idp.signupHeading).toBeVisible();
    await expect(idp.emailInput).toHaveValue(stranger);
    await idp.continueButton.click();
    await expect(idp.alert).toContainText('Signup is by invitation only');
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/login\?returnTo=%2Fdashboard$/);
  });

  test('a refused or tampered callback shows a friendly page, not raw JSON', async ({ page }) => {
    await page.goto('/api/auth/callback?code=abc&state=forged');
    await expect(page).toHaveURL(/\/login\?error=invalid_state/);
    await expect(new LoginPage(page).errorBanner).toContainText('already used or has expired');
    await page.goto('/api/auth/callback?error=access_denied&error_description=Signup%20is%20by%20invitation%20only&state=x');
    // The app's sentence for the code, not the identity provider's description.
    await expect(new LoginPage(page).errorBanner).toContainText('Teamgate is invitation only');
    await expect(new LoginPage(page).errorBanner).not.toContainText('Signup is by');
  });
});
