import { expect, test } from '@playwright/test';
import { LoginPage } from './pages/login-page';

test.describe('app shell', () => {
  test('an anonymous visit to the dashboard ends on sign-in, and returnTo survives into the forms', async ({ page }) => {
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/login\?returnTo=%2Fdashboard$/);
    const login = new LoginPage(page);
    await expect(login.heading).toBeVisible();
    const url = await login.captureLoginRequest(() => login.socialButton('GitHub').click());
    expect(url.searchParams.get('returnTo')).toBe('/dashboard');
  });

  test('an unknown page answers 404 with a way back', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('main').getByRole('link', { name: 'Go home' }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test('the signed-out page confirms and offers to sign in again', async ({ page }) => {
    await page.goto('/signed-out');
    await expect(page.getByRole('heading', { name: "You're signed out" })).toBeVisible();
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await expect(new LoginPage(page).heading).toBeVisible();
  });

  test('pages send the security headers and no X-Powered-By', async ({ request }) => {
    const response = await request.get('/login');
    const headers = response.headers();
    expect(headers['x-powered-by']).toBeUndefined();
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });

  test('keyboard users can skip straight to the content', async ({ page }) => {
    await page.goto('/');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
  });
});
