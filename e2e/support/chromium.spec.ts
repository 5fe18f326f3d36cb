// A plain unit test, run by Playwright because Vitest's config leaves e2e/ to Playwright.
// It uses no browser fixture, so no browser starts for it.
import { expect, test } from '@playwright/test';
import { CHROMIUM_MISSING_MESSAGE, DEFAULT_CHROMIUM_PATH, resolveChromiumPath } from './chromium';

test.describe('resolveChromiumPath', () => {
  test('prefers CHROMIUM_PATH when it points at an executable', () => {
    expect(resolveChromiumPath({ CHROMIUM_PATH: '/opt/chrome/chrome' }, (p) => p === '/opt/chrome/chrome')).toBe('/opt/chrome/chrome');
  });

  test("falls back to Debian's /usr/bin/chromium", () => {
    expect(resolveChromiumPath({}, (p) => p === DEFAULT_CHROMIUM_PATH)).toBe(DEFAULT_CHROMIUM_PATH);
  });

  test('says what to install when there is no browser', () => {
    expect(() => resolveChromiumPath({}, () => false)).toThrow('apt-get install -y chromium');
    expect(CHROMIUM_MISSING_MESSAGE).toMatch(/Install Debian's chromium/);
  });

  test('does not silently ignore a CHROMIUM_PATH that is wrong', () => {
    expect(() => resolveChromiumPath({ CHROMIUM_PATH: '/nope/chromium' }, (p) => p === DEFAULT_CHROMIUM_PATH)).toThrow(
      /CHROMIUM_PATH=\/nope\/chromium is not an executable/,
    );
  });
});
