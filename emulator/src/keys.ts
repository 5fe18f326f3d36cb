import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, jwtVerify, type JWK, type JWTPayload, type CryptoKey } from 'jose';

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  /** Kept only so a persisted emulator keeps verifying tokens it issued before a restart. */
  privateJwk: JWK;
}

/**
 * The public half of a persisted RSA private JWK: only the members a public key
 * has (the emulator persists exactly kty, n, e, the private CRT members and kid).
 */
function publicMembers({ kty, n, e, kid }: JWK): JWK {
  return { kty, n, e, kid };
}

export async function createSigningKeys(existing?: JWK): Promise<SigningKeys> {
  if (existing?.kid) {
    const privateKey = (await importJWK(existing, 'RS256')) as CryptoKey;
    const pub = publicMembers(existing);
    const publicKey = (await importJWK(pub, 'RS256')) as CryptoKey;
    return { kid: existing.kid, privateKey, publicKey, publicJwk: { ...pub, alg: 'RS256', use: 'sig' }, privateJwk: existing };
  }
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = `snk_${createHash('sha256')
    .update(publicJwk.n ?? '')
    .digest('hex')
    .slice(0, 16)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid };
  return { kid, privateKey, publicKey, publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' }, privateJwk };
}

export function sign(keys: SigningKeys, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: keys.kid, typ: 'JWT' }).sign(keys.privateKey);
}

export async function verify(keys: SigningKeys, token: string, issuer: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, { issuer, algorithms: ['RS256'] });
    return payload;
  } catch {
    return null;
  }
}

/** OIDC at_hash: base64url of the left half of SHA-256 of the access token (RS256). */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
