/**
 * OIDC ID token verification (OIDC Core §3.1.3.7).
 *
 * @scalekit-sdk/node's authenticateWithCode only *decodes* the ID token, so without this a
 * forged or replayed token would be believed. Signature against the environment's JWKS (RS256
 * only, so `alg: none` and HMAC-with-the-public-key confusion are impossible), issuer, audience
 * (and azp when there are several audiences), expiry with a small clock tolerance, and the nonce
 * this browser's login flow generated.
 */

import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';

export interface VerifyIdTokenOptions {
  /** Expected `iss`: the Scalekit environment URL. */
  issuer: string;
  /** Expected `aud`: our client id. */
  audience: string;
  /** The nonce stored in the login-flow cookie. */
  nonce: string;
  /** Defaults to `<issuer>/keys`, where Scalekit (and the SDK) fetch the JWKS. */
  jwksUrl?: string;
  clockToleranceSeconds?: number;
  /** For tests. */
  currentDate?: Date;
}

export type IdTokenErrorCode =
  | 'malformed'
  | 'bad_signature'
  | 'unknown_key'
  | 'alg_not_allowed'
  | 'expired'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'nonce_mismatch'
  /** The token carries no nonce although the authorize request sent one (see toIdTokenError). */
  | 'nonce_missing'
  | 'invalid_claims'
  | 'jwks_unavailable';

/** Carries a code for logs and tests; the message never contains the token. */
export class IdTokenError extends Error {
  constructor(
    readonly code: IdTokenErrorCode,
    message: string,
  ) {
    super(`ID token rejected: ${message}`);
    this.name = 'IdTokenError';
  }
}

const idTokenClaimsSchema = z.object({
  iss: z.string(),
  sub: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number(),
  nonce: z.string(),
  azp: z.string().optional(),
  /** Scalekit organization id. */
  oid: z.string().optional(),
  /** Scalekit session id. */
  sid: z.string().optional(),
  /** How the user authenticated (e.g. otp, pwd, sso, oauth). */
  amr: z.array(z.string()).optional(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  picture: z.string().optional(),
  locale: z.string().optional(),
});

export type IdTokenClaims = z.infer<typeof idTokenClaimsSchema> & JWTPayload;

// jose caches the fetched keys inside each set and refetches on an unknown `kid` (with a
// cooldown), so one set per URL for the life of the process is what makes key rotation work
// without a JWKS request on every login.
const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksFor(url: string): ReturnType<typeof createRemoteJWKSet> {
  let jwks = jwksByUrl.get(url);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url));
    jwksByUrl.set(url, jwks);
  }
  return jwks;
}

export async function verifyIdToken(idToken: unknown, options: VerifyIdTokenOptions): Promise<IdTokenClaims> {
  if (typeof idToken !== 'string' || idToken.length === 0) throw new IdTokenError('malformed', 'missing');
  if (!options.nonce) throw new IdTokenError('nonce_mismatch', 'no nonce was expected, refusing to skip the check');
  const issuer = options.issuer;
  const jwksUrl = options.jwksUrl ?? `${issuer.replace(/\/+$/, '')}/keys`;

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, jwksFor(jwksUrl), {
      algorithms: ['RS256'],
      issuer,
      audience: options.audience,
      requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
      clockTolerance: options.clockToleranceSeconds ?? 30,
      currentDate: options.currentDate,
    }));
  } catch (error) {
    throw toIdTokenError(error);
  }

  const parsed = idTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) throw new IdTokenError('invalid_claims', 'claims have unexpected types');
  const claims = parsed.data;
  // OIDC Core §3.1.3.7 (4)–(5): with several audiences, azp must name us.
  const severalAudiences = Array.isArray(claims.aud) && claims.aud.length > 1;
  if ((severalAudiences && claims.azp === undefined) || (claims.azp !== undefined && claims.azp !== options.audience)) {
    throw new IdTokenError('wrong_audience', 'azp does not match the client id');
  }
  if (!constantTimeEqual(claims.nonce, options.nonce)) throw new IdTokenError('nonce_mismatch', 'nonce does not match this login');
  return { ...payload, ...claims };
}

function toIdTokenError(error: unknown): IdTokenError {
  if (error instanceof errors.JWTExpired) return new IdTokenError('expired', 'expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new IdTokenError('wrong_issuer', 'unexpected issuer');
    if (error.claim === 'aud') return new IdTokenError('wrong_audience', 'unexpected audience');
    // OIDC Core §3.1.3.7 (11): a nonce sent in the authorize request MUST come back in the ID
    // token. Scalekit's published claim table (developer-docs, ID token claims) does not list
    // `nonce`, so if a Scalekit release ever drops it this is the first place to look: its own
    // code and log line rather than a generic "invalid claims".
    if (error.claim === 'nonce' && error.reason === 'missing') return new IdTokenError('nonce_missing', 'the ID token has no nonce claim');
    return new IdTokenError('invalid_claims', `claim "${error.claim}" is invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new IdTokenError('alg_not_allowed', 'signing algorithm not allowed');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new IdTokenError('bad_signature', 'signature does not verify');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new IdTokenError('unknown_key', 'signed with a key not in the JWKS');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof errors.JOSENotSupported) {
    return new IdTokenError('jwks_unavailable', 'could not load usable signing keys');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return new IdTokenError('malformed', 'not a valid JWT');
  // A JWKS endpoint answering non-200 or non-JSON is a bare JOSEError; network failures while
  // fetching it are not JOSE errors at all.
  if (error instanceof Error && (error.constructor === errors.JOSEError || !(error instanceof errors.JOSEError))) {
    return new IdTokenError('jwks_unavailable', 'could not fetch signing keys');
  }
  return new IdTokenError('malformed', 'could not be verified');
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
