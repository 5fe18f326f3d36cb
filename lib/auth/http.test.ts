import { describe, expect, it } from 'vitest';
import { redirectToScalekit } from '@/lib/auth/http';

const AUTHORIZE = 'https://acme.scalekit.com/oauth/authorize?client_id=skc_1&state=s%27x&provider=google';
const navigation = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' };

describe('redirectToScalekit', () => {
  it('a browser navigation gets a hand-off page that moves on by meta refresh (not a redirect form-action would police)', async () => {
    const response = redirectToScalekit(new Request('http://localhost/api/auth/login', { headers: navigation }), AUTHORIZE);
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const html = await response.text();
    const escaped = AUTHORIZE.replaceAll('&', '&amp;');
    expect(html).toContain(`<meta http-equiv="refresh" content="0; url='${escaped}'">`);
    expect(html).toContain(`<a href="${escaped}">`);
    expect(html).not.toMatch(/<script/i);
  });

  it('anything else (an API client, a fetch) gets the plain 302', () => {
    const cases: Array<Record<string, string>> = [
      {},
      { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' },
      { 'sec-fetch-dest': 'document' },
    ];
    for (const headers of cases) {
      const response = redirectToScalekit(new Request('http://localhost/api/auth/login', { headers }), AUTHORIZE);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(AUTHORIZE);
    }
  });

  it('never writes markup-breaking characters into the page: such a URL is redirected instead', () => {
    for (const bad of ["https://x.test/a'b", 'https://x.test/a"b', 'https://x.test/<b>', 'javascript:alert(1)']) {
      const response = redirectToScalekit(new Request('http://localhost/api/auth/login', { headers: navigation }), bad);
      expect(response.status).not.toBe(200);
    }
  });
});
