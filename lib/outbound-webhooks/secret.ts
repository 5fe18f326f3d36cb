import { decryptSecret, encryptSecret } from '@/lib/session/crypto';
import { deriveKeyBytes } from '@/lib/session/keys';
import { getEnv } from '@/lib/env';

/**
 * Endpoint secrets at rest. Unlike API keys (hashed: the app only compares them), a signing
 * secret must be read back to sign every delivery, so it is encrypted: AES-256-GCM
 * (lib/session/crypto.ts) under its own key derived from SESSION_SECRET with HKDF, bound to the
 * endpoint's id so a ciphertext copied onto another endpoint does not decrypt.
 */

const KEY_INFO = 'teamgate/outbound-webhook-secret/v1';
const keys = new Map<string, Promise<Uint8Array>>();

function key(): Promise<Uint8Array> {
  const secret = getEnv().SESSION_SECRET;
  let k = keys.get(secret);
  if (!k) {
    k = deriveKeyBytes(secret, KEY_INFO);
    keys.set(secret, k);
  }
  return k;
}

export async function sealEndpointSecret(endpointId: string, secret: string): Promise<string> {
  return encryptSecret(secret, await key(), `webhook-endpoint:${endpointId}`);
}

export async function openEndpointSecret(endpointId: string, sealed: string): Promise<string> {
  return decryptSecret(sealed, await key(), `webhook-endpoint:${endpointId}`);
}
