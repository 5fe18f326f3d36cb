import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context.js';
import { loggedIn } from '../directory.js';
import { effectiveStatus, displayName, type SessionGrant } from '../state.js';
import { newId, newSecret, sha256 } from '../ids.js';
import { atHash, sign, verify } from '../keys.js';
import { readForm, sendJson } from '../http-util.js';
import type { SeedClient } from '../seed.js';
import type { OrganizationClientRecord } from '../state.js';
import { refreshTokenExpiry, sessionExpired } from './session-policy.js';
import { authenticateOrganizationClient, organizationClientClaims } from '../grpc/m2m-clients.js';

// POST /oauth/token and the tokens it mints. Errors follow RFC 6749 §5.2.

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const now = () => Math.floor(Date.now() / 1000);

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Who is calling /oauth/token: an environment client (the app's, from the seed) or an
 * organization's M2M client (ClientService, grpc/m2m-clients.ts), which may only use
 * client_credentials (authenticate/m2m/api-auth-quickstart.mdx).
 */
type Caller = { kind: 'environment'; client: SeedClient } | { kind: 'organization'; client: OrganizationClientRecord };

function authenticateClient(ctx: Context, req: IncomingMessage, form: Record<string, string>): Caller {
  let clientId = form.client_id;
  let secret = form.client_secret;
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    clientId = decodeURIComponent(decoded.slice(0, i));
    secret = decodeURIComponent(decoded.slice(i + 1));
  }
  if (!clientId) throw new OAuthError('invalid_client', 'client_id is required', 401);
  const client = ctx.state.clients.get(clientId);
  if (client && secret && sameSecret(secret, client.secret)) return { kind: 'environment', client };
  const organizationClient = !client && secret ? authenticateOrganizationClient(ctx.state, clientId, secret) : null;
  if (organizationClient) return { kind: 'organization', client: organizationClient };
  throw new OAuthError('invalid_client', 'client authentication failed', 401);
}

export interface UserGrant extends SessionGrant {
  nonce: string | null;
  /** The authorization code being exchanged (for the ID token's c_hash); absent on refresh. */
  code?: string;
}

/** Access + ID token (+ a rotating refresh token when offline_access was asked for). */
export async function issueUserTokens(ctx: Context, grant: UserGrant) {
  const { state } = ctx;
  const user = state.users.get(grant.userId)!;
  const membership = state.memberships.get(grant.organizationId)?.get(grant.userId);
  const roles = membership ? [...membership.roles] : [];
  const iat = now();
  const env = state.environment;
  const iss = ctx.issuer();
  // xoid / xuid: the organization's and user's external ids, "if mapped" (developer-docs
  // authenticate/fsa/complete-login.mdx, decoded token examples; session-token-claims.mdx lists
  // both among the claims Scalekit sets).
  const organization = state.organizations.get(grant.organizationId);
  const externalIds = {
    ...(organization?.externalId ? { xoid: organization.externalId } : {}),
    ...(user.externalId ? { xuid: user.externalId } : {}),
  };
  const accessToken = await sign(ctx.keys, {
    iss,
    aud: [grant.clientId],
    client_id: grant.clientId,
    sub: user.id,
    oid: grant.organizationId,
    sid: grant.sessionId,
    jti: newId('tkn'),
    roles,
    permissions: state.permissionsFor(roles, grant.organizationId),
    scope: grant.scope,
    ...externalIds,
    iat,
    nbf: iat,
    exp: iat + env.accessTokenTtlSeconds,
  });
  const idClaims: Record<string, unknown> = {
    iss,
    aud: [grant.clientId],
    azp: grant.clientId,
    sub: user.id,
    oid: grant.organizationId,
    sid: grant.sessionId,
    email: user.email,
    email_verified: user.emailVerified,
    name: displayName(user) || user.email,
    given_name: user.firstName,
    family_name: user.lastName,
    amr: grant.amr,
    at_hash: atHash(accessToken),
    // c_hash "Always" and client_id "Always" in Scalekit's ID token claim table
    // (developer-docs authenticate/fsa/complete-login.mdx, "ID token claims reference"); c_hash
    // is computed like at_hash, over the authorization code (OIDC Core §3.3.2.11).
    ...(grant.code ? { c_hash: atHash(grant.code) } : {}),
    client_id: grant.clientId,
    ...(organization?.externalId ? { xoid: organization.externalId } : {}),
    iat,
    exp: iat + env.idTokenTtlSeconds,
  };
  if (grant.nonce) idClaims.nonce = grant.nonce;
  const idToken = await sign(ctx.keys, idClaims);
  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: env.accessTokenTtlSeconds,
    id_token: idToken,
    scope: grant.scope,
  };
  if (grant.scope.split(' ').includes('offline_access')) {
    const refreshToken = `rt_${newSecret()}`;
    state.refreshTokens.set(sha256(refreshToken), {
      sessionId: grant.sessionId,
      userId: grant.userId,
      organizationId: grant.organizationId,
      clientId: grant.clientId,
      scope: grant.scope,
      amr: grant.amr,
      used: false,
      expiresAt: refreshTokenExpiry(state, state.sessions.get(grant.sessionId)),
    });
    body.refresh_token = refreshToken;
  }
  const session = state.sessions.get(grant.sessionId);
  if (session) {
    session.lastActiveAt = new Date();
    session.updatedAt = session.lastActiveAt;
  }
  ctx.dir.changed();
  return body;
}

