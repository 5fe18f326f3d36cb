/**
 * Regenerates the screenshots in docs/screenshots/ (README and docs use them):
 *   SCREENSHOTS=1 npx playwright test --project=screenshots
 * Not part of the normal run: it writes files into the repository.
 */
import { expect, test, type Page } from '@playwright/test';
import { deriveSessionCookieKey } from '@/lib/session/keys';
import { SESSION_COOKIE_NAME, signSessionCookie } from '@/lib/session/cookie';
import { E2E_BASE_URL, E2E_SESSION_SECRET } from './support/test-env';

const OUT = 'docs/screenshots';

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  // Skeleton pulses and toasts would otherwise make every capture slightly different.
  await page.addStyleTag({ content: '*,*::before,*::after{animation:none!important;transition:none!important}' });
}

test.use({ viewport: { width: 1280, height: 800 } });

test('landing', async ({ page }) => {
  await page.goto('/');
  await settle(page);
  await page.screenshot({ path: `${OUT}/landing.png` });
  await page.screenshot({ path: `${OUT}/landing-full.png`, fullPage: true });
});

test('login', async ({ page }) => {
  await page.goto('/login');
  await settle(page);
  await page.screenshot({ path: `${OUT}/login.png` });
});

test('login with SSO open and an error', async ({ page }) => {
  await page.goto('/login?sso=1&error=access_denied');
  await settle(page);
  await page.screenshot({ path: `${OUT}/login-error-sso.png`, fullPage: true });
});

test('dashboard placeholder', async ({ page, context }) => {
  // Middleware only checks the cookie's signature today; once the page re-checks the session
  // row, this needs a real sign-in instead.
  const key = await deriveSessionCookieKey(E2E_SESSION_SECRET);
  const token = await signSessionCookie(
    { sessionId: 'ses_screenshot', userId: 'usr_ada', organizationId: 'org_acme', expiresAt: new Date(Date.now() + 3_600_000) },
    key,
  );
  await context.addCookies([{ name: SESSION_COOKIE_NAME, value: token, url: E2E_BASE_URL, httpOnly: true, sameSite: 'Lax' }]);
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await settle(page);
  await page.screenshot({ path: `${OUT}/dashboard.png` });
});

test('landing on a phone, dark mode', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await settle(page);
  await page.screenshot({ path: `${OUT}/landing-mobile-dark.png` });
});
