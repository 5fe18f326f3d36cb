import type { Page } from '@playwright/test';
import { E2E_BASE_URL } from './test-env';

const APP_ORIGIN = new URL(E2E_BASE_URL).origin;

/**
 * Collects every Content-Security-Policy violation a page reports (the DOM's
 * `securitypolicyviolation` event, forwarded through a binding so it survives navigations) and
 * every console error, for specs that assert a page runs cleanly under the app's CSP. Only the
 * app's own documents count: Scalekit's hosted pages (the emulator's) are not ours to police.
 */
export interface CspWatch {
  violations: string[];
  consoleErrors: string[];
}

export async function watchCsp(page: Page): Promise<CspWatch> {
  const watch: CspWatch = { violations: [], consoleErrors: [] };
  await page.exposeBinding('__teamgateCspViolation', ({ frame }, report: string) => {
    if (frame.url().startsWith(APP_ORIGIN)) watch.violations.push(report);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.documentURI} (${e.sourceFile}:${e.lineNumber}) sample=${e.sample}`;
      (window as unknown as { __teamgateCspViolation: (r: string) => void }).__teamgateCspViolation(report);
    });
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.url().startsWith(APP_ORIGIN))
      watch.consoleErrors.push(`${response.status()} ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && page.url().startsWith(APP_ORIGIN)) watch.consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  return watch;
}
