import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrowserSession, Context, LoginFlow } from '../context.js';
import * as directory from '../directory.js';
import { EmulatorError } from '../errors.js';
import { decodeJwt, jwtVerify } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import { html, page, type RawHtml } from '../html.js';
import { parseCookies, readForm, redirect, sendHtml } from '../http-util.js';
import { newId, newSecret, sha256, sixDigitCode } from '../ids.js';
import { sign } from '../keys.js';
import { INVITATION_PARAM, initiateLoginRedirect, readInvitationToken } from './invitations.js';
import { applicationAbsoluteSeconds, applyOrganizationPolicy, sessionExpired } from './session-policy.js';
import { environmentConnection, environmentConnectionId, type EnvironmentSignInMethod } from './environment-connections.js';
import { sendSignInCode } from '../mailer.js';
import type { SsoConnection } from '../seed.js';
import { effectiveStatus, type MembershipRecord, type OrganizationRecord, type SessionRecord, type UserRecord } from '../state.js';

// /oauth/authorize, the hosted sign-in/sign-up pages, and /oidc/logout.
// Plain server-rendered forms with real <label>s: people use them in a browser
// and Playwright finds them by accessible name (names listed in the README).

export const SESSION_COOKIE = 'skemu_session';
const FLOW_TTL_MS = 30 * 60 * 1000;
const SESSION_MAX_AGE_S = 7 * 24 * 3600;
const PROMPTS = new Set(['login', 'create', 'none', 'consent', 'select_account']);
const PROVIDERS: Record<string, string> = { google: 'Google', github: 'GitHub', microsoft: 'Microsoft' };
const isProvider = (key: string): key is Exclude<EnvironmentSignInMethod, 'passwordless'> => key in PROVIDERS;

type Req = IncomingMessage;
type Res = ServerResponse;

function render(ctx: Context, res: Res, status: number, title: string, body: RawHtml, headers: Record<string, string | string[]> = {}) {
  sendHtml(res, status, page(title, body, { appName: ctx.state.environment.appName }), headers);
}

function errorPage(ctx: Context, res: Res, status: number, title: string, message: string, extra?: RawHtml) {
  render(
    ctx,
    res,
    status,
    title,
    html`<h1>${title}</h1>
      <div class="error" role="alert">${message}</div>
      ${extra ?? ''}`,
  );
}

function redirectWithError(res: Res, flow: { redirectUri: string; state: string | null }, error: string, description: string) {
  const url = new URL(flow.redirectUri);
  url.searchParams.set('error', error);
  url.searchParams.set('error_description', description);
  if (flow.state) url.searchParams.set('state', flow.state);
  redirect(res, url.toString(), {}, 302);
}

function currentBrowserSession(ctx: Context, req: Req): { id: string; session: BrowserSession; user: UserRecord } | null {
  const id = parseCookies(req.headers.cookie)[SESSION_COOKIE];
  if (!id) return null;
  const session = ctx.browserSessions.get(id);
  if (!session) return null;
  const user = ctx.state.users.get(session.userId);
  const sk = ctx.state.sessions.get(session.sessionId);
  if (!user || !sk || sk.status !== 'ACTIVE' || sessionExpired(sk)) {
    ctx.browserSessions.delete(id);
    return null;
  }
  return { id, session, user };
}

