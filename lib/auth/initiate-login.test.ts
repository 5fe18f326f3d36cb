import { ScalekitClient } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { classifyInitiateLogin, loginFromIdpClaims, MAX_FORWARDED_PARAMETERS } from '@/lib/auth/initiate-login';
import { beginLogin, type LoginRequest } from '@/lib/auth/login';
import { deriveLoginFlowKey } from '@/lib/session/keys';

const ISSUER = 'https://auth.example.test';
const APP = 'http://localhost:3000';
// The real SDK: getAuthorizationUrl makes no network call.
const scalekit = new ScalekitClient(ISSUER, 'skc_unit', 'sks_unit');

const classify = (query: Record<string, string> | string) =>
  classifyInitiateLogin(new URLSearchParams(query), { issuer: ISSUER, appUrl: APP });

async function authorizeUrlFor(request: LoginRequest): Promise<URL> {
  const flowKey = await deriveLoginFlowKey('unit-test-session-secret-0123456789abcdefgh');
  return new URL((await beginLogin(request, { scalekit, appUrl: APP, flowKey })).authorizeUrl);
}

async function authorizeUrlOf(query: Record<string, string> | string): Promise<URL> {
  const found = classify(query);
  if (found.kind !== 'third_party' && found.kind !== 'invitation_link') throw new Error(`unexpected ${found.kind}`);
  return authorizeUrlFor(found.request);
}

describe('classifyInitiateLogin: third-party-initiated login (iss only)', () => {
  it('starts an ordinary login: no prompt, no hint, back to the dashboard', async () => {
    const found = classify({ iss: ISSUER });
    expect(found).toMatchObject({ kind: 'third_party', request: { intent: 'login', sso: false } });
    const url = await authorizeUrlOf({ iss: ISSUER });
    expect(url.origin + url.pathname).toBe(`${ISSUER}/oauth/authorize`);
    expect(url.searchParams.has('prompt')).toBe(false);
    expect(url.searchParams.has('login_hint')).toBe(false);
  });

  it('accepts the issuer with a trailing slash, and passes login_hint on', async () => {
    const url = await authorizeUrlOf({ iss: `${ISSUER}/`, login_hint: 'Ada@Acme.test' });
    expect(url.searchParams.get('login_hint')).toBe('ada@acme.test');
  });

  it('turns a same-origin target_link_uri into returnTo and ignores another origin', () => {
    expect(classify({ iss: ISSUER, target_link_uri: `${APP}/orgs/org_acme/team?tab=x` })).toMatchObject({
      request: { returnTo: '/orgs/org_acme/team?tab=x' },
    });
    const other = classify({ iss: ISSUER, target_link_uri: 'https://evil.test/steal' });
    expect(other.kind === 'third_party' && other.request.returnTo).toBeFalsy();
  });

  it('refuses an issuer that is not our Scalekit environment', () => {
    expect(classify({ iss: 'https://evil.test' })).toMatchObject({ kind: 'refused', code: 'unknown_issuer' });
  });

  it('refuses Scalekit reporting an error', () => {
    expect(classify({ error: 'access_denied', error_description: 'x' })).toMatchObject({ kind: 'refused', code: 'initiate_login_failed' });
  });
});