/** Why a user grant can no longer be honoured, or null if it still can. */
function grantProblem(ctx: Context, userId: string, organizationId: string, sessionId: string): string | null {
  const session = ctx.state.sessions.get(sessionId);
  if (!session || session.status !== 'ACTIVE') return 'the session has ended';
  // Absolute and idle timeouts of the session policy (oauth/session-policy.ts).
  if (sessionExpired(session)) return 'the session has expired';
  if (!ctx.state.users.has(userId)) return 'the user no longer exists';
  const m = ctx.state.memberships.get(organizationId)?.get(userId);
  if (!m || effectiveStatus(m) !== 'ACTIVE') return 'the user is no longer an active member of the organization';
  return null;
}

async function authorizationCodeGrant(ctx: Context, client: SeedClient, form: Record<string, string>) {
  const code = form.code;
  if (!code) throw new OAuthError('invalid_request', 'code is required');
  if (!form.redirect_uri) throw new OAuthError('invalid_request', 'redirect_uri is required');
  const record = ctx.state.authCodes.get(sha256(code));
  if (!record || record.clientId !== client.id) throw new OAuthError('invalid_grant', 'the authorization code is invalid');
  if (record.used) throw new OAuthError('invalid_grant', 'the authorization code has already been used');
  // Single use even when the exchange then fails: a leaked code cannot be retried.
  record.used = true;
  if (record.expiresAt.getTime() <= Date.now()) throw new OAuthError('invalid_grant', 'the authorization code has expired');
  if (record.redirectUri !== form.redirect_uri) {
    throw new OAuthError('invalid_grant', 'redirect_uri does not match the one used in the authorization request');
  }
  if (record.codeChallenge) {
    if (!form.code_verifier) throw new OAuthError('invalid_grant', 'code_verifier is required (PKCE was used)');
    const computed = createHash('sha256').update(form.code_verifier).digest('base64url');
    if (computed !== record.codeChallenge) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
  } else if (form.code_verifier) {
    throw new OAuthError('invalid_grant', 'code_verifier sent but the authorization request had no code_challenge');
  }
  const problem = grantProblem(ctx, record.userId, record.organizationId, record.sessionId);
  if (problem) throw new OAuthError('invalid_grant', problem);
  const body = await issueUserTokens(ctx, { ...record, clientId: client.id, code });
  // Tokens issued for the session (its id is the tokens' sid): user.login. Refreshes are not logins.
  const session = ctx.state.sessions.get(record.sessionId);
  if (session) loggedIn(ctx.dir, session);
  return body;
}