function connectionFor(ctx: Context, match: (org: OrganizationRecord, c: SsoConnection) => boolean) {
  for (const org of ctx.state.organizations.values()) {
    if (org.ssoConnection && match(org, org.ssoConnection)) return { org, connection: org.ssoConnection };
  }
  return null;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

function flowFrom(ctx: Context, source: URLSearchParams | Record<string, string>): LoginFlow | null {
  const id = source instanceof URLSearchParams ? source.get('flow') : source.flow;
  if (!id) return null;
  const flow = ctx.flows.get(id);
  if (!flow || flow.expiresAt <= Date.now()) {
    if (flow) ctx.flows.delete(id);
    return null;
  }
  return flow;
}

function flowExpired(ctx: Context, res: Res) {
  errorPage(ctx, res, 400, 'This sign-in link has expired', 'Go back to the application and start signing in again.');
}

// ---- GET /oauth/authorize ----------------------------------------------------

export function handleAuthorize(ctx: Context, req: Req, res: Res, url: URL): void {
  const q = url.searchParams;
  const clientId = q.get('client_id');
  const redirectUri = q.get('redirect_uri');
  const client = clientId ? ctx.state.clients.get(clientId) : undefined;
  // Until client and redirect_uri are trusted, errors are shown here, never redirected (open redirect).
  if (!client)
    return errorPage(ctx, res, 400, 'Invalid sign-in request', clientId ? `Unknown client_id "${clientId}".` : 'client_id is missing.');
  if (!redirectUri) return errorPage(ctx, res, 400, 'Invalid sign-in request', 'redirect_uri is missing.');
  if (!client.redirectUris.includes(redirectUri)) {
    return errorPage(ctx, res, 400, 'Invalid sign-in request', `redirect_uri "${redirectUri}" is not registered for ${client.name}.`);
  }
  const back = { redirectUri, state: q.get('state') };
  if (q.get('response_type') !== 'code') return redirectWithError(res, back, 'unsupported_response_type', 'response_type must be "code"');
  const challenge = q.get('code_challenge');
  const method = q.get('code_challenge_method');
  if (challenge && method !== 'S256') return redirectWithError(res, back, 'invalid_request', 'code_challenge_method must be S256');
  if (!challenge && method) return redirectWithError(res, back, 'invalid_request', 'code_challenge_method sent without code_challenge');
  if (challenge && !/^[A-Za-z0-9_-]{43}$/.test(challenge))
    return redirectWithError(res, back, 'invalid_request', 'code_challenge is not a base64url SHA-256 value');
  const prompt = q.get('prompt');
  if (prompt && !PROMPTS.has(prompt)) return redirectWithError(res, back, 'invalid_request', `unsupported prompt "${prompt}"`);
  const organizationId = q.get('organization_id');
  if (organizationId && !ctx.state.organizations.has(organizationId)) {
    return redirectWithError(res, back, 'invalid_request', `unknown organization_id "${organizationId}"`);
  }
  const requested = q.get('connection_id');
  // connection_id may name one of the environment's social connections: the same as its provider.
  const shared = requested ? environmentConnection(requested) : undefined;
  const provider = q.get('provider') ?? (shared?.type === 'OAUTH' ? shared.providerKey : null);
  if (provider && !PROVIDERS[provider]) return redirectWithError(res, back, 'invalid_request', `unsupported provider "${provider}"`);
  const connectionId = shared ? null : requested;
  if (connectionId && !connectionFor(ctx, (_o, c) => c.id === connectionId)) {
    return redirectWithError(res, back, 'invalid_request', `unknown connection_id "${connectionId}"`);
  }

  const invitationParam = q.get(INVITATION_PARAM);
  const invitation = invitationParam === null ? null : readInvitationToken(ctx.state, invitationParam);
  if (invitationParam !== null && !invitation) return redirectWithError(res, back, 'invalid_request', `${INVITATION_PARAM} is not valid`);
  const invitee = invitation ? ctx.state.users.get(invitation.userId) : undefined;

  const loginHint = q.get('login_hint')?.trim().toLowerCase() || invitee?.email || null;
  const flow: LoginFlow = {
    id: newSecret(18),
    clientId: client.id,
    redirectUri,
    state: back.state,
    nonce: q.get('nonce'),
    scope: q.get('scope') ?? 'openid',
    codeChallenge: challenge,
    prompt,
    loginHint,
    organizationId: organizationId ?? invitation?.organizationId ?? null,
    connectionId,
    // A forwarded invitation admits the invitee as a new user, as prompt=create does.
    mode: prompt === 'create' || invitation ? 'signup' : 'signin',
    email: null,
    otp: null,
    userId: null,
    amr: [],
    expiresAt: Date.now() + FLOW_TTL_MS,
  };
  ctx.flows.set(flow.id, flow);
  pruneFlows(ctx);

  const existing = currentBrowserSession(ctx, req);
  const reusable =
    existing &&
    prompt !== 'login' &&
    prompt !== 'create' &&
    !invitation &&
    !provider &&
    !connectionId &&
    (!loginHint || loginHint === existing.user.email);
  if (reusable) {
    flow.userId = existing.user.id;
    flow.amr = existing.session.amr;
    return afterAuthentication(ctx, req, res, flow, existing.id);
  }
  if (prompt === 'none') {
    ctx.flows.delete(flow.id);
    return redirectWithError(res, back, 'login_required', 'the user is not signed in');
  }
  if (provider) return redirect(res, idpPage(ctx, `/login/social?flow=${flow.id}&provider=${provider}`));
  const sso =
    (connectionId && connectionFor(ctx, (_o, c) => c.id === connectionId)) ||
    (organizationId && connectionFor(ctx, (o, c) => o.id === organizationId && c.requireSso)) ||
    (q.get('domain_hint') && connectionFor(ctx, (_o, c) => c.domains.includes(q.get('domain_hint')!.toLowerCase()))) ||
    (loginHint && connectionFor(ctx, (_o, c) => c.requireSso && c.domains.includes(domainOf(loginHint))));
  if (sso) return redirect(res, idpPage(ctx, `/login/sso?flow=${flow.id}&connection_id=${sso.connection.id}`));
  return redirect(res, `/${flow.mode === 'signup' ? 'signup' : 'login'}?flow=${flow.id}`);
}

/** An emulated identity provider's page: on the IdP origin when the emulator has one. */
function idpPage(ctx: Context, pathAndQuery: string): string {
  return ctx.idpUrl() === ctx.issuer() ? pathAndQuery : `${ctx.idpUrl()}${pathAndQuery}`;
}

function pruneFlows(ctx: Context) {
  if (ctx.flows.size < 500) return;
  const now = Date.now();
  for (const [id, f] of ctx.flows) if (f.expiresAt <= now) ctx.flows.delete(id);
}

// ---- email + code ---------------------------------------------------------------

function emailForm(ctx: Context, flow: LoginFlow, opts: { error?: string; email?: string } = {}): RawHtml {
  const signup = flow.mode === 'signup';
  const app = ctx.state.environment.appName;
  const socials = Object.entries(PROVIDERS).map(
    ([key, name]) =>
      html`<a class="button secondary" href="${idpPage(ctx, `/login/social?flow=${flow.id}&provider=${key}`)}">Continue with ${name}</a>`,
  );
  const ssoOrg = flow.organizationId ? ctx.state.organizations.get(flow.organizationId) : undefined;
  return html`<h1>${signup ? 'Create your account' : `Sign in to ${app}`}</h1>
    <p>${signup ? 'Use the email address your invitation was sent to.' : 'We will email you a one-time code.'}</p>
    ${opts.error ? html`<div class="error" role="alert">${opts.error}</div>` : ''}
    <form method="post" action="/${signup ? 'signup' : 'login'}">
      <input type="hidden" name="flow" value="${flow.id}" />
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required autofocus value="${opts.email ?? flow.loginHint ?? ''}" />
      <button type="submit">Continue</button>
    </form>
    <div class="divider">or</div>
    ${socials}
    ${ssoOrg?.ssoConnection ? html`<a class="button secondary" href="${idpPage(ctx, `/login/sso?flow=${flow.id}&connection_id=${ssoOrg.ssoConnection.id}`)}">Continue with ${ssoOrg.ssoConnection.displayName}</a>` : ''}
    <p class="muted">
      ${signup ? html`Already have an account? <a href="/login?flow=${flow.id}&switch=signin">Sign in</a>` : html`New here? <a href="/signup?flow=${flow.id}&switch=signup">Create an account</a>`}
    </p>`;
}

export function showEmailPage(ctx: Context, res: Res, url: URL, mode: LoginFlow['mode']): void {
  const flow = flowFrom(ctx, url.searchParams);
  if (!flow) return flowExpired(ctx, res);
  flow.mode = mode;
  render(ctx, res, 200, mode === 'signup' ? 'Create your account' : 'Sign in', emailForm(ctx, flow));
}

/** The sign-in rules for an email, before any code is sent. Returns a refusal message or null. */
function emailRefusal(ctx: Context, flow: LoginFlow, email: string): { status: number; message: string; sso?: SsoConnection } | null {
  const sso = connectionFor(ctx, (_o, c) => c.requireSso && c.domains.includes(domainOf(email)));
  if (sso) {
    return {
      status: 403,
      message: `${domainOf(email)} signs in with single sign-on (${sso.connection.displayName}); email codes are turned off for it.`,
      sso: sso.connection,
    };
  }
  const user = ctx.state.userByEmail(email);
  const memberships = user ? ctx.state.membershipsOf(user.id) : [];
  const statuses = memberships.map((m) => effectiveStatus(m));
  const usable = statuses.some((s) => s === 'ACTIVE' || s === 'PENDING_INVITE');
  if (usable) return null;
  if (statuses.includes('INVITE_EXPIRED')) {
    return { status: 403, message: 'Your invitation has expired. Ask an administrator of your organization to send a new one.' };
  }
  if (flow.mode === 'signup') {
    if (ctx.state.environment.publicSignup) return null;
    return { status: 403, message: 'Signup is by invitation only. Ask an administrator of your organization to invite you.' };
  }
  if (!user)
    return { status: 404, message: 'No account was found for this email. Check the address, or ask your administrator for an invitation.' };
  return { status: 403, message: 'This account is not an active member of any organization.' };
}

export async function submitEmail(ctx: Context, req: Req, res: Res, mode: LoginFlow['mode']): Promise<void> {
  const form = await readForm(req);
  const flow = flowFrom(ctx, form);
  if (!flow) return flowExpired(ctx, res);
  flow.mode = mode;
  const email = directory.normalizeEmail(form.email ?? '');
  const title = mode === 'signup' ? 'Create your account' : 'Sign in';
  if (!directory.isValidEmail(email)) {
    return render(ctx, res, 400, title, emailForm(ctx, flow, { error: 'Enter a valid email address.', email: form.email ?? '' }));
  }
  const refusal = emailRefusal(ctx, flow, email);
  if (refusal) {
    const body = emailForm(ctx, flow, { error: refusal.message, email });
    const ssoLink = refusal.sso
      ? html`<a
          class="button"
          href="${idpPage(ctx, `/login/sso?flow=${flow.id}&connection_id=${refusal.sso.id}&email=${encodeURIComponent(email)}`)}"
          >Continue with ${refusal.sso.displayName}</a
        >`
      : '';
    return render(ctx, res, refusal.status, title, html`${body}${ssoLink}`);
  }
  startOtp(ctx, flow, email);
  redirect(res, `/login/verify?flow=${flow.id}`);
}

function startOtp(ctx: Context, flow: LoginFlow, email: string) {
  const code = sixDigitCode();
  flow.email = email;
  flow.otp = {
    codeHash: sha256(`${flow.id}:${code}`),
    expiresAt: Date.now() + ctx.state.environment.otpTtlSeconds * 1000,
    attemptsLeft: ctx.state.environment.otpMaxAttempts,
  };
  sendSignInCode(ctx.state, email, code);
}

function codeForm(flow: LoginFlow, opts: { error?: string; notice?: string; locked?: boolean } = {}): RawHtml {
  return html`<h1>Check your email</h1>
    <p>We sent a 6-digit code to <strong>${flow.email}</strong>.</p>
    ${opts.notice ? html`<div class="notice" role="status">${opts.notice}</div>` : ''}
    ${opts.error ? html`<div class="error" role="alert">${opts.error}</div>` : ''}
    ${
      opts.locked
        ? ''
        : html`<form method="post" action="/login/verify">
            <input type="hidden" name="flow" value="${flow.id}" />
            <label for="code">Verification code</label>
            <input
              id="code"
              name="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]{6}"
              maxlength="6"
              required
              autofocus
            />
            <button type="submit">Verify</button>
          </form>`
    }
    <form method="post" action="/login/resend">
      <input type="hidden" name="flow" value="${flow.id}" />
      <button type="submit" class="secondary">Send a new code</button>
    </form>
    <p class="muted"><a href="/${flow.mode === 'signup' ? 'signup' : 'login'}?flow=${flow.id}">Use a different email</a></p>`;
}

export function showCodePage(ctx: Context, res: Res, url: URL): void {
  const flow = flowFrom(ctx, url.searchParams);
  if (!flow || !flow.email || !flow.otp) return flowExpired(ctx, res);
  render(ctx, res, 200, 'Enter your code', codeForm(flow));
}

export async function resendCode(ctx: Context, req: Req, res: Res): Promise<void> {
  const form = await readForm(req);
  const flow = flowFrom(ctx, form);
  if (!flow || !flow.email) return flowExpired(ctx, res);
  startOtp(ctx, flow, flow.email);
  render(ctx, res, 200, 'Enter your code', codeForm(flow, { notice: 'We sent you a new code. Earlier codes no longer work.' }));
}

/** The code form, locked: the flow's attempts are used up, so only a new code helps. */
function tooManyCodes(ctx: Context, res: Res, flow: LoginFlow): void {
  return render(ctx, res, 429, 'Enter your code', codeForm(flow, { error: 'Too many incorrect codes. Request a new code.', locked: true }));
}

export async function submitCode(ctx: Context, req: Req, res: Res): Promise<void> {
  const form = await readForm(req);
  const flow = flowFrom(ctx, form);
  if (!flow || !flow.email) return flowExpired(ctx, res);
  const otp = flow.otp;
  if (!otp || otp.attemptsLeft <= 0) {
    return tooManyCodes(ctx, res, flow);
  }
  if (otp.expiresAt <= Date.now()) {
    flow.otp = null;
    return render(ctx, res, 400, 'Enter your code', codeForm(flow, { error: 'This code has expired. Request a new code.', locked: true }));
  }
  const code = (form.code ?? '').replace(/\s+/g, '');
  if (sha256(`${flow.id}:${code}`) !== otp.codeHash) {
    otp.attemptsLeft--;
    if (otp.attemptsLeft <= 0) {
      flow.otp = null;
      return tooManyCodes(ctx, res, flow);
    }
    const left = otp.attemptsLeft;
    return render(
      ctx,
      res,
      400,
      'Enter your code',
      codeForm(flow, { error: `That code is not correct. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.` }),
    );
  }
  flow.otp = null;
  let user = ctx.state.userByEmail(flow.email);
  if (!user) {
    // Only reachable with public signup on: a new user gets their own organization.
    try {
      user = createPublicSignupUser(ctx, flow.email);
    } catch (error) {
      if (error instanceof EmulatorError) return errorPage(ctx, res, 403, 'Cannot create your account', error.message);
      throw error;
    }
  }
  // amr names the connection used, for email codes too (oauth/environment-connections.ts).
  signedIn(ctx, req, res, flow, user, [environmentConnectionId('passwordless')]);
}

function createPublicSignupUser(ctx: Context, email: string): UserRecord {
  const local = email.slice(0, email.indexOf('@'));
  const org = directory.createOrganization(ctx.dir, { name: `${local}'s workspace`, metadata: {} });
  const admin = ctx.state.roles.has('admin') ? ['admin'] : [];
  return directory.createUserAndMembership(ctx.dir, {
    organizationId: org.id,
    email,
    roles: admin,
    metadata: {},
    inviterEmail: null,
    sendInvitationEmail: false,
    // organization.created (from createOrganization), then user.signup.
    signup: true,
  });
}

// ---- social and enterprise SSO (emulated identity providers) -------------------

export function showSocialPage(ctx: Context, res: Res, url: URL, error?: string, status = 200): void {
  const flow = flowFrom(ctx, url.searchParams);
  if (!flow) return flowExpired(ctx, res);
  const provider = url.searchParams.get('provider') ?? '';
  const name = PROVIDERS[provider];
  if (!name)
    return errorPage(ctx, res, 400, 'Unknown provider', `"${provider}" is not an emulated social provider (google, github, microsoft).`);
  const identities = [...ctx.state.users.values()].filter((u) => u.socialIdentities.includes(provider)).slice(0, 50);
  render(
    ctx,
    res,
    status,
    `${name} (emulated)`,
    html`<h1>Sign in with ${name} (emulated)</h1>
      <p>This page stands in for ${name}. Pick an account, or type any email ${name} would vouch for.</p>
      ${error ? html`<div class="error" role="alert">${error}</div>` : ''}
      ${identities.map(
        (u) =>
          html`<form method="post" action="/login/social">
            <input type="hidden" name="flow" value="${flow.id}" /><input type="hidden" name="provider" value="${provider}" /><input
              type="hidden"
              name="email"
              value="${u.email}"
            /><button type="submit" class="secondary">Continue as ${u.email}</button>
          </form>`,
      )}
      <form method="post" action="/login/social">
        <input type="hidden" name="flow" value="${flow.id}" /><input type="hidden" name="provider" value="${provider}" />
        <label for="social-email">${name} account email</label>
        <input id="social-email" name="email" type="email" required value="${flow.loginHint ?? ''}" />
        <button type="submit">Sign in with ${name}</button>
      </form>`,
  );
}

export async function submitSocial(ctx: Context, req: Req, res: Res): Promise<void> {
  const form = await readForm(req);
  const flow = flowFrom(ctx, form);
  if (!flow) return flowExpired(ctx, res);
  const provider = form.provider ?? '';
  const retry = (message: string, status: number) =>
    showSocialPage(ctx, res, new URL(`http://x/?flow=${flow.id}&provider=${encodeURIComponent(provider)}`), message, status);
  if (!isProvider(provider)) return retry('Unknown provider.', 400);
  const email = directory.normalizeEmail(form.email ?? '');
  if (!directory.isValidEmail(email)) return retry('Enter a valid email address.', 400);
  const refusal = emailRefusal(ctx, flow, email);
  if (refusal) return retry(refusal.message, refusal.status);
  let user = ctx.state.userByEmail(email);
  if (!user) user = createPublicSignupUser(ctx, email);
  if (!user.socialIdentities.includes(provider)) user.socialIdentities.push(provider);
  backToScalekit(ctx, req, res, flow, user, [environmentConnectionId(provider)]);
}

export function showSsoPage(ctx: Context, res: Res, url: URL, error?: string, status = 200): void {
  const flow = flowFrom(ctx, url.searchParams);
  if (!flow) return flowExpired(ctx, res);
  const id = url.searchParams.get('connection_id');
  const found = connectionFor(ctx, (_o, c) => c.id === id);
  if (!found) return errorPage(ctx, res, 400, 'Unknown connection', 'This single sign-on connection does not exist.');
  const { connection, org } = found;
  const email = url.searchParams.get('email') ?? flow.loginHint ?? '';
  render(
    ctx,
    res,
    status,
    connection.displayName,
    html`<h1>${connection.displayName}</h1>
      <p>
        This page stands in for ${org.name}'s identity provider. Sign in with a work email at
        ${connection.domains.join(', ') || 'any domain'}.
      </p>
      ${error ? html`<div class="error" role="alert">${error}</div>` : ''}
      <form method="post" action="/login/sso">
        <input type="hidden" name="flow" value="${flow.id}" /><input type="hidden" name="connection_id" value="${connection.id}" />
        <label for="sso-email">Work email</label>
        <input id="sso-email" name="email" type="email" required autofocus value="${email}" />
        <button type="submit">Sign in</button>
      </form>`,
  );
}

export async function submitSso(ctx: Context, req: Req, res: Res): Promise<void> {
  const form = await readForm(req);
  const flow = flowFrom(ctx, form);
  if (!flow) return flowExpired(ctx, res);
  const found = connectionFor(ctx, (_o, c) => c.id === form.connection_id);
  if (!found) return errorPage(ctx, res, 400, 'Unknown connection', 'This single sign-on connection does not exist.');
  const { org, connection } = found;
  const email = directory.normalizeEmail(form.email ?? '');
  const retry = (message: string, status: number) =>
    showSsoPage(
      ctx,
      res,
      new URL(`http://x/?flow=${flow.id}&connection_id=${connection.id}&email=${encodeURIComponent(email)}`),
      message,
      status,
    );
  if (!directory.isValidEmail(email)) return retry('Enter a valid email address.', 400);
  if (connection.domains.length && !connection.domains.includes(domainOf(email))) {
    return retry(`${connection.displayName} only signs in ${connection.domains.join(', ')} accounts.`, 403);
  }
  let user = ctx.state.userByEmail(email);
  // Just-in-time provisioning: the IdP vouches for the person, so they join the org.
  if (!user || !ctx.state.memberships.get(org.id)?.has(user.id)) {
    try {
      user = directory.createUserAndMembership(ctx.dir, {
        organizationId: org.id,
        email,
        roles: [],
        metadata: {},
        inviterEmail: null,
        sendInvitationEmail: false,
      });
    } catch (error) {
      if (error instanceof EmulatorError) return retry(error.message, 403);
      throw error;
    }
  }
  flow.organizationId ??= org.id;
  // Scalekit's ID token names the connection used in `amr` ("amr": ["conn_123"], "Authentication
  // method reference (connection ID)", developer-docs authenticate/fsa/complete-login.mdx).
  backToScalekit(ctx, req, res, flow, user, [connection.id]);
}

/**
 * With a separate IdP origin, the IdP's answer goes back to Scalekit's origin (its OAuth/SAML
 * callback), which signs the person in there: the session cookie and the code come from the main
 * origin. On one origin there is nothing to cross.
 */
function backToScalekit(ctx: Context, req: Req, res: Res, flow: LoginFlow, user: UserRecord, amr: string[]) {
  if (ctx.idpUrl() === ctx.issuer()) return signedIn(ctx, req, res, flow, user, amr);
  const secret = newSecret();
  flow.idpAssertion = { secret, userId: user.id, amr };
  redirect(res, `${ctx.issuer()}/login/idp-callback?flow=${flow.id}&assertion=${secret}`);
}

export function completeIdpCallback(ctx: Context, req: Req, res: Res, url: URL): void {
  const flow = flowFrom(ctx, url.searchParams);
  const assertion = flow?.idpAssertion;
  const given = Buffer.from(url.searchParams.get('assertion') ?? '');
  if (!flow || !assertion || given.length !== assertion.secret.length || !timingSafeEqual(given, Buffer.from(assertion.secret))) {
    return flowExpired(ctx, res);
  }
  flow.idpAssertion = null;
  const user = ctx.state.users.get(assertion.userId);
  if (!user) return flowExpired(ctx, res);
  signedIn(ctx, req, res, flow, user, assertion.amr);
}

// ---- IdP-initiated SSO -------------------------------------------------------------

const IDP_INITIATED_TTL_S = 300;

/**
 * GET /sso/idp-initiated?connection_id&email[&relay_state]: someone picks the app in their
 * identity provider's portal. Scalekit answers with the app's initiate-login URL and an
 * `idp_initiated_login` JWT (developer-docs src/content/docs/sso/guides/idp-init-sso.mdx, "JWT
 * token structure"), signed with the environment's keys so the SDK's getIdpInitiatedLoginClaims
 * verifies it.
 */
export async function startIdpInitiated(ctx: Context, res: Res, url: URL): Promise<void> {
  const found = connectionFor(ctx, (_o, c) => c.id === url.searchParams.get('connection_id'));
  if (!found) return errorPage(ctx, res, 400, 'Unknown connection', 'This single sign-on connection does not exist.');
  const email = directory.normalizeEmail(url.searchParams.get('email') ?? '');
  if (!directory.isValidEmail(email)) return errorPage(ctx, res, 400, 'Invalid request', 'email is missing or not an email address.');
  if (found.connection.domains.length && !found.connection.domains.includes(domainOf(email))) {
    const only = found.connection.domains.join(', ');
    return errorPage(ctx, res, 403, 'Not allowed', `${found.connection.displayName} only signs in ${only} accounts.`);
  }
  const client = [...ctx.state.clients.values()].find((c) => c.initiateLoginUrl);
  if (!client?.initiateLoginUrl) return errorPage(ctx, res, 400, 'No initiate login URL', 'No client has an initiate login URL.');
  const now = Math.floor(Date.now() / 1000);
  const relayState = url.searchParams.get('relay_state');
  const token = await sign(ctx.keys, {
    organization_id: found.org.id,
    connection_id: found.connection.id,
    login_hint: email,
    ...(relayState ? { relay_state: relayState } : {}),
    iss: ctx.issuer(),
    iat: now,
    nbf: now,
    exp: now + IDP_INITIATED_TTL_S,
  });
  const target = new URL(client.initiateLoginUrl);
  target.searchParams.set('idp_initiated_login', token);
  redirect(res, target.toString(), {}, 302);
}

// ---- hosted invitation link -----------------------------------------------------------

/**
 * GET /invitations/accept?token — the link in the invitation email. Redirects to the app's
 * initiate-login URL with the invitation parameters (oauth/invitations.ts). A revoked or expired
 * invitation still goes on: the app (revoked page) and /oauth/authorize (expired) explain those.
 */
export function handleInvitationLink(ctx: Context, res: Res, url: URL): void {
  const token = url.searchParams.get('token');
  const claims = readInvitationToken(ctx.state, token);
  const target = claims && initiateLoginRedirect(ctx.state, ctx.issuer(), token!, claims);
  if (!target) {
    return errorPage(
      ctx,
      res,
      400,
      'This invitation link is not valid',
      'Open the link from the invitation email again, or ask for a new one.',
    );
  }
  redirect(res, target, {}, 302);
}

// ---- after the person is known ----------------------------------------------------

function signedIn(ctx: Context, req: Req, res: Res, flow: LoginFlow, user: UserRecord, amr: string[]) {
  // Proving control of the address (code, social or SSO) accepts pending invitations.
  directory.acceptInvitations(ctx.dir, user);
  user.lastLoginAt = new Date();
  flow.userId = user.id;
  flow.amr = amr;
  const session = createSession(ctx, req, user, amr);
  const cookieId = newSecret();
  ctx.browserSessions.set(cookieId, { userId: user.id, sessionId: session.id, amr });
  afterAuthentication(ctx, req, res, flow, cookieId);
}

function createSession(ctx: Context, req: Req, user: UserRecord, amr: string[]): SessionRecord {
  const now = new Date();
  const session: SessionRecord = {
    id: newId('ses'),
    userId: user.id,
    organizationId: '',
    authenticatedOrganizations: [],
    clientIds: [],
    amr,
    status: 'ACTIVE',
    userAgent: String(req.headers['user-agent'] ?? ''),
    ip: req.socket.remoteAddress ?? '',
    createdAt: now,
    updatedAt: now,
    lastActiveAt: now,
    // The application policy; the organization's tightens it once known (complete()).
    absoluteExpiresAt: new Date(now.getTime() + applicationAbsoluteSeconds(ctx.state) * 1000),
    logoutAt: null,
  };
  ctx.state.sessions.set(session.id, session);
  ctx.dir.changed();
  return session;
}

function cookieHeader(cookieId: string): string {
  return `${SESSION_COOKIE}=${cookieId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_AGE_S}`;
}

function afterAuthentication(ctx: Context, req: Req, res: Res, flow: LoginFlow, cookieId: string) {
  const user = ctx.state.users.get(flow.userId!)!;
  const memberships = ctx.state.membershipsOf(user.id);
  const active = memberships.filter((m) => effectiveStatus(m) === 'ACTIVE');
  const setCookie = { 'set-cookie': cookieHeader(cookieId) };
  const invited = memberships.filter((m) => effectiveStatus(m) === 'PENDING_INVITE');
  const picker = () => redirect(res, `/login/organization?flow=${flow.id}`, setCookie);
  if (flow.organizationId) {
    const wanted = memberships.find((m) => m.organizationId === flow.organizationId);
    const org = ctx.state.organizations.get(flow.organizationId);
    // A signed-in person sent to an organization that has invited them (they signed in before the
    // invitation arrived, so signing in did not accept it): Scalekit's hosted switcher lists
    // pending invitations with a Join button (authenticate/manage-users-orgs/organization-switching.mdx,
    // its first screenshot), so the choice is theirs there rather than a refusal.
    if (wanted && effectiveStatus(wanted) === 'PENDING_INVITE') return picker();
    if (!wanted || effectiveStatus(wanted) !== 'ACTIVE') {
      const why =
        wanted && effectiveStatus(wanted) === 'INVITE_EXPIRED'
          ? `Your invitation to ${org?.name ?? 'this organization'} has expired. Ask an administrator to send a new one.`
          : `${user.email} is not a member of ${org?.name ?? 'this organization'}.`;
      return render(
        ctx,
        res,
        403,
        'No access',
        html`<h1>No access</h1>
          <div class="error" role="alert">${why}</div>
          ${signOutLink()}`,
        setCookie,
      );
    }
    return complete(ctx, req, res, flow, flow.organizationId, cookieId);
  }
  // "prompt: 'select_account' … forces Scalekit to display a list of organizations the user
  // belongs to, even if they're already signed in" (organization-switching.mdx).
  if (invited.length > 0 || (flow.prompt === 'select_account' && active.length > 0)) return picker();
  if (active.length === 0) {
    return render(
      ctx,
      res,
      403,
      'No organization',
      html`<h1>No organization</h1>
        <div class="error" role="alert">
          ${user.email} is not an active member of any organization. Ask an administrator for an invitation.
        </div>
        ${signOutLink()}`,
      setCookie,
    );
  }
  if (active.length === 1) return complete(ctx, req, res, flow, active[0]!.organizationId, cookieId);
  picker();
}

const signOutLink = () => html`<a class="button secondary" href="/oidc/logout">Sign out of the emulator</a>`;

export function showOrganizationPicker(ctx: Context, res: Res, url: URL, error?: string): void {
  const flow = flowFrom(ctx, url.searchParams);
  if (!flow || !flow.userId) return flowExpired(ctx, res);
  const memberships = ctx.state.membershipsOf(flow.userId);
  const active = memberships.filter((m) => effectiveStatus(m) === 'ACTIVE');
  const invited = memberships.filter((m) => effectiveStatus(m) === 'PENDING_INVITE');
  const name = (m: MembershipRecord) => ctx.state.organizations.get(m.organizationId)?.name ?? m.organizationId;
  render(
    ctx,
    res,
    error ? 400 : 200,
    'Choose an organization',
    html`<h1>Choose an organization</h1>
      <p>Which organization do you want to open?</p>
      ${error ? html`<div class="error" role="alert">${error}</div>` : ''}
      <form method="post" action="/login/organization">
        <input type="hidden" name="flow" value="${flow.id}" />
        ${active.map((m) => html`<button type="submit" class="secondary" name="organization_id" value="${m.organizationId}">${name(m)}</button>`)}
        ${
          invited.length
            ? html`<h2>Invitations</h2>
                ${invited.map(
                  (m) =>
                    html`<p>${name(m)} has invited you.</p>
                      <button type="submit" name="organization_id" value="${m.organizationId}">Join ${name(m)}</button>`,
                )}`
            : ''
        }
      </form>`,
  );
}

export async function submitOrganization(ctx: Context, req: Req, res: Res): Promise<void> {
  const form = await readForm(req);
  const flow = flowFrom(ctx, form);
  if (!flow || !flow.userId) return flowExpired(ctx, res);
  const m = ctx.state.memberships.get(form.organization_id ?? '')?.get(flow.userId);
  const status = m && effectiveStatus(m);
  if (!m || (status !== 'ACTIVE' && status !== 'PENDING_INVITE')) {
    return showOrganizationPicker(ctx, res, new URL(`http://x/?flow=${flow.id}`), 'Choose one of your organizations.');
  }
  const cookieId = parseCookies(req.headers.cookie)[SESSION_COOKIE];
  const browser = cookieId ? ctx.browserSessions.get(cookieId) : undefined;
  if (!cookieId || !browser || browser.userId !== flow.userId) return flowExpired(ctx, res);
  // Join: the person is signed in with this address, which is what accepting needs.
  if (status === 'PENDING_INVITE') directory.acceptInvitations(ctx.dir, ctx.state.users.get(flow.userId)!, m.organizationId);
  complete(ctx, req, res, flow, m.organizationId, cookieId);
}

/** Issue the authorization code and send the browser back to the app. */
function complete(ctx: Context, _req: Req, res: Res, flow: LoginFlow, organizationId: string, cookieId: string) {
  const browser = ctx.browserSessions.get(cookieId)!;
  const session = ctx.state.sessions.get(browser.sessionId)!;
  session.organizationId = organizationId;
  applyOrganizationPolicy(ctx.state, session, organizationId);
  if (!session.authenticatedOrganizations.includes(organizationId)) session.authenticatedOrganizations.push(organizationId);
  if (!session.clientIds.includes(flow.clientId)) session.clientIds.push(flow.clientId);
  session.updatedAt = new Date();
  const code = newSecret();
  ctx.state.authCodes.set(sha256(code), {
    clientId: flow.clientId,
    redirectUri: flow.redirectUri,
    userId: flow.userId!,
    organizationId,
    sessionId: session.id,
    scope: flow.scope,
    amr: flow.amr,
    nonce: flow.nonce,
    codeChallenge: flow.codeChallenge,
    expiresAt: new Date(Date.now() + ctx.state.environment.authCodeTtlSeconds * 1000),
    used: false,
  });
  ctx.flows.delete(flow.id);
  ctx.dir.changed();
  const url = new URL(flow.redirectUri);
  url.searchParams.set('code', code);
  if (flow.state) url.searchParams.set('state', flow.state);
  redirect(res, url.toString(), { 'set-cookie': cookieHeader(cookieId) }, 302);
}

// ---- GET /oidc/logout ----------------------------------------------------------------

export async function handleLogout(ctx: Context, req: Req, res: Res, url: URL): Promise<void> {
  const q = url.searchParams;
  const target = q.get('post_logout_redirect_uri');
  const hint = q.get('id_token_hint');
  let clientId = q.get('client_id');
  let hintedSession: string | null = null;
  if (hint) {
    try {
      // Expired ID tokens are normal here (that is often why people log out); the signature must hold.
      await jwtVerify(hint, ctx.keys.publicKey, { issuer: ctx.issuer(), clockTolerance: 10 * 365 * 24 * 3600 });
      const claims = decodeJwt(hint);
      clientId = typeof claims.azp === 'string' ? claims.azp : Array.isArray(claims.aud) ? String(claims.aud[0]) : clientId;
      hintedSession = typeof claims.sid === 'string' ? claims.sid : null;
    } catch {
      return errorPage(ctx, res, 400, 'Invalid sign-out request', 'id_token_hint is not a token this emulator issued.');
    }
  }
  if (target) {
    const clients = clientId ? [ctx.state.clients.get(clientId)].filter(Boolean) : [...ctx.state.clients.values()];
    if (!clients.some((c) => c!.postLogoutRedirectUris.includes(target))) {
      return errorPage(ctx, res, 400, 'Invalid sign-out request', `post_logout_redirect_uri "${target}" is not registered.`);
    }
  }
  const now = new Date();
  const end = (sessionId: string) => {
    const s = ctx.state.sessions.get(sessionId);
    if (s) directory.endSession(ctx.dir, s, 'LOGGED_OUT', now);
  };
  const cookieId = parseCookies(req.headers.cookie)[SESSION_COOKIE];
  if (cookieId) {
    const browser = ctx.browserSessions.get(cookieId);
    if (browser) end(browser.sessionId);
    ctx.browserSessions.delete(cookieId);
  }
  if (hintedSession) end(hintedSession);
  ctx.dir.changed();
  const clear = { 'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` };
  if (target) {
    const back = new URL(target);
    const state = q.get('state');
    if (state) back.searchParams.set('state', state);
    return redirect(res, back.toString(), clear, 302);
  }
  render(
    ctx,
    res,
    200,
    'Signed out',
    html`<h1>You are signed out</h1>
      <p>You can close this tab.</p>`,
    clear,
  );
}
