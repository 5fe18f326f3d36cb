import { createHmac, timingSafeEqual } from 'node:crypto';
import type { State } from '../state.js';

// Scalekit's invitation email links to a Scalekit-hosted page that verifies the invitee and
// then redirects to the app's initiate-login URL "with invitation parameters" that the app must
// forward to /oauth/authorize (developer-docs src/content/docs/fsa/guides/user-invitations.mdx,
// src/content/docs/guides/dashboard/intitate-login-endpoint.mdx). Scalekit does not document
// those parameters' names; the emulator sends `invitation_token`, an HMAC-signed (user,
// organization, expiry) under the client secret: stateless, and a resend (new expiry) retires
// the older links.

export const INVITATION_PATH = '/invitations/accept';
export const INVITATION_PARAM = 'invitation_token';

export interface InvitationClaims {
  userId: string;
  /**
   * The invitee's address, carried in the link: a revoked invitation can leave no user behind
   * (Scalekit deletes a user whose last membership goes), and the link must still reach the app,
   * which explains the revocation.
   */
  email: string;
  organizationId: string;
  expiresAt: number;
}

function signingClient(state: State) {
  return [...state.clients.values()].find((c) => c.initiateLoginUrl);
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function invitationToken(state: State, claims: InvitationClaims): string | null {
  const client = signingClient(state);
  if (!client) return null;
  const payload = Buffer.from(
    JSON.stringify({ u: claims.userId, m: claims.email, o: claims.organizationId, e: claims.expiresAt }),
  ).toString('base64url');
  return `${payload}.${mac(client.secret, payload)}`;
}

/** The claims of a token this emulator signed, or null. Status (pending, revoked, expired) is the caller's. */
export function readInvitationToken(state: State, token: string | null): InvitationClaims | null {
  const client = signingClient(state);
  if (!client || !token || token.length > 1024) return null;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(client.secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const { u, m, o, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      u: unknown;
      m: unknown;
      o: unknown;
      e: unknown;
    };
    if (typeof u !== 'string' || typeof m !== 'string' || typeof o !== 'string' || typeof e !== 'number') return null;
    return { userId: u, email: m, organizationId: o, expiresAt: e };
  } catch {
    return null;
  }
}

/** Where the hosted invitation page sends the browser: the app's initiate-login URL, OIDC third-party style. */
export function initiateLoginRedirect(state: State, issuer: string, token: string, claims: InvitationClaims): string | null {
  const client = signingClient(state);
  if (!client?.initiateLoginUrl) return null;
  const url = new URL(client.initiateLoginUrl);
  url.searchParams.set('iss', issuer);
  url.searchParams.set('login_hint', claims.email);
  url.searchParams.set('organization_id', claims.organizationId);
  url.searchParams.set(INVITATION_PARAM, token);
  return url.toString();
}
