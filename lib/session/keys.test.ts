import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveKeyBytes,
  deriveLoginFlowKey,
  deriveRefreshTokenKey,
  deriveSessionCookieKey,
  getLoginFlowKey,
  getRefreshTokenKey,
  getSessionCookieKey,
  KEY_INFO,
} from '@/lib/session/keys';

const SECRET = 'test-secret-0123456789abcdef-0123456789abcdef';

describe('HKDF key derivation', () => {
  it('matches an independent HKDF-SHA256 (node:crypto) with an empty salt', async () => {
    for (const info of Object.values(KEY_INFO)) {
      const expected = new Uint8Array(hkdfSync('sha256', SECRET, new Uint8Array(0), info, 32));
      expect(await deriveKeyBytes(SECRET, info)).toEqual(expected);
    }
  });

  it('gives each purpose its own 32-byte key', async () => {
    const [flow, refresh] = await Promise.all([deriveLoginFlowKey(SECRET), deriveRefreshTokenKey(SECRET)]);
    const cookie = await deriveKeyBytes(SECRET, KEY_INFO.sessionCookie);
    expect(flow).toHaveLength(32);
    expect(refresh).toHaveLength(32);
    const hex = [flow, refresh, cookie].map((k) => Buffer.from(k).toString('hex'));
    expect(new Set(hex).size).toBe(3);
  });

  it('changes every key when the secret changes', async () => {
    const a = await deriveRefreshTokenKey(SECRET);
    const b = await deriveRefreshTokenKey(`${SECRET}x`);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('refuses an empty secret', async () => {
    await expect(deriveKeyBytes('', KEY_INFO.loginFlow)).rejects.toThrow(/empty secret/);
  });

  it('makes the cookie key a non-extractable HMAC-SHA256 CryptoKey', async () => {
    const key = await deriveSessionCookieKey(SECRET);
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' } });
  });

  it('derives the app keys once per process from SESSION_SECRET', async () => {
    expect(await getSessionCookieKey()).toBe(await getSessionCookieKey());
    expect(await getLoginFlowKey()).toBe(await getLoginFlowKey());
    const refresh = await getRefreshTokenKey();
    const { getEnv } = await import('@/lib/env');
    expect(refresh).toEqual(await deriveRefreshTokenKey(getEnv().SESSION_SECRET));
  });
});
