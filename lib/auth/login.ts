/**
 * Starting a login: turn what the sign-in page (or an invitation link) asked for into Scalekit's
 * authorize URL plus the per-flow cookie that the callback will need.
 *
 * Pure of Next.js: the route handlers (/api/auth/login, /auth/login/initiate) parse the query
 * here and only map the result to a response, so every rule is testable without a server.
 */

import type { ScalekitClient } from '@scalekit-sdk/node';
import { z } from 'zod';
import { loginFlowCookieAttributes, loginFlowCookieName, sealLoginFlow, startLoginFlow, type LoginIntent } from '@/lib/auth/login-flow';

/** offline_access: without it Scalekit issues no refresh token, and sessions could not outlive the access token. */
export const LOGIN_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export const SOCIAL_PROVIDERS = ['google', 'github', 'microsoft'] as const;
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number];

export const CALLBACK_PATH = '/api/auth/callback';

export function callbackUrl(appUrl: string): string {
  return `${appUrl.replace(/\/+$/, '')}${CALLBACK_PATH}`;
}

// Scalekit ids are a prefix and an opaque suffix; anything else cannot name an organization.
const organizationIdSchema = z.string().regex(/^org_[A-Za-z0-9_-]{1,64}$/, 'is not an organization ID (they look like org_…)');
// Loose on purpose (the identity provider decides what an address is), but bounded and single-line.
const emailSchema = z
  .string()
  .max(320, 'is too long')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'is not an email address');

export interface LoginRequest {
  intent: LoginIntent;
  returnTo?: string;
  organizationId?: string;
  loginHint?: string;
  provider?: SocialProvider;
  /** "Sign in with SSO": route to the organization's identity provider. */
  sso: boolean;
  /** Ask the identity provider to show the sign-in form even if it has a session. */
  forceLogin?: boolean;
  /**
   * `prompt=select_account`: Scalekit's documented organization switch (with organizationId), so
   * the target organization's policies apply (lib/auth/switch-policy.ts).
   */
  selectAccount?: boolean;
  /** IdP-initiated SSO names the connection to sign in through. */
  connectionId?: string;
  /**
   * Parameters Scalekit sent to the initiate-login endpoint for the authorize call (an
   * invitation's), passed on untouched (lib/auth/initiate-login.ts decides which may travel).
   */
  forwardedParams?: ReadonlyArray<readonly [string, string]>;
}

/** Codes /login turns into its own sentences (app/login/login-error.ts); the message is for logs and tests. */
export type LoginQueryErrorCode =
  'invalid_organization_id' | 'invalid_email' | 'unknown_provider' | 'sso_hint_required' | 'invitation_link_incomplete';

export type ParsedLoginRequest =
  { ok: true; request: LoginRequest } | { ok: false; code: LoginQueryErrorCode; field: string; message: string };

