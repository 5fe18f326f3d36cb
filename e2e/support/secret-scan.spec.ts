import { expect, test } from '@playwright/test';
import { containsToken, leakedSecrets } from './secret-scan';

// Pure checks of the log scanner the redaction spec relies on; no browser needed.
test.describe('secretScan', () => {
  test('finds a secret wherever a log line would carry it', () => {
    expect(containsToken('{"msg":"x","code":"482913"}', '482913')).toBe(true);
    expect(containsToken('GET /api/auth/callback?code=482913&state=abc', '482913')).toBe(true);
    expect(containsToken('482913', '482913')).toBe(true);
    expect(containsToken('cookie: tg_session=eyJabc.def; other=1', 'eyJabc.def')).toBe(true);
  });

  test('does not find a 6-digit code inside an unrelated number', () => {
    expect(containsToken('{"time":1764684829131,"ms":482913.5}', '482913')).toBe(false);
    expect(containsToken('{"pid":1482913}', '482913')).toBe(false);
    expect(leakedSecrets('{"time":1764684829131}', ['684829', '1764'])).toEqual([]);
  });

  test('treats regex metacharacters in a secret literally', () => {
    expect(containsToken('value a+b=c here', 'a+b=c')).toBe(true);
    expect(containsToken('value aXb=c here', 'a+b=c')).toBe(false);
  });
});
