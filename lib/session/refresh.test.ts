import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { accessTokenExpiry, isRefusal, needsRefresh, REFRESH_SKEW_MS } from '@/lib/session/refresh';

describe('refresh helpers', () => {
  it('refreshes a little before the access token expires', () => {
    const now = Date.now();
    expect(needsRefresh({ accessTokenExpiresAt: new Date(now + REFRESH_SKEW_MS + 1_000) }, now)).toBe(false);
    expect(needsRefresh({ accessTokenExpiresAt: new Date(now + REFRESH_SKEW_MS - 1_000) }, now)).toBe(true);
  });

  it('tells a refusal (ends the session) from a transient failure (retry later)', () => {
    expect(isRefusal(new Error('Failed to refresh token: Request failed with status code 400'))).toBe(true);
    expect(isRefusal(new Error('Failed to refresh token: Request failed with status code 401'))).toBe(true);
    expect(isRefusal(new Error('Failed to refresh token: Request failed with status code 503'))).toBe(false);
    expect(isRefusal(new Error('Failed to refresh token: connect ECONNREFUSED 127.0.0.1:1'))).toBe(false);
    expect(isRefusal(new Error('Failed to refresh token: timeout of 10000ms exceeded'))).toBe(false);
  });

  it('reads the new access token expiry from its exp claim', async () => {
    const exp = Math.floor(Date.now() / 1000) + 300;
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new Uint8Array(32));
    expect(accessTokenExpiry(token).getTime()).toBe(exp * 1000);
    expect(accessTokenExpiry('opaque', 1_000).getTime()).toBe(61_000);
  });
});
