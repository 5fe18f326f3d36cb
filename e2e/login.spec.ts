import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { LoginPage } from './pages/login-page';
import { elementsPastViewport } from './support/layout';

test.describe('sign-in page', () => {
  test('each social button asks /api/auth/login for its provider, carrying returnTo', async ({ page }) => {
    const login = new LoginPage(page);
    for (const [provider, id] of [
      ['Google', 'google'],
      ['GitHub', 'github'],
      ['Microsoft', 'microsoft'],
    ] as const) {
      await login.goto({ returnTo: '/team?tab=invites' });
      const url = await login.captureLoginRequest(() => login.socialButton(provider).click());
      expect(url.pathname).toBe('/api/auth/login');
      expect(Object.fromEntries(url.searchParams)).toEqual({ provider: id, returnTo: '/team?tab=invites' });
    }
  });

  test('continue with email sends the address as login_hint', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto({ returnTo: '/dashboard' });
    await login.emailInput.fill('ada@acme.test');
    const url = await login.captureLoginRequest(() => login.continueWithEmail.click());
    expect(Object.fromEntries(url.searchParams)).toEqual({ returnTo: '/dashboard', login_hint: 'ada@acme.test' });
  });

  test('the email form will not submit an invalid address', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    let requested = false;
    await page.route('**/api/auth/login**', (route) => {
      requested = true;
      return route.abort();
    });
    await login.emailInput.fill('not-an-email');
    await login.continueWithEmail.click();
    expect(await login.emailInput.evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(false);
    await expect(page).toHaveURL(/\/login$/);
    expect(requested).toBe(false);
  });

  test('simplerSignIn_oneEmailField: one email field first, social buttons below, the organization ID behind a disclosure', async ({
    page,
  }) => {
    const login = new LoginPage(page);
    await login.goto();
    // Exactly one email box on the page, and it comes before the social buttons.
    await expect(page.locator('input[type="email"]')).toHaveCount(1);
    await expect(login.emailHelp).toContainText('single sign-on');
    const emailTop = (await login.emailInput.boundingBox())!.y;
    const socialTop = (await login.socialButton('Google').boundingBox())!.y;
    expect(emailTop).toBeLessThan(socialTop);
    await expect(login.organizationIdInput).toBeHidden();
    const disclosure = page.locator('summary', { hasText: "Sign in with your organization's SSO" });
    expect((await disclosure.boundingBox())!.y).toBeGreaterThan(socialTop);
    await login.ssoToggle.click();
    await expect(login.organizationIdInput).toBeVisible();
  });

  test('an SSO-domain email in the one field sends just login_hint (the identity provider routes by domain)', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.emailInput.fill('gina@globex.test');
    const url = await login.captureLoginRequest(() => login.continueWithEmail.click());
    expect(Object.fromEntries(url.searchParams)).toEqual({ login_hint: 'gina@globex.test' });
  });

  test('SSO by organization id sends sso=1 and organization_id', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto({ returnTo: '/settings' });
    await login.openSso();
    await login.organizationIdInput.fill('org_globex');
    const url = await login.captureLoginRequest(() => login.continueWithOrganization.click());
    expect(Object.fromEntries(url.searchParams)).toEqual({ returnTo: '/settings', sso: '1', organization_id: 'org_globex' });
  });

  test('an organization id must look like org_…', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.openSso();
    await login.organizationIdInput.fill('acme');
    expect(await login.organizationIdInput.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
    await login.organizationIdInput.fill('org_acme');
    expect(await login.organizationIdInput.evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(true);
  });

  test('?sso=1 opens the organization ID section; a hinted email fills the one email field', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto({ sso: '1', login_hint: 'gina@globex.test' });
    await expect(login.organizationIdInput).toBeVisible();
    await expect(login.emailInput).toHaveValue('gina@globex.test');
  });

  test('a returnTo that is not a local path is not carried into the forms', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto({ returnTo: 'https://evil.example/phish' });
    await expect(page.locator('input[name="returnTo"]')).toHaveCount(0);
  });

  test('shows only the app’s own sentence for an error code, never error_description from the query (as HTML or as text)', async ({
    page,
  }) => {
    const login = new LoginPage(page);
    await login.goto({
      error: 'access_denied',
      error_description: '<img src=x onerror="window.__xss=1"><b>bold</b> Your account is locked: call +1 555 0100',
    });
    await expect(login.errorBanner).toBeVisible();
    await expect(login.errorBanner).toHaveAttribute('role', 'alert');
    await expect(login.errorBanner).toContainText('Sign-in was not completed');
    await expect(login.errorBanner).toContainText('Teamgate is invitation only');
    await expect(login.errorBanner).toContainText('Error code: access_denied');
    await expect(login.errorBanner).not.toContainText('bold');
    await expect(login.errorBanner).not.toContainText('555 0100');
    await expect(page.getByText('555 0100')).toHaveCount(0);
    await expect(login.errorBanner.locator('img, b')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  test('explains an unknown error without echoing the code, well-formed or not', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto({ error: '"><script>alert(1)</script>' });
    await expect(login.errorBanner).toContainText('Sign-in did not complete');
    await expect(login.errorBanner).not.toContainText('script');
    await login.goto({ error: 'call_support_at_evil_example', error_description: 'Call +1 555 0100' });
    await expect(login.errorBanner).toContainText('Sign-in did not complete');
    await expect(login.errorBanner).not.toContainText('evil');
    await expect(login.errorBanner).not.toContainText('555');
  });

  test('works with JavaScript turned off', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      const login = new LoginPage(page);
      await login.goto({ returnTo: '/dashboard' });
      await login.emailInput.fill('max@acme.test');
      const url = await login.captureLoginRequest(() => login.continueWithEmail.click());
      expect(Object.fromEntries(url.searchParams)).toEqual({ returnTo: '/dashboard', login_hint: 'max@acme.test' });

      await login.goto();
      await login.ssoToggle.click();
      await expect(login.organizationIdInput).toBeVisible();
    } finally {
      await context.close();
    }
  });

  test('has no serious accessibility violations, with and without an error', async ({ page }) => {
    const login = new LoginPage(page);
    for (const query of [{}, { error: 'access_denied' }] as Record<string, string>[]) {
      await login.goto(query);
      await login.openSso();
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  });

  test('fits a phone screen without sideways scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const login = new LoginPage(page);
    await login.goto();
    await login.openSso();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await elementsPastViewport(page)).toEqual([]);
  });
});