async function refreshTokenGrant(ctx: Context, client: SeedClient, form: Record<string, string>) {
  if (!form.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required');
  const record = ctx.state.refreshTokens.get(sha256(form.refresh_token));
  if (!record || record.clientId !== client.id) throw new OAuthError('invalid_grant', 'the refresh token is invalid');
  if (record.used) throw new OAuthError('invalid_grant', 'the refresh token has already been used');
  if (record.expiresAt.getTime() <= Date.now()) throw new OAuthError('invalid_grant', 'the refresh token has expired');
  const problem = grantProblem(ctx, record.userId, record.organizationId, record.sessionId);
  if (problem) throw new OAuthError('invalid_grant', problem);
  // Rotation: this token is spent; the response carries its successor.
  record.used = true;
  return issueUserTokens(ctx, { ...record, clientId: client.id, nonce: null });
}

/** An organization client's token, for the customer's calls to the app's API (not for Scalekit's). */
async function organizationClientToken(ctx: Context, client: OrganizationClientRecord) {
  const { claims, expiresIn } = organizationClientClaims(client, ctx.issuer(), newId('tkn'), now());
  const token = await sign(ctx.keys, claims);
  ctx.dir.changed(); // the secret's last_used_time
  // "Same scopes that were granted during client registration", space-separated (same file).
  return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: client.scopes.join(' ') };
}

async function clientCredentialsGrant(ctx: Context, client: SeedClient) {
  const iat = now();
  const ttl = ctx.state.environment.m2mTokenTtlSeconds;
  const token = await sign(ctx.keys, {
    iss: ctx.issuer(),
    aud: [client.id],
    sub: client.id,
    client_id: client.id,
    jti: newId('tkn'),
    iat,
    nbf: iat,
    exp: iat + ttl,
  });
  ctx.m2mTokens.set(token, (iat + ttl) * 1000);
  if (ctx.m2mTokens.size > 1000) {
    for (const [t, expiry] of ctx.m2mTokens) if (expiry <= Date.now()) ctx.m2mTokens.delete(t);
  }
  return { access_token: token, token_type: 'Bearer', expires_in: ttl };
}

export async function handleToken(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (req.method !== 'POST') throw new OAuthError('invalid_request', 'use POST', 405);
    const form = await readForm(req);
    const caller = authenticateClient(ctx, req, form);
    if (caller.kind === 'organization') {
      if (form.grant_type !== 'client_credentials') {
        throw new OAuthError('unauthorized_client', 'an organization M2M client may only use grant_type=client_credentials');
      }
      sendJson(res, 200, await organizationClientToken(ctx, caller.client), { pragma: 'no-cache' });
      return;
    }
    const client = caller.client;
    let body: Record<string, unknown>;
    switch (form.grant_type) {
      case 'authorization_code':
        body = await authorizationCodeGrant(ctx, client, form);
        break;
      case 'refresh_token':
        body = await refreshTokenGrant(ctx, client, form);
        break;
      case 'client_credentials':
        body = await clientCredentialsGrant(ctx, client);
        break;
      case undefined:
      case '':
        throw new OAuthError('invalid_request', 'grant_type is required');
      default:
        throw new OAuthError('unsupported_grant_type', `grant_type "${form.grant_type}" is not supported`);
    }
    sendJson(res, 200, body, { pragma: 'no-cache' });
  } catch (error) {
    if (error instanceof OAuthError) {
      const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Basic realm="scalekit-emulator"' } : {};
      sendJson(res, error.status, { error: error.error, error_description: error.description }, headers);
      return;
    }
    throw error;
  }
}

/**
 * Management RPCs need a client_credentials token. A missing, expired or
 * foreign token answers UNAUTHENTICATED, which is what makes the SDK fetch one
 * (lib/core.js _connectExec).
 */
export async function checkManagementToken(ctx: Context, authorization: string | undefined): Promise<boolean> {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return false;
  const token = match[1]!;
  const cached = ctx.m2mTokens.get(token);
  if (cached !== undefined) {
    if (cached > Date.now()) return true;
    ctx.m2mTokens.delete(token);
    return false;
  }
  // Not minted by this process (e.g. before a restart with --persist): verify it.
  const claims = await verify(ctx.keys, token, ctx.issuer());
  if (!claims || typeof claims.client_id !== 'string' || claims.sub !== claims.client_id) return false;
  if (!ctx.state.clients.has(claims.client_id)) return false;
  ctx.m2mTokens.set(token, (claims.exp ?? 0) * 1000);
  return true;
}
