import { describe, expect, it } from 'vitest';
import {
  clearedLoginFlowCookieAttributes,
  LOGIN_FLOW_MAX_AGE_SECONDS,
  loginFlowCookieAttributes,
  loginFlowCookieName,
  openAppLoginFlow,
  openLoginFlow,
  pkceChallengeS256,
  sealAppLoginFlow,
  sealLoginFlow,
  startLoginFlow,
} from '@/lib/auth/login-flow';
import { deriveLoginFlowKey, deriveRefreshTokenKey } from '@/lib/session/keys';

const SECRET = 'login-flow-test-secret-0123456789abcdef-012345';
const key = await deriveLoginFlowKey(SECRET);
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;

describe('login flow', () => {
  it('derives the PKCE S256 challenge exactly as RFC 7636 Appendix B', async () => {
    expect(await pkceChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('starts a flow with fresh 256-bit state, nonce and verifier', async () => {
    const a = await startLoginFlow(
      { returnTo: '/team?page=2', intent: 'invite', organizationId: 'org_acme', loginHint: 'ana@acme.test' },
      T0,
    );
    const b = await startLoginFlow({}, T0);
    for (const value of [a.flow.state, a.flow.nonce, a.flow.codeVerifier]) expect(value).toMatch(B64URL_32);
    expect(new Set([a.flow.state, a.flow.nonce, a.flow.codeVerifier, b.flow.state, b.flow.nonce, b.flow.codeVerifier]).size).toBe(6);
    expect(a.codeChallenge).toBe(await pkceChallengeS256(a.flow.codeVerifier));
    expect(a.flow).toMatchObject({
      returnTo: '/team?page=2',
      intent: 'invite',
      organizationId: 'org_acme',
      loginHint: 'ana@acme.test',
      createdAt: T0,
    });
    expect(b.flow).toMatchObject({ returnTo: '/dashboard', intent: 'login' });
    expect(b.flow.organizationId).toBeUndefined();
  });

  it('never stores a hostile returnTo', async () => {
    for (const returnTo of ['//evil.com', 'https://evil.com', '/\\evil.com', '/%2F%2Fevil.com']) {
      expect((await startLoginFlow({ returnTo }, T0)).flow.returnTo).toBe('/dashboard');
    }
  });

  it('names the cookie after the state so parallel logins in two tabs keep separate cookies', async () => {
    const a = await startLoginFlow({}, T0);
    const b = await startLoginFlow({}, T0);
    expect(loginFlowCookieName(a.flow.state)).toBe(`tg_flow_${a.flow.state.slice(0, 12)}`);
    expect(loginFlowCookieName(a.flow.state)).not.toBe(loginFlowCookieName(b.flow.state));
    expect(loginFlowCookieName('short')).toBeUndefined();
    expect(loginFlowCookieName(`${'a'.repeat(42)};`)).toBeUndefined();
    expect(loginFlowCookieName(undefined)).toBeUndefined();
  });

  it('seals into an opaque JWE that opens with the matching state', async () => {
    const { flow } = await startLoginFlow({ returnTo: '/orgs' }, T0);
    const sealed = await sealLoginFlow(flow, key);
    const header = JSON.parse(Buffer.from(sealed.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(sealed.split('.')).toHaveLength(5);
    for (const secret of [flow.codeVerifier, flow.nonce, flow.state]) expect(sealed).not.toContain(secret);
    expect(sealed.length).toBeLessThan(800);
    expect(await openLoginFlow(sealed, flow.state, key, T0 + 5_000)).toEqual({ ok: true, flow });
  });

  it('refuses a missing cookie, a wrong or missing state, tampering and another key', async () => {
    const { flow } = await startLoginFlow({}, T0);
    const other = await startLoginFlow({}, T0);
    const sealed = await sealLoginFlow(flow, key);
    expect(await openLoginFlow(undefined, flow.state, key, T0)).toEqual({ ok: false, reason: 'missing' });
    expect(await openLoginFlow(sealed, other.flow.state, key, T0)).toEqual({ ok: false, reason: 'state_mismatch' });
    // Same 12-character prefix (same cookie name) is not enough.
    const samePrefix = flow.state.slice(0, 12) + other.flow.state.slice(12);
    expect(await openLoginFlow(sealed, samePrefix, key, T0)).toEqual({ ok: false, reason: 'state_mismatch' });
    expect(await openLoginFlow(sealed, undefined, key, T0)).toEqual({ ok: false, reason: 'state_mismatch' });
    const parts = sealed.split('.');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    ciphertext[0] = ciphertext[0]! ^ 1;
    parts[3] = ciphertext.toString('base64url');
    expect(await openLoginFlow(parts.join('.'), flow.state, key, T0)).toEqual({ ok: false, reason: 'malformed' });
    expect(await openLoginFlow('garbage', flow.state, key, T0)).toEqual({ ok: false, reason: 'malformed' });
    expect(await openLoginFlow(sealed, flow.state, await deriveRefreshTokenKey(SECRET), T0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('expires after ten minutes and refuses flows from the future', async () => {
    const { flow } = await startLoginFlow({}, T0);
    const sealed = await sealLoginFlow(flow, key);
    expect((await openLoginFlow(sealed, flow.state, key, T0 + LOGIN_FLOW_MAX_AGE_SECONDS * 1000)).ok).toBe(true);
    expect(await openLoginFlow(sealed, flow.state, key, T0 + LOGIN_FLOW_MAX_AGE_SECONDS * 1000 + 1)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await openLoginFlow(sealed, flow.state, key, T0 - 5 * 60_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses to seal a flow that does not validate', async () => {
    const { flow } = await startLoginFlow({}, T0);
    await expect(sealLoginFlow({ ...flow, state: 'short' }, key)).rejects.toThrow();
    await expect(sealLoginFlow({ ...flow, intent: 'admin' as never }, key)).rejects.toThrow();
  });

  it('scopes the cookie to /api/auth for ten minutes, HttpOnly and SameSite=Lax', () => {
    expect(loginFlowCookieAttributes('https://app.example.com')).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/api/auth',
      maxAge: 600,
    });
    expect(loginFlowCookieAttributes('http://localhost:3000').secure).toBe(false);
    expect(clearedLoginFlowCookieAttributes('https://app.example.com')).toMatchObject({ path: '/api/auth', maxAge: 0 });
  });

  it('seals and opens with the app key', async () => {
    const { flow } = await startLoginFlow({}, Date.now());
    const sealed = await sealAppLoginFlow(flow);
    expect(await openAppLoginFlow(sealed, flow.state)).toEqual({ ok: true, flow });
    expect((await openLoginFlow(sealed, flow.state, key)).ok).toBe(false);
  });
});
