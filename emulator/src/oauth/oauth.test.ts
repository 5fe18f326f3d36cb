import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { TokenResponse } from '@scalekit-sdk/node/lib/types/auth.js';
import { MembershipStatus } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/commons/commons_pb.js';
import { ConnectionProvider, ConnectionType } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connections/connections_pb.js';
import {
  authorizeUrl,
  callbackParams,
  CLIENT_ID,
  CLIENT_SECRET,
  emailsTo,
  flowOf,
  PageClient,
  pkcePair,
  postJson,
  REDIRECT_URI,
  sdk,
  signInWithCode,
  useEmulator,
} from '../testing.js';

const emu = useEmulator();

/** A /oauth/token answer: the token response on success, an OAuth error (RFC 6749 §5.2) otherwise. */
type TokenBody = Partial<TokenResponse> & { error?: string; error_description?: string };

async function token(form: Record<string, string>) {
  const res = await fetch(`${emu.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...form }).toString(),
  });
  return { status: res.status, body: (await res.json()) as TokenBody };
}

async function codeFor(email: string, params: Record<string, string | undefined> = {}) {
  const result = await signInWithCode(emu, email, params);
  expect(result.status, result.html).toBe(302);
  const query = callbackParams(result.location);
  return { code: query.get('code')!, state: query.get('state'), pages: result.pages, location: result.location! };
}

describe('authorize request validation', () => {
  it('shows an error page (no redirect) for an unknown client or unregistered redirect_uri', async () => {
    const pages = new PageClient(emu.url);
    const badClient = await pages.request(
      '/oauth/authorize?response_type=code&client_id=nope&redirect_uri=' + encodeURIComponent(REDIRECT_URI),
    );
    expect(badClient.status).toBe(400);
    expect(badClient.location).toBeNull();
    expect(badClient.html).toContain('Unknown client_id');
    const badRedirect = await pages.request(authorizeUrl(emu, { redirectUri: 'https://evil.test/cb' }));
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.html).toContain('is not registered');
  });

  it('redirects RFC 6749 errors back with state once the redirect_uri is trusted', async () => {
    const pages = new PageClient(emu.url);
    const plain = await pages.request(authorizeUrl(emu, { code_challenge: 'x'.repeat(43), code_challenge_method: 'plain', state: 's1' }));
    expect(plain.status).toBe(302);
    const q = callbackParams(plain.location);
    expect([q.get('error'), q.get('state')]).toEqual(['invalid_request', 's1']);
    const none = await pages.request(authorizeUrl(emu, { prompt: 'none' }));
    expect(callbackParams(none.location).get('error')).toBe('login_required');
  });
});

describe('email code sign-in and tokens', () => {
  it('signs in with a mailed code and issues verifiable tokens with the documented claims', async () => {
    const { verifier, challenge } = pkcePair();
    const { code, state } = await codeFor('ada@acme.test', {
      nonce: 'n-42',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
    });
    expect(state).toBe('xyz');
    const [mail] = await emailsTo(emu, 'ada@acme.test');
    expect(mail!.subject).toBe('Your Teamgate sign-in code');
    expect(mail!.code).toMatch(/^\d{6}$/);

    const client = sdk(emu);
    const result = await client.authenticateWithCode(code, REDIRECT_URI, { codeVerifier: verifier });
    expect(result.user.email).toBe('ada@acme.test');
    expect(result.refreshToken).toBeTruthy();

    const jwks = createRemoteJWKSet(new URL(`${emu.url}/keys`));
    const id = await jwtVerify(result.idToken, jwks, { issuer: emu.url, audience: CLIENT_ID });
    expect(id.protectedHeader.kid).toBeTruthy();
    expect(id.payload).toMatchObject({
      sub: 'usr_ada',
      oid: 'org_acme',
      email: 'ada@acme.test',
      email_verified: true,
      name: 'Ada Admin',
      given_name: 'Ada',
      family_name: 'Admin',
      nonce: 'n-42',
      amr: [expect.stringMatching(/^conn_\d{17}$/)],
      azp: CLIENT_ID,
      aud: [CLIENT_ID],
    });
    const digest = createHash('sha256').update(result.accessToken).digest();
    expect(id.payload.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
    // c_hash and client_id are "Always" in Scalekit's ID token claim table; xoid "if mapped"
    // (developer-docs authenticate/fsa/complete-login.mdx).
    const codeDigest = createHash('sha256').update(code).digest();
    expect(id.payload).toMatchObject({
      c_hash: codeDigest.subarray(0, 16).toString('base64url'),
      client_id: CLIENT_ID,
      xoid: 'crm-acme-001',
    });
    const access = await jwtVerify(result.accessToken, jwks, { issuer: emu.url, audience: CLIENT_ID });
    expect(access.payload).toMatchObject({
      sub: 'usr_ada',
      oid: 'org_acme',
      roles: ['admin'],
      client_id: CLIENT_ID,
      xoid: 'crm-acme-001',
      scope: expect.stringContaining('openid'),
    });
    // Ada has no external id in the seed: no xuid rather than an empty one.
    expect(access.payload).not.toHaveProperty('xuid');
    expect(access.payload.permissions).toContain('members:invite');
    expect(access.payload.sid).toBe(id.payload.sid);
    expect(access.payload.jti && access.payload.nbf && access.payload.exp).toBeTruthy();
    expect(await client.validateAccessToken(result.accessToken, { issuer: emu.url, audience: [CLIENT_ID] })).toBe(true);
    // The session is visible to the management API.
    const sessions = await client.session.getUserSessions('usr_ada');
    expect(sessions.sessions.map((s) => [s.sessionId, s.status])).toEqual([[id.payload.sid, 'ACTIVE']]);
  });

  it('enforces PKCE, redirect_uri match and single use of the code', async () => {
    const { verifier, challenge } = pkcePair();
    const first = await codeFor('ada@acme.test', { code_challenge: challenge, code_challenge_method: 'S256' });
    expect(
      (await token({ grant_type: 'authorization_code', code: first.code, redirect_uri: REDIRECT_URI, code_verifier: 'wrong'.repeat(10) }))
        .body.error,
    ).toBe('invalid_grant');
    // A failed exchange spends the code too.
    expect(
      (await token({ grant_type: 'authorization_code', code: first.code, redirect_uri: REDIRECT_URI, code_verifier: verifier })).body.error,
    ).toBe('invalid_grant');

    const second = await codeFor('ada@acme.test', { code_challenge: challenge, code_challenge_method: 'S256' });
    const missing = await token({ grant_type: 'authorization_code', code: second.code, redirect_uri: REDIRECT_URI });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const third = await codeFor('ada@acme.test');
    const mismatch = await token({
      grant_type: 'authorization_code',
      code: third.code,
      redirect_uri: 'http://127.0.0.1:3000/api/auth/callback',
    });
    expect(mismatch.body.error_description).toContain('redirect_uri');

    const fourth = await codeFor('ada@acme.test');
    const ok = await token({ grant_type: 'authorization_code', code: fourth.code, redirect_uri: REDIRECT_URI });
    expect(ok.status).toBe(200);
    const replay = await token({ grant_type: 'authorization_code', code: fourth.code, redirect_uri: REDIRECT_URI });
    expect(replay).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: expect.stringContaining('already been used') },
    });
  });

  it('expires authorization codes', async () => {
    await postJson(`${emu.url}/_emulator/settings`, { authCodeTtlSeconds: 1 });
    const { code } = await codeFor('ada@acme.test');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI })).body.error_description).toContain(
      'expired',
    );
  });

  it('rotates refresh tokens, rejects reuse, and stops refreshing when the membership is gone', async () => {
    const client = sdk(emu);
    const { code } = await codeFor('max@acme.test');
    const tokens = await client.authenticateWithCode(code, REDIRECT_URI);
    const rotated = await client.refreshAccessToken(tokens.refreshToken);
    expect(rotated.refreshToken).not.toBe(tokens.refreshToken);
    expect(decodeJwt(rotated.accessToken).sub).toBe('usr_max');
    // The SDK keeps only the status of a failed refresh (lib/scalekit.js); the body says why.
    await expect(client.refreshAccessToken(tokens.refreshToken)).rejects.toThrow(/status code 400/);
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
    expect(reuse.body).toMatchObject({ error: 'invalid_grant', error_description: 'the refresh token has already been used' });
    // Role changes show up in the next access token.
    await client.user.updateMembership('org_acme', 'usr_max', { roles: ['admin'] });
    const promoted = await token({ grant_type: 'refresh_token', refresh_token: rotated.refreshToken });
    expect(decodeJwt(promoted.body.access_token!).roles).toEqual(['admin']);
    await client.user.deleteMembership('org_acme', 'usr_max');
    const removed = await token({ grant_type: 'refresh_token', refresh_token: promoted.body.refresh_token! });
    expect(removed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('stops refreshing once the session is revoked through the SDK', async () => {
    const client = sdk(emu);
    const { code } = await codeFor('ada@acme.test');
    const tokens = await client.authenticateWithCode(code, REDIRECT_URI);
    const sid = decodeJwt(tokens.accessToken).sid as string;
    const revoked = await client.session.revokeSession(sid);
    expect(revoked.revokedSession?.status).toBe('REVOKED');
    const res = await token({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
    expect(res.body).toMatchObject({ error: 'invalid_grant', error_description: 'the session has ended' });
    const all = await client.session.revokeAllUserSessions('usr_ada');
    expect(all.totalRevoked).toBe(0);
  });

  it('issues no refresh token without offline_access and refuses unknown grants', async () => {
    const { code } = await codeFor('ada@acme.test', { scope: 'openid profile email' });
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toBeUndefined();
    expect((await token({ grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    expect((await token({ grant_type: 'client_credentials', client_secret: 'nope' })).status).toBe(401);
  });

  it('limits wrong codes and explains them', async () => {
    await postJson(`${emu.url}/_emulator/settings`, { otpMaxAttempts: 2 });
    const pages = new PageClient(emu.url);
    const start = await pages.request(authorizeUrl(emu));
    const flow = flowOf(start.location);
    await pages.request('/login', { form: { flow, email: 'ada@acme.test' } });
    const [mail] = await emailsTo(emu, 'ada@acme.test');
    const wrong = mail!.code === '000000' ? '111111' : '000000';
    const once = await pages.request('/login/verify', { form: { flow, code: wrong } });
    expect(once.status).toBe(400);
    expect(once.html).toContain('1 attempt left');
    const twice = await pages.request('/login/verify', { form: { flow, code: wrong } });
    expect(twice.status).toBe(429);
    const right = await pages.request('/login/verify', { form: { flow, code: mail!.code! } });
    expect(right.status).toBe(429);
    expect(right.html).toContain('Request a new code');
  });

  it('explains an unknown email, and offers the organization picker to multi-org users', async () => {
    const unknown = await signInWithCode(emu, 'nobody@acme.test');
    expect(unknown.step).toBe('email');
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('No account was found');
    const riley = await signInWithCode(emu, 'riley@consultant.test');
    expect(riley.status).toBe(303);
    expect(riley.location).toMatch(/^\/login\/organization\?flow=/);
    const picker = await riley.pages.request(riley.location!);
    expect(picker.html).toContain('>Acme</button>');
    expect(picker.html).toContain('>Globex</button>');
    const chosen = await riley.pages.request('/login/organization', {
      form: { flow: flowOf(riley.location), organization_id: 'org_globex' },
    });
    const tokens = await sdk(emu).authenticateWithCode(callbackParams(chosen.location).get('code')!, REDIRECT_URI);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ oid: 'org_globex', roles: ['admin'] });
  });

  it('lists an invitation that arrived after sign-in in the switcher with Join, which accepts that one alone', async () => {
    const ada = await codeFor('ada@acme.test');
    await sdk(emu).user.createMembership('org_globex', 'usr_ada', { sendInvitationEmail: true });
    const initech = (await sdk(emu).organization.createOrganization('Initech')).organization!.id;
    await sdk(emu).user.createMembership(initech, 'usr_ada', { sendInvitationEmail: true });
    // Scalekit's documented switch (prompt=select_account + the organization) into the inviting one.
    const sent = await ada.pages.request(authorizeUrl(emu, { prompt: 'select_account', organization_id: 'org_globex' }));
    expect(sent.location).toMatch(/^\/login\/organization\?flow=/);
    const picker = await ada.pages.request(sent.location!);
    expect(picker.status).toBe(200);
    expect(picker.html).toContain('>Acme</button>');
    expect(picker.html).toContain('>Join Globex</button>');
    expect(picker.html).toContain('>Join Initech</button>');

    const joined = await ada.pages.request('/login/organization', { form: { flow: flowOf(sent.location), organization_id: 'org_globex' } });
    const tokens = await sdk(emu).authenticateWithCode(callbackParams(joined.location).get('code')!, REDIRECT_URI);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ sub: 'usr_ada', oid: 'org_globex' });
    const statuses = Object.fromEntries(
      (await sdk(emu).user.getUser('usr_ada')).user!.memberships.map((m) => [m.organizationId, m.membershipStatus]),
    );
    // Initech's invitation is still waiting.
    expect(statuses).toMatchObject({
      org_acme: MembershipStatus.ACTIVE,
      org_globex: MembershipStatus.ACTIVE,
      [initech]: MembershipStatus.PENDING_INVITE,
    });

    // prompt=select_account alone shows the list even to a one-organization person (documented).
    const listed = await ada.pages.request(authorizeUrl(emu, { prompt: 'select_account' }));
    expect(listed.location).toMatch(/^\/login\/organization\?flow=/);
  });

  it('reuses the browser session on a second authorize; prompt=login forces the login; logout ends it', async () => {
    const first = await codeFor('ada@acme.test');
    const again = await first.pages.request(authorizeUrl(emu, { state: 'second' }));
    expect(again.status).toBe(302);
    expect(callbackParams(again.location).get('code')).toBeTruthy();
    const forced = await first.pages.request(authorizeUrl(emu, { prompt: 'login' }));
    expect(forced.location).toMatch(/^\/login\?/);

    const tokens = await sdk(emu).authenticateWithCode(callbackParams(again.location).get('code')!, REDIRECT_URI);
    const logoutUrl = sdk(emu).getLogoutUrl({
      idTokenHint: tokens.idToken,
      postLogoutRedirectUri: 'http://localhost:3000/signed-out',
      state: 'bye',
    });
    const out = await first.pages.request(logoutUrl.slice(emu.url.length));
    expect(out.status).toBe(302);
    expect(out.location).toBe('http://localhost:3000/signed-out?state=bye');
    const after = await first.pages.request(authorizeUrl(emu));
    expect(after.location).toMatch(/^\/login\?/);
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken })).body.error).toBe('invalid_grant');
    const evil = await first.pages.request('/oidc/logout?post_logout_redirect_uri=' + encodeURIComponent('https://evil.test/'));
    expect(evil.status).toBe(400);
  });
});

describe('signup, social and SSO', () => {
  it('activates a pending invitation on signup (prompt=create) and refuses uninvited emails', async () => {
    const { code } = await codeFor('new.hire@acme.test', {
      prompt: 'create',
      organization_id: 'org_acme',
      login_hint: 'new.hire@acme.test',
    });
    const tokens = await sdk(emu).authenticateWithCode(code, REDIRECT_URI);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ sub: 'usr_newhire', oid: 'org_acme', roles: ['member'] });
    const user = await sdk(emu).user.getUser('usr_newhire');
    expect(user.user?.memberships[0]?.membershipStatus).toBe(1);
    expect(user.user?.memberships[0]?.acceptedAt).toBeDefined();

    const uninvited = await signInWithCode(emu, 'stranger@else.test', { prompt: 'create' });
    expect(uninvited.status).toBe(403);
    expect(uninvited.html).toContain('Signup is by invitation only');
    expect(await emailsTo(emu, 'stranger@else.test')).toEqual([]);

    await postJson(`${emu.url}/_emulator/settings`, { publicSignup: true });
    const open = await codeFor('stranger@else.test', { prompt: 'create' });
    const t = await sdk(emu).authenticateWithCode(open.code, REDIRECT_URI);
    expect(decodeJwt(t.accessToken).roles).toEqual(['admin']);
  });

  it('signs in a seeded social identity with amr the id of the environment GitHub connection', async () => {
    const pages = new PageClient(emu.url);
    const start = await pages.request(authorizeUrl(emu, { provider: 'github' }));
    expect(start.location).toMatch(/^\/login\/social\?/);
    const page = await pages.request(start.location!);
    expect(page.html).toContain('Sign in with GitHub (emulated)');
    expect(page.html).toContain('Continue as ada@acme.test');
    const done = await pages.request('/login/social', {
      form: { flow: flowOf(start.location), provider: 'github', email: 'ada@acme.test' },
    });
    const tokens = await sdk(emu).authenticateWithCode(callbackParams(done.location).get('code')!, REDIRECT_URI);
    const [amr, ...more] = decodeJwt(tokens.idToken).amr as string[];
    expect(more).toEqual([]);
    // What the app does with it: ask ConnectionService in the signed-in organization.
    const { connection } = await sdk(emu).connection.getConnection('org_acme', amr!);
    expect(connection).toMatchObject({ id: amr, type: ConnectionType.OAUTH, provider: ConnectionProvider.GITHUB, providerKey: 'github' });
    expect(connection?.organizationId).toBeUndefined();
  });

  it('routes an SSO-required domain to the emulated IdP, refusing the email code', async () => {
    const refused = await signInWithCode(emu, 'gina@globex.test');
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('single sign-on');
    expect(await emailsTo(emu, 'gina@globex.test')).toEqual([]);

    const pages = new PageClient(emu.url);
    const start = await pages.request(authorizeUrl(emu, { organization_id: 'org_globex' }));
    expect(start.location).toMatch(/^\/login\/sso\?.*connection_id=conn_globex_okta/);
    expect((await pages.request(start.location!)).html).toContain('Okta (emulated)');
    const wrongDomain = await pages.request('/login/sso', {
      form: { flow: flowOf(start.location), connection_id: 'conn_globex_okta', email: 'ada@acme.test' },
    });
    expect(wrongDomain.status).toBe(403);
    const done = await pages.request('/login/sso', {
      form: { flow: flowOf(start.location), connection_id: 'conn_globex_okta', email: 'gina@globex.test' },
    });
    const tokens = await sdk(emu).authenticateWithCode(callbackParams(done.location).get('code')!, REDIRECT_URI);
    expect(decodeJwt(tokens.idToken)).toMatchObject({ sub: 'usr_gina', oid: 'org_globex', amr: ['conn_globex_okta'] });

    // Just-in-time provisioning for a new person at the SSO domain.
    const jit = new PageClient(emu.url);
    const s2 = await jit.request(authorizeUrl(emu, { domain_hint: 'globex.test' }));
    const d2 = await jit.request('/login/sso', {
      form: { flow: flowOf(s2.location), connection_id: 'conn_globex_okta', email: 'newbie@globex.test' },
    });
    expect(d2.status).toBe(302);
    const found = await sdk(emu).user.searchOrganizationUsers('org_globex', 'newbie');
    expect(found.users[0]?.memberships[0]?.membershipStatus).toBe(1);
  });
});

describe('keys and discovery', () => {
  it('serves an RS256 JWKS with a kid and OIDC discovery', async () => {
    const jwks = (await (await fetch(`${emu.url}/keys`)).json()) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]!.d).toBeUndefined();
    const discovery = (await (await fetch(`${emu.url}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(discovery.issuer).toBe(emu.url);
  });
});