function first(params: URLSearchParams, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = params.get(name);
    if (value !== null && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/**
 * Parses a login query. Unknown or malformed values are refused (with a message naming the
 * field), never passed on to the identity provider.
 */
export function parseLoginQuery(params: URLSearchParams, intent: LoginIntent = 'login'): ParsedLoginRequest {
  const organizationId = first(params, 'organization_id', 'organizationId');
  const loginHint = first(params, 'login_hint', 'loginHint', 'email');
  const provider = first(params, 'provider');
  const sso = params.get('sso') === '1' || params.get('sso') === 'true';

  if (organizationId !== undefined && !organizationIdSchema.safeParse(organizationId).success) {
    return {
      ok: false,
      code: 'invalid_organization_id',
      field: 'organization_id',
      message: 'That organization ID is not valid (they look like org_…).',
    };
  }
  if (loginHint !== undefined && !emailSchema.safeParse(loginHint).success) {
    return { ok: false, code: 'invalid_email', field: 'login_hint', message: 'That email address is not valid.' };
  }
  if (provider !== undefined && !(SOCIAL_PROVIDERS as readonly string[]).includes(provider.toLowerCase())) {
    return { ok: false, code: 'unknown_provider', field: 'provider', message: 'That sign-in provider is not offered.' };
  }
  if (sso && !organizationId && !loginHint) {
    return {
      ok: false,
      code: 'sso_hint_required',
      field: 'login_hint',
      message: 'Enter your work email or your organization ID to sign in with SSO.',
    };
  }
  if (intent === 'invite' && !loginHint) {
    return {
      ok: false,
      code: 'invitation_link_incomplete',
      field: 'login_hint',
      message: 'This invitation link is incomplete: it does not say who was invited.',
    };
  }
  return {
    ok: true,
    request: {
      intent,
      returnTo: first(params, 'returnTo', 'return_to'),
      organizationId,
      loginHint: loginHint?.toLowerCase(),
      provider: provider?.toLowerCase() as SocialProvider | undefined,
      sso,
      forceLogin: params.get('prompt') === 'login',
      selectAccount: params.get('prompt') === 'select_account',
    },
  };
}

export interface BegunLogin {
  /** Where to send the browser (Scalekit's authorize endpoint). */
  authorizeUrl: string;
  flowCookie: { name: string; value: string; attributes: ReturnType<typeof loginFlowCookieAttributes> };
}

export interface BeginLoginDeps {
  scalekit: Pick<ScalekitClient, 'getAuthorizationUrl'>;
  appUrl: string;
  flowKey: Uint8Array;
  now?: number;
}

/**
 * An invitation link of the app's own (no Scalekit parameters) asks for a signup; one that came
 * through Scalekit's hosted invitation link carries the invitation in its forwarded parameters,
 * which is what the documented flow relies on instead.
 */
function promptFor(request: LoginRequest): string | undefined {
  if (request.intent === 'invite' && !request.forwardedParams?.length) return 'create';
  if (request.forceLogin) return 'login';
  return request.selectAccount ? 'select_account' : undefined;
}

/** state + nonce + PKCE (S256), sealed into the per-flow cookie, and the authorize URL. */
export async function beginLogin(request: LoginRequest, deps: BeginLoginDeps): Promise<BegunLogin> {
  const { flow, codeChallenge } = await startLoginFlow(
    {
      returnTo: request.returnTo,
      intent: request.intent,
      organizationId: request.organizationId,
      loginHint: request.loginHint,
    },
    deps.now,
  );
  const ssoDomain = request.sso && !request.organizationId && request.loginHint ? request.loginHint.split('@')[1] : undefined;
  const authorizeUrl = deps.scalekit.getAuthorizationUrl(callbackUrl(deps.appUrl), {
    scopes: [...LOGIN_SCOPES],
    state: flow.state,
    nonce: flow.nonce,
    codeChallenge,
    codeChallengeMethod: 'S256',
    ...(request.loginHint ? { loginHint: request.loginHint } : {}),
    ...(request.organizationId ? { organizationId: request.organizationId } : {}),
    ...(ssoDomain ? { domainHint: ssoDomain } : {}),
    ...(request.provider ? { provider: request.provider } : {}),
    ...(request.connectionId ? { connectionId: request.connectionId } : {}),
    ...(promptFor(request) ? { prompt: promptFor(request) } : {}),
  });
  const url = new URL(authorizeUrl);
  for (const [name, value] of request.forwardedParams ?? []) url.searchParams.append(name, value);
  const name = loginFlowCookieName(flow.state);
  if (!name) throw new Error('generated state has an unexpected shape');
  return {
    authorizeUrl: url.toString(),
    flowCookie: { name, value: await sealLoginFlow(flow, deps.flowKey), attributes: loginFlowCookieAttributes(deps.appUrl) },
  };
}

/** A page's search params (Next.js gives arrays for repeated keys). */
export type PageSearchParams = Record<string, string | string[] | undefined>;

/**
 * The invitation a page was sent (login_hint, organization_id), checked like the invitation link
 * itself: the pages that explain an invitation never trust the URL more than the link route does.
 */
export function parseInvitationSearchParams(query: PageSearchParams): ParsedLoginRequest {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';
  return parseLoginQuery(
    new URLSearchParams({ login_hint: first(query.login_hint), organization_id: first(query.organization_id) }),
    'invite',
  );
}
