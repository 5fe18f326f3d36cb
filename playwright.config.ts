import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromiumPath } from './e2e/support/chromium';
import { E2E_BASE_URL, E2E_PORT } from './e2e/support/test-env';

const executablePath = resolveChromiumPath();
const chromium = {
  ...devices['Desktop Chrome'],
  channel: undefined,
  launchOptions: { executablePath, args: [...CHROMIUM_ARGS] },
};

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  // Per port, so e2e runs side by side do not delete each other's traces.
  outputDir: E2E_PORT === 3100 ? 'test-results' : `test-results/port-${E2E_PORT}`,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // Two cores shared with the app server: one retry absorbs a rare scheduling hiccup in CI only.
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: E2E_BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'chromium', use: chromium },
    // Regenerates docs/screenshots/ on demand only: SCREENSHOTS=1 npx playwright test --project=screenshots
    ...(process.env.SCREENSHOTS === '1' ? [{ name: 'screenshots', testMatch: '**/*.capture.ts', use: chromium }] : []),
  ],
  webServer: {
    command: 'npx tsx e2e/support/serve.ts',
    url: `${E2E_BASE_URL}/`,
    // Includes a production build when .next is missing or stale (about a minute on 2 cores).
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  },
});
