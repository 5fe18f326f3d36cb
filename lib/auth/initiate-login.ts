/**
 * The initiate-login endpoint's cases, as Scalekit documents them
 * (developer-docs src/content/docs/guides/dashboard/intitate-login-endpoint.mdx,
 * src/content/docs/sso/guides/idp-init-sso.mdx, src/content/docs/fsa/guides/user-invitations.mdx):
 *
 * - OIDC third-party-initiated login (OIDC Core §4): `iss` (our Scalekit environment) and maybe
 *   `login_hint` / `target_link_uri`: a bookmarked or expired hosted page, a finished password
 *   reset or email verification, disabled cookies. Start a normal login.
 * - Invitations: Scalekit's hosted invitation link verifies the invitee and redirects here with
 *   invitation parameters that "must be forwarded to Scalekit's authorization endpoint". Their
 *   names are not documented, so every parameter that is not one the app sets itself is passed on
 *   (bounded in number and size, and never able to replace client_id, redirect_uri, state, nonce
 *   or PKCE).
 * - IdP-initiated SSO: `idp_initiated_login`, a JWT signed with the environment's keys, read with
 *   the SDK's getIdpInitiatedLoginClaims and turned into an ordinary SP-initiated login.
 * - A link straight to the app with `login_hint` (+ `organization_id`) and no `iss`: the app's own
 *   older invitation link shape; it still starts an invite signup (`prompt=create`).
 *
 * Pure of Next.js: the route maps the result to a response.
 */

import { z } from 'zod';
import { parseLoginQuery, type LoginQueryErrorCode, type LoginRequest } from '@/lib/auth/login';

/** What the route turns into a /login banner (app/login/login-error.ts has the sentences). */
export type InitiateLoginErrorCode = LoginQueryErrorCode | 'unknown_issuer' | 'idp_login_invalid' | 'initiate_login_failed';

export type InitiateLoginCase =
  | { kind: 'third_party'; request: LoginRequest }
  | { kind: 'invitation_link'; request: LoginRequest }
  | { kind: 'idp_initiated'; token: string }
  | { kind: 'refused'; code: InitiateLoginErrorCode; message: string };

// Parameters the app sets or reads itself: a forwarded value must never replace them.
const OWN_PARAMETERS = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'login_hint',
  'loginhint',
  'email',
  'organization_id',
  'organizationid',
  'connection_id',
  'domain_hint',
  'domain',
  'provider',
  'sso',
  'iss',
  'target_link_uri',
  'returnto',
  'return_to',
  'idp_initiated_login',
  'error',
  'error_description',
]);
const FORWARD_NAME = /^[a-z][a-z0-9_]{0,63}$/;
export const MAX_FORWARDED_PARAMETERS = 8;
export const MAX_FORWARDED_VALUE_LENGTH = 2048;
// A compact JWS: three base64url parts. Bounded so a junk value is refused before any crypto.
const IDP_TOKEN = z
  .string()
  .max(8192)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** `target_link_uri` may name a page of ours; only its path travels on as returnTo. */
function returnToFromTarget(target: string | null, appUrl: string): string | undefined {
  if (!target) return undefined;
  try {
    const url = new URL(target, `${trimSlash(appUrl)}/`);
    if (url.origin !== new URL(appUrl).origin) return undefined;
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}

function refused(code: InitiateLoginErrorCode, message: string): InitiateLoginCase {
  return { kind: 'refused', code, message };
}

/** Which documented case a GET /auth/login/initiate query is, or why it is refused. */
export function classifyInitiateLogin(params: URLSearchParams, opts: { issuer: string; appUrl: string }): InitiateLoginCase {
  // Scalekit reports a failed IdP-initiated attempt here with error / error_description.
  if (params.get('error') || params.get('error_description')) {
    return refused('initiate_login_failed', 'the identity provider reported an error before the login started');
  }
  const idpToken = params.get('idp_initiated_login');
  if (idpToken !== null) {
    if (!IDP_TOKEN.safeParse(idpToken).success) return refused('idp_login_invalid', 'idp_initiated_login is not a JWT');
    return { kind: 'idp_initiated', token: idpToken };
  }

  const iss = params.get('iss');
  if (iss === null) {
    const parsed = parseLoginQuery(params, 'invite');
    if (!parsed.ok) return refused(parsed.code, parsed.message);
    return { kind: 'invitation_link', request: parsed.request };
  }
  if (trimSlash(iss) !== trimSlash(opts.issuer)) return refused('unknown_issuer', 'iss is not this application’s Scalekit environment');

  const forward: Array<[string, string]> = [];
  for (const [name, value] of params) {
    if (OWN_PARAMETERS.has(name.toLowerCase())) continue;
    if (!FORWARD_NAME.test(name) || value.length > MAX_FORWARDED_VALUE_LENGTH || forward.some(([n]) => n === name)) {
      return refused('initiate_login_failed', `parameter "${name.slice(0, 64)}" cannot be forwarded`);
    }
    forward.push([name, value]);
  }
  if (forward.length > MAX_FORWARDED_PARAMETERS) return refused('initiate_login_failed', 'too many parameters to forward');

  const own = new URLSearchParams();
  for (const name of ['login_hint', 'organization_id']) {
    const value = params.get(name);
    if (value !== null) own.set(name, value);
  }
  const returnTo = returnToFromTarget(params.get('target_link_uri'), opts.appUrl);
  if (returnTo) own.set('returnTo', returnTo);
  // An invitation names the invitee and their organization; their session lands on the dashboard.
  const invitation = own.has('login_hint') && own.has('organization_id') && forward.length > 0;
  const parsed = parseLoginQuery(own, invitation ? 'invite' : 'login');
  if (!parsed.ok) return refused(parsed.code, parsed.message);
  return { kind: 'third_party', request: forward.length ? { ...parsed.request, forwardedParams: forward } : parsed.request };
}

/** The documented claims of an `idp_initiated_login` token (idp-init-sso.mdx, "JWT token structure"). */
const idpClaimsSchema = z.object({
  organization_id: z.string().optional(),
  connection_id: z.string().optional(),
  login_hint: z.string().optional(),
  relay_state: z.string().optional(),
});

/** The SP-initiated login an IdP-initiated token stands for; its values are validated like any query. */
export function loginFromIdpClaims(claims: unknown): { ok: true; request: LoginRequest } | { ok: false; message: string } {
  const read = idpClaimsSchema.safeParse(claims);
  if (!read.success) return { ok: false, message: 'idp_initiated_login claims have unexpected types' };
  const { organization_id, connection_id, login_hint, relay_state } = read.data;
  if (!organization_id && !connection_id && !login_hint)
    return { ok: false, message: 'idp_initiated_login names no organization, connection or user' };
  if (connection_id !== undefined && !/^conn?_[A-Za-z0-9_-]{1,64}$/.test(connection_id)) {
    return { ok: false, message: 'connection_id is not a connection ID' };
  }
  const query = new URLSearchParams();
  if (organization_id) query.set('organization_id', organization_id);
  if (login_hint) query.set('login_hint', login_hint);
  // relay_state is the IdP's deep link; it may only ever become a same-origin path (safeReturnTo).
  if (relay_state) query.set('returnTo', relay_state);
  const parsed = parseLoginQuery(query, 'login');
  if (!parsed.ok) return { ok: false, message: parsed.message };
  return { ok: true, request: { ...parsed.request, ...(connection_id ? { connectionId: connection_id } : {}) } };
}
