import { ScalekitClient } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { beginLogin, parseLoginQuery } from '@/lib/auth/login';
import { openLoginFlow } from '@/lib/auth/login-flow';
import { deriveLoginFlowKey } from '@/lib/session/keys';

// The real SDK: getAuthorizationUrl makes no network call.
const scalekit = new ScalekitClient('https://auth.example.test', 'skc_unit', 'sks_unit');
const APP = 'http://localhost:3000';

async function begin(query: Record<string, string>, intent: 'login' | 'invite' = 'login') {
  const parsed = parseLoginQuery(new URLSearchParams(query), intent);
  if (!parsed.ok) throw new Error(parsed.message);
  const flowKey = await deriveLoginFlowKey('unit-test-session-secret-0123456789abcdefgh');
  const begun = await beginLogin(parsed.request, { scalekit, appUrl: APP, flowKey });
  return { begun, url: new URL(begun.authorizeUrl), flowKey };
}

describe('parseLoginQuery', () => {
  it.each([
    [{ organization_id: 'acme' }, 'organization_id'],
    [{ organization_id: 'org_a b' }, 'organization_id'],
    [{ login_hint: 'not-an-email' }, 'login_hint'],
    [{ login_hint: `${'a'.repeat(320)}@x.io` }, 'login_hint'],
    [{ provider: 'facebook' }, 'provider'],
    [{ sso: '1' }, 'login_hint'],
  ])('refuses %j naming the field %s', (query, field) => {
    expect(parseLoginQuery(new URLSearchParams(query))).toMatchObject({ ok: false, field });
  });

  it('an invitation link must say who was invited', () => {
    expect(parseLoginQuery(new URLSearchParams({ organization_id: 'org_acme' }), 'invite')).toMatchObject({
      ok: false,
      field: 'login_hint',
    });
  });
});

describe('beginLogin', () => {
  it('asks for code + PKCE S256 + state + nonce + offline_access and seals the flow in a per-state cookie', async () => {
    const { begun, url, flowKey } = await begin({ returnTo: '/account?x=1', login_hint: 'Ada@Acme.test' });
    expect(url.origin + url.pathname).toBe('https://auth.example.test/oauth/authorize');
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('redirect_uri')).toBe(`${APP}/api/auth/callback`);
    expect(q.get('scope')).toBe('openid profile email offline_access');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('login_hint')).toBe('ada@acme.test');
    expect(q.get('prompt')).toBeNull();
    const state = q.get('state')!;
    expect(begun.flowCookie.name).toBe(`tg_flow_${state.slice(0, 12)}`);
    expect(begun.flowCookie.attributes).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/api/auth', maxAge: 600 });
    const opened = await openLoginFlow(begun.flowCookie.value, state, flowKey);
    expect(opened.ok && opened.flow).toMatchObject({ returnTo: '/account?x=1', intent: 'login', nonce: q.get('nonce') });
    // The verifier never leaves the server side; only its challenge does.
    expect(begun.authorizeUrl).not.toContain(opened.ok ? opened.flow.codeVerifier : 'x');
  });

  it('drops a hostile returnTo before it is sealed', async () => {
    const { begun, url, flowKey } = await begin({ returnTo: '//evil.example/x' });
    const opened = await openLoginFlow(begun.flowCookie.value, url.searchParams.get('state'), flowKey);
    expect(opened.ok && opened.flow.returnTo).toBe('/dashboard');
  });

  it('routes SSO by work-email domain or by organization, and social by provider', async () => {
    expect((await begin({ sso: '1', login_hint: 'gina@globex.test' })).url.searchParams.get('domain_hint')).toBe('globex.test');
    const byOrg = (await begin({ sso: '1', organization_id: 'org_globex' })).url.searchParams;
    expect(byOrg.get('organization_id')).toBe('org_globex');
    expect(byOrg.get('domain_hint')).toBeNull();
    expect((await begin({ provider: 'GitHub' })).url.searchParams.get('provider')).toBe('github');
  });

  it('an invitation starts a signup (prompt=create) for the invited address and organization', async () => {
    const q = (await begin({ login_hint: 'new.hire@acme.test', organization_id: 'org_acme' }, 'invite')).url.searchParams;
    expect(q.get('prompt')).toBe('create');
    expect(q.get('login_hint')).toBe('new.hire@acme.test');
    expect(q.get('organization_id')).toBe('org_acme');
  });

  it('an organization switch asks Scalekit with prompt=select_account and the organization; other prompts are not passed on', async () => {
    const q = (await begin({ organization_id: 'org_globex', prompt: 'select_account', login_hint: 'riley@consultant.test' })).url
      .searchParams;
    expect(q.get('prompt')).toBe('select_account');
    expect(q.get('organization_id')).toBe('org_globex');
    expect((await begin({ prompt: 'consent' })).url.searchParams.get('prompt')).toBeNull();
  });

  it('two logins in a row get independent state, nonce and cookies', async () => {
    const a = await begin({});
    const b = await begin({});
    expect(a.url.searchParams.get('state')).not.toBe(b.url.searchParams.get('state'));
    expect(a.url.searchParams.get('nonce')).not.toBe(b.url.searchParams.get('nonce'));
    expect(a.begun.flowCookie.name).not.toBe(b.begun.flowCookie.name);
  });
});
