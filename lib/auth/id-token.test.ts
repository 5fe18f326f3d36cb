import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWTPayload } from 'jose';
import { IdTokenError, verifyIdToken, type IdTokenErrorCode } from '@/lib/auth/id-token';

const CLIENT_ID = 'skc_teamgate_test';
const NONCE = 'n-0S6_WzA2Mj';
const KID = 'key-1';

let server: Server;
let issuer: string;
let jwksRequests = 0;
let signingKey: CryptoKey;
let publicKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  ({ privateKey: signingKey, publicKey } = await generateKeyPair('RS256', { extractable: true }));
  ({ privateKey: strangerKey } = await generateKeyPair('RS256'));
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    if (req.url === '/keys') {
      jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    aud: [CLIENT_ID],
    azp: CLIENT_ID,
    sub: 'usr_123',
    oid: 'org_acme',
    sid: 'ses_456',
    amr: ['otp'],
    email: 'ana@acme.test',
    email_verified: true,
    name: 'Ana Admin',
    nonce: NONCE,
    iat: now,
    exp: now + 300,
    ...overrides,
  };
}

function sign(payload: JWTPayload, key: CryptoKey = signingKey, kid = KID): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
}

function options() {
  return { issuer, audience: CLIENT_ID, nonce: NONCE };
}

async function rejection(promise: Promise<unknown>): Promise<IdTokenErrorCode> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(IdTokenError);
    return (error as IdTokenError).code;
  }
  throw new Error('expected the ID token to be rejected');
}

describe('verifyIdToken', () => {
  it('accepts a genuine token and returns typed claims', async () => {
    const result = await verifyIdToken(await sign(claims()), options());
    expect(result).toMatchObject({
      sub: 'usr_123',
      oid: 'org_acme',
      sid: 'ses_456',
      amr: ['otp'],
      email: 'ana@acme.test',
      name: 'Ana Admin',
    });
  });

  it('fetches the JWKS once and reuses it', async () => {
    const before = jwksRequests;
    for (let i = 0; i < 3; i++) await verifyIdToken(await sign(claims()), options());
    expect(jwksRequests - before).toBeLessThanOrEqual(1);
  });

  it('refuses a token signed by another key with the same kid', async () => {
    expect(await rejection(verifyIdToken(await sign(claims(), strangerKey), options()))).toBe('bad_signature');
  });

  it('refuses a key id the issuer does not publish', async () => {
    expect(await rejection(verifyIdToken(await sign(claims(), strangerKey, 'other-kid'), options()))).toBe('unknown_key');
  });

  it('refuses alg: none', async () => {
    const none = new UnsecuredJWT(claims()).encode();
    expect(await rejection(verifyIdToken(none, options()))).toMatch(/alg_not_allowed|malformed/);
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(publicKey));
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: KID }).sign(pem);
    expect(await rejection(verifyIdToken(forged, options()))).toBe('alg_not_allowed');
  });

  it('refuses the wrong issuer', async () => {
    expect(await rejection(verifyIdToken(await sign(claims({ iss: 'https://evil.example' })), options()))).toBe('wrong_issuer');
  });

  it('refuses the wrong audience, and several audiences without our azp', async () => {
    expect(await rejection(verifyIdToken(await sign(claims({ aud: 'skc_someone_else', azp: undefined })), options()))).toBe(
      'wrong_audience',
    );
    expect(await rejection(verifyIdToken(await sign(claims({ aud: [CLIENT_ID, 'skc_x'], azp: undefined })), options()))).toBe(
      'wrong_audience',
    );
    expect(await rejection(verifyIdToken(await sign(claims({ azp: 'skc_x' })), options()))).toBe('wrong_audience');
  });

  it('refuses an expired token but tolerates small clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await rejection(verifyIdToken(await sign(claims({ iat: now - 600, exp: now - 120 })), options()))).toBe('expired');
    await expect(verifyIdToken(await sign(claims({ iat: now - 400, exp: now - 5 })), options())).resolves.toMatchObject({ sub: 'usr_123' });
  });

  it('refuses a nonce mismatch, a missing nonce, and an empty expected nonce', async () => {
    expect(await rejection(verifyIdToken(await sign(claims({ nonce: 'another-login' })), options()))).toBe('nonce_mismatch');
    expect(await rejection(verifyIdToken(await sign(claims({ nonce: undefined })), options()))).toBe('nonce_missing');
    expect(await rejection(verifyIdToken(await sign(claims()), { ...options(), nonce: '' }))).toBe('nonce_mismatch');
  });

  it('refuses garbage and wrongly typed claims', async () => {
    expect(await rejection(verifyIdToken('not.a.jwt', options()))).toBe('malformed');
    expect(await rejection(verifyIdToken(undefined, options()))).toBe('malformed');
    expect(await rejection(verifyIdToken(await sign(claims({ amr: 'otp' })), options()))).toBe('invalid_claims');
  });

  it('reports an unreachable JWKS without leaking the token', async () => {
    const token = await sign(claims());
    try {
      await verifyIdToken(token, { ...options(), jwksUrl: `${issuer}/missing-keys` });
      throw new Error('expected a rejection');
    } catch (error) {
      expect(error).toBeInstanceOf(IdTokenError);
      expect((error as IdTokenError).code).toBe('jwks_unavailable');
      expect((error as Error).message).not.toContain(token.split('.')[2]!);
    }
  });

  it('reports a JWKS host that refuses connections as unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const code = await rejection(verifyIdToken(await sign(claims()), { ...options(), jwksUrl: `http://127.0.0.1:${port}/keys` }));
    expect(code).toBe('jwks_unavailable');
  });
});
