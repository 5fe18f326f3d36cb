import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { LandingPage } from './pages/landing-page';
import { LoginPage } from './pages/login-page';
import { elementsPastViewport } from './support/layout';

test.describe('landing page', () => {
  test('tells a visitor what Teamgate is and offers to sign in', async ({ page }) => {
    const landing = new LandingPage(page);
    await landing.goto();

    await expect(page).toHaveTitle(/Teamgate/);
    await expect(landing.heading).toHaveText(/Team login for B2B SaaS, by invitation only\./);
    await expect(page.getByText(/nobody gets in uninvited/)).toBeVisible();
    await expect(landing.header.brand).toBeVisible();
    await expect(landing.header.signIn).toBeVisible();
    await expect(landing.heroSignIn).toBeVisible();
    await expect(landing.featuresHeading).toBeVisible();
    expect(await landing.featureTitles()).toEqual([
      'Invitation-only signup',
      'Every way to sign in',
      'Organizations and roles',
      'Accountable by default',
    ]);
  });

  test('the call to action leads to the sign-in page, which shows every method', async ({ page }) => {
    const landing = new LandingPage(page);
    await landing.goto();
    await landing.heroSignIn.click();

    await expect(page).toHaveURL(/\/login$/);
    const login = new LoginPage(page);
    await expect(login.heading).toBeVisible();
    for (const provider of ['Google', 'GitHub', 'Microsoft'] as const) {
      await expect(login.socialButton(provider)).toBeVisible();
    }
    await expect(login.emailInput).toBeVisible();
    await expect(login.continueWithEmail).toBeVisible();
    await expect(login.ssoToggle).toBeVisible();
    await expect(login.organizationIdInput).toBeHidden();
    await login.openSso();
    await expect(login.organizationIdInput).toBeVisible();
    await expect(login.inviteOnlyNote).toContainText('invitation-only');
    await expect(login.errorBanner).toHaveCount(0);
  });

  test('the header Sign in button works from the landing page', async ({ page }) => {
    const landing = new LandingPage(page);
    await landing.goto();
    await landing.header.signIn.click();
    await expect(new LoginPage(page).heading).toBeVisible();
  });

  test('"See how it works" scrolls to the features', async ({ page }) => {
    const landing = new LandingPage(page);
    await landing.goto();
    await landing.howItWorks.click();
    await expect(page).toHaveURL(/#features$/);
    await expect(landing.featuresHeading).toBeInViewport();
  });

  test('has no serious accessibility violations', async ({ page }) => {
    await new LandingPage(page).goto();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  test('fits a phone screen without sideways scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await new LandingPage(page).goto();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await elementsPastViewport(page)).toEqual([]);
    await expect(new LandingPage(page).heroSignIn).toBeInViewport();
  });
});