describe('classifyInitiateLogin: invitation forwarded by Scalekit', () => {
  const invitation = { iss: ISSUER, login_hint: 'new.hire@acme.test', organization_id: 'org_acme', invitation_token: 'inv_abc.def' };

  it('is an invite whose parameters reach the authorize URL, without prompt=create', async () => {
    expect(classify(invitation)).toMatchObject({ kind: 'third_party', request: { intent: 'invite', organizationId: 'org_acme' } });
    const url = await authorizeUrlOf(invitation);
    expect(url.searchParams.get('invitation_token')).toBe('inv_abc.def');
    expect(url.searchParams.get('login_hint')).toBe('new.hire@acme.test');
    expect(url.searchParams.get('organization_id')).toBe('org_acme');
    expect(url.searchParams.has('prompt')).toBe(false);
  });

  it('never lets a forwarded parameter replace what the app sets', async () => {
    const hostile = `iss=${encodeURIComponent(ISSUER)}&login_hint=a%40acme.test&organization_id=org_acme&invitation_token=t&redirect_uri=https%3A%2F%2Fevil.test&state=forged&client_id=skc_evil&code_challenge=x&PROMPT=none`;
    const url = await authorizeUrlOf(hostile);
    expect(url.searchParams.getAll('redirect_uri')).toEqual([`${APP}/api/auth/callback`]);
    expect(url.searchParams.getAll('client_id')).toEqual(['skc_unit']);
    expect(url.searchParams.getAll('state')).toHaveLength(1);
    expect(url.searchParams.get('state')).not.toBe('forged');
    expect(url.searchParams.getAll('code_challenge')).toHaveLength(1);
    expect(url.searchParams.has('PROMPT')).toBe(false);
  });

  it.each([
    ['a name that is not a plain identifier', { 'bad name': 'x' }],
    ['an oversized value', { invitation_token: 'x'.repeat(2049) }],
    ['a repeated name', 'dup=1&dup=2'],
    ['too many parameters', Object.fromEntries(Array.from({ length: MAX_FORWARDED_PARAMETERS + 1 }, (_, i) => [`p${i}`, 'v']))],
  ])('refuses %s', (_label, extra) => {
    const query = new URLSearchParams({ iss: ISSUER });
    for (const [k, v] of new URLSearchParams(extra as Record<string, string>)) query.append(k, v);
    expect(classify(query.toString())).toMatchObject({ kind: 'refused', code: 'initiate_login_failed' });
  });

  it('validates the forwarded login_hint and organization_id like any query', () => {
    expect(classify({ ...invitation, organization_id: 'acme' })).toMatchObject({ kind: 'refused', code: 'invalid_organization_id' });
  });
});

describe("classifyInitiateLogin: the app's own invitation link (no iss)", () => {
  it('still starts an invite signup with prompt=create', async () => {
    expect(classify({ login_hint: 'x@acme.test', organization_id: 'org_acme' })).toMatchObject({ kind: 'invitation_link' });
    const url = await authorizeUrlOf({ login_hint: 'x@acme.test', organization_id: 'org_acme' });
    expect(url.searchParams.get('prompt')).toBe('create');
  });

  it('refuses a link that names nobody, and an empty call', () => {
    expect(classify({ organization_id: 'org_acme' })).toMatchObject({ kind: 'refused', code: 'invitation_link_incomplete' });
    expect(classify({})).toMatchObject({ kind: 'refused', code: 'invitation_link_incomplete' });
  });
});

describe('IdP-initiated SSO', () => {
  it('takes a JWT-shaped idp_initiated_login, and refuses junk before any verification', () => {
    expect(classify({ idp_initiated_login: 'aGVh.cGF5.c2ln' })).toEqual({ kind: 'idp_initiated', token: 'aGVh.cGF5.c2ln' });
    expect(classify({ idp_initiated_login: 'not a token' })).toMatchObject({ kind: 'refused', code: 'idp_login_invalid' });
  });

  it('turns the documented claims into an SP-initiated login through that connection', async () => {
    const read = loginFromIdpClaims({
      organization_id: 'org_globex',
      connection_id: 'conn_globex_okta',
      login_hint: 'gina@globex.test',
      relay_state: '/orgs/org_globex/team',
      exp: 1,
      iss: 'https://b2b-app.com',
    });
    expect(read).toMatchObject({ ok: true, request: { intent: 'login', organizationId: 'org_globex', returnTo: '/orgs/org_globex/team' } });
    if (!read.ok) return;
    const url = await authorizeUrlFor(read.request);
    expect(url.searchParams.get('connection_id')).toBe('conn_globex_okta');
    expect(url.searchParams.get('organization_id')).toBe('org_globex');
    expect(url.searchParams.get('login_hint')).toBe('gina@globex.test');
  });

  it.each([
    [{}, 'names no organization'],
    [{ organization_id: 42 }, 'unexpected types'],
    [{ connection_id: 'evil&x=1' }, 'not a connection ID'],
    [{ organization_id: 'acme' }, 'organization ID'],
  ])('refuses claims %j', (claims, message) => {
    expect(loginFromIdpClaims(claims)).toMatchObject({ ok: false, message: expect.stringContaining(message) });
  });
});
