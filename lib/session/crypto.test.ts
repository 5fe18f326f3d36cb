import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, decryptStoredToken, encryptSecret, encryptStoredToken, SecretDecryptionError } from '@/lib/session/crypto';

const key = randomBytes(32);
const REFRESH_TOKEN = 'rt_8f3KzQ1vXw0pLmN2bC4dE6gH9jK_refresh-token-value';

function flipByte(b64: string, index: number): string {
  const bytes = Buffer.from(b64, 'base64url');
  bytes[index] = bytes[index]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('secret encryption at rest', () => {
  it('round-trips and uses the versioned v1.<iv>.<ciphertext+tag> format', () => {
    const sealed = encryptSecret(REFRESH_TOKEN, key);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    const [, iv, body] = sealed.split('.');
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(body!, 'base64url')).toHaveLength(Buffer.byteLength(REFRESH_TOKEN) + 16);
    expect(sealed).not.toContain(REFRESH_TOKEN);
    expect(decryptSecret(sealed, key)).toBe(REFRESH_TOKEN);
  });

  it('uses a fresh IV for every value', () => {
    const a = encryptSecret(REFRESH_TOKEN, key);
    const b = encryptSecret(REFRESH_TOKEN, key);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(a).not.toBe(b);
  });

  it('round-trips non-ASCII and empty values', () => {
    for (const value of ['', 'ünïcødé ✓ 🔑', 'x'.repeat(5000)]) expect(decryptSecret(encryptSecret(value, key), key)).toBe(value);
  });

  it('rejects every kind of tampering with the same vague error', () => {
    const sealed = encryptSecret(REFRESH_TOKEN, key);
    const [version, iv, body] = sealed.split('.') as [string, string, string];
    const bodyLength = Buffer.from(body, 'base64url').length;
    const tampered = [
      `${version}.${flipByte(iv, 0)}.${body}`, // IV
      `${version}.${iv}.${flipByte(body, 0)}`, // ciphertext
      `${version}.${iv}.${flipByte(body, bodyLength - 1)}`, // tag
      `${version}.${iv}.${Buffer.from(body, 'base64url')
        .subarray(0, bodyLength - 1)
        .toString('base64url')}`, // truncated tag
      `${version}.${iv}.${Buffer.from(body, 'base64url').subarray(0, 8).toString('base64url')}`, // shorter than a tag
      `v2.${iv}.${body}`,
      `${version}.${iv}`,
      `${version}.${iv}.${body}.extra`,
      `${version}.${iv}.${body}!`,
      `${version}.${randomBytes(16).toString('base64url')}.${body}`, // wrong IV length
      '',
    ];
    for (const value of tampered) {
      let caught: unknown;
      try {
        decryptSecret(value, key);
      } catch (error) {
        caught = error;
      }
      expect(caught, value).toBeInstanceOf(SecretDecryptionError);
      expect((caught as Error).message).not.toContain(body);
    }
  });

  it('rejects the wrong key and the wrong context', () => {
    const sealed = encryptSecret(REFRESH_TOKEN, key, 'session:cmb1:refresh');
    expect(decryptSecret(sealed, key, 'session:cmb1:refresh')).toBe(REFRESH_TOKEN);
    expect(() => decryptSecret(sealed, randomBytes(32), 'session:cmb1:refresh')).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(sealed, key, 'session:cmb2:refresh')).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(sealed, key)).toThrow(SecretDecryptionError);
  });

  it('insists on a 256-bit key', () => {
    expect(() => encryptSecret(REFRESH_TOKEN, randomBytes(16))).toThrow(/32-byte key/);
    expect(() => decryptSecret('v1.a.b', randomBytes(31))).toThrow(/32-byte key/);
  });

  it('encrypts with the app key derived from SESSION_SECRET', async () => {
    const sealed = await encryptStoredToken(REFRESH_TOKEN, 'ctx');
    expect(await decryptStoredToken(sealed, 'ctx')).toBe(REFRESH_TOKEN);
    expect(() => decryptSecret(sealed, key, 'ctx')).toThrow(SecretDecryptionError);
  });
});
