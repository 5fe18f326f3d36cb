/**
 * Encryption at rest for the secrets a Session row keeps (refresh token, ID token hint).
 *
 * AES-256-GCM with a fresh random 96-bit IV per value; the format is versioned so a future key
 * or algorithm can be introduced while old rows still decrypt:
 *   v1.<iv base64url>.<ciphertext || 16-byte tag, base64url>
 * An optional context string is bound as additional authenticated data, so a ciphertext copied
 * from one row (or one column) into another fails to decrypt instead of being accepted.
 *
 * Server-only: node:crypto. Never import from middleware.ts.
 */

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { getRefreshTokenKey } from '@/lib/session/keys';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Deliberately vague: the reason (tampering, wrong key, wrong context) must not leak. */
export class SecretDecryptionError extends Error {
  constructor() {
    super('Stored secret could not be decrypted (corrupted, tampered with, or encrypted under another key)');
    this.name = 'SecretDecryptionError';
  }
}

function checkKey(key: Uint8Array): void {
  if (key.byteLength !== KEY_BYTES) throw new RangeError(`AES-256-GCM needs a ${KEY_BYTES}-byte key`);
}

export function encryptSecret(plaintext: string, key: Uint8Array, context = ''): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

export function decryptSecret(sealed: string, key: Uint8Array, context = ''): string {
  checkKey(key);
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 3 || parts[0] !== VERSION) throw new SecretDecryptionError();
  const [, ivText = '', bodyText = ''] = parts;
  if (!BASE64URL.test(ivText) || !BASE64URL.test(bodyText)) throw new SecretDecryptionError();
  const iv = Buffer.from(ivText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SecretDecryptionError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError();
  }
}

/** Encrypt a token for a Session row with the app key (HKDF of SESSION_SECRET). */
export async function encryptStoredToken(token: string, context = ''): Promise<string> {
  return encryptSecret(token, await getRefreshTokenKey(), context);
}

export async function decryptStoredToken(sealed: string, context = ''): Promise<string> {
  return decryptSecret(sealed, await getRefreshTokenKey(), context);
}
