import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { completeLogin } from '@/lib/auth/callback';
import { openLoginFlow, sealLoginFlow } from '@/lib/auth/login-flow';
import { finishLogin, signInAtEmulator, startAuthStack, type BrowserLogin } from '@/lib/auth/test-support';
import { getLoginFlowKey } from '@/lib/session/keys';

const stack = await startAuthStack();
const { prisma } = stack.db;

async function sessionCount(): Promise<number> {
  return prisma.session.count();
}

/** The callback refuses this login with `code` and writes no session. */
async function expectRefused(login: BrowserLogin, code: string, options?: Parameters<typeof finishLogin>[2]): Promise<void> {
  const before = await sessionCount();
  expect(await finishLogin(stack, login, options)).toMatchObject({ ok: false, code });
  expect(await sessionCount()).toBe(before);
}

/** Re-seals the browser's flow cookie with one field changed, as an attacker who knew the key could not. */
async function withFlow(login: BrowserLogin, change: Record<string, string>) {
  const key = await getLoginFlowKey();
  const opened = await openLoginFlow(login.flowCookie, login.callback.get('state'), key);
  if (!opened.ok) throw new Error('could not open flow');
  return { ...login, flowCookie: await sealLoginFlow({ ...opened.flow, ...change }, key) };
}

describe('completeLogin (real SDK against the emulator, real PostgreSQL)', () => {
  it('an SSO sign-in, whose amr is the connection id as Scalekit sends it, is stored as that connection’s provider', async () => {
    const login = await signInAtEmulator(stack, 'gina@globex.test', { loginHint: 'gina@globex.test' });
    const result = await finishLogin(stack, login);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect((await prisma.session.findUniqueOrThrow({ where: { id: result.session.id } })).authMethod).toBe('sso:okta');
    // The team page's last sign-in, on the membership of the organization signed into.
    const membership = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_globex', userId: 'usr_gina' } });
    expect(membership.lastSignInMethod).toBe('sso:okta');
    expect(Math.abs(membership.lastSignInAt!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('records the sign-in on the membership of the organization signed into, not the person’s other ones', async () => {
    const globexBefore = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_globex', userId: 'usr_riley' } });
    const started = Date.now();
    const login = await signInAtEmulator(stack, 'riley@consultant.test', {}, { pickOrganization: 'org_acme' });
    const result = await finishLogin(stack, login);
    expect(result).toMatchObject({ ok: true, session: { organizationId: 'org_acme' } });
    const acme = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', userId: 'usr_riley' } });
    expect(acme.lastSignInAt!.getTime()).toBeGreaterThanOrEqual(started);
    expect(acme.lastSignInMethod).toBe('otp');
    const globex = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_globex', userId: 'usr_riley' } });
    expect(globex.lastSignInAt?.getTime() ?? null).toBe(globexBefore.lastSignInAt?.getTime() ?? null);
    // Scalekit's own last login is per user, set by the sign-in; the mirror's is not older than it.
    const { user } = await (await stack.deps()).scalekit.user.getUser('usr_riley');
    const scalekits = Number(user!.lastLoginTime!.seconds) * 1000;
    expect(scalekits).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    const mirrored = await prisma.user.findUniqueOrThrow({ where: { id: 'usr_riley' } });
    expect(mirrored.lastLoginAt!.getTime()).toBeGreaterThanOrEqual(scalekits);
  });

  it('signs the seeded admin in: session row with the refresh token encrypted, safe returnTo kept', async () => {
    const login = await signInAtEmulator(stack, 'ada@acme.test', { returnTo: '/orgs/org_acme/team?tab=pending#top' });
    const result = await finishLogin(stack, login);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.redirectTo).toBe('/orgs/org_acme/team?tab=pending#top');
    expect(result.user).toMatchObject({ id: 'usr_ada', email: 'ada@acme.test' });
    const row = await prisma.session.findUniqueOrThrow({ where: { id: result.session.id } });
    expect(row).toMatchObject({ userId: 'usr_ada', organizationId: 'org_acme', authMethod: 'otp', revokedAt: null, ip: '203.0.113.9' });
    expect(row.scalekitSessionId).toMatch(/^ses_/);
    expect(row.refreshTokenEnc).toMatch(/^v1\./);
    expect(row.refreshTokenEnc).not.toContain('rt_');
    expect(row.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now());
    const user = await prisma.user.findUniqueOrThrow({ where: { id: 'usr_ada' } });
    expect(user.lastLoginAt).not.toBeNull();
    // The sign-in is in Acme's audit log: who, how, from where — and no token anywhere in it.
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { organizationId: 'org_acme', action: 'session.signed_in', targetId: result.session.id },
    });
    expect(audit).toMatchObject({
      actorId: 'usr_ada',
      actorLabel: 'ada@acme.test',
      ip: '203.0.113.9',
      metadata: { authMethod: 'otp', intent: 'login' },
    });
    expect(JSON.stringify(audit)).not.toMatch(/eyJ|rt_|v1\./);
  });

  it('accepts the pending invitation in the mirror when the invitee signs up', async () => {
    const before = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', email: 'new.hire@acme.test' } });
    expect(before.status).toBe('PENDING_INVITE');
    const login = await signInAtEmulator(stack, 'new.hire@acme.test', {
      intent: 'invite',
      loginHint: 'new.hire@acme.test',
      organizationId: 'org_acme',
    });
    const result = await finishLogin(stack, login);
    expect(result.ok && result.redirectTo).toBe('/dashboard');
    const after = await prisma.membership.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.status).toBe('ACTIVE');
    expect(after.acceptedAt).not.toBeNull();
    expect(after.userId).toBe('usr_newhire');
  });

  it('lands a multi-org user in the organization picked at the emulator', async () => {
    const login = await signInAtEmulator(stack, 'riley@consultant.test', {}, { pickOrganization: 'org_globex' });
    const result = await finishLogin(stack, login);
    expect(result.ok && result.session.organizationId).toBe('org_globex');
  });

  describe('attacks refused, nothing written', () => {
    it('missing state', async () => {
      const login = await signInAtEmulator(stack, 'max@acme.test');
      login.callback.delete('state');
      await expectRefused(login, 'invalid_state');
    });

    it('wrong state (the flow cookie belongs to another login attempt)', async () => {
      const mine = await signInAtEmulator(stack, 'max@acme.test');
      const other = await signInAtEmulator(stack, 'max@acme.test');
      const before = await sessionCount();
      const forged = { ...mine, flowCookieName: other.flowCookieName, flowCookie: other.flowCookie };
      expect(await finishLogin(stack, forged)).toMatchObject({ ok: false, code: 'invalid_state' });
      // Same cookie name, state changed in the query: the sealed state must match too.
      const tampered = { ...mine, callback: new URLSearchParams(mine.callback) };
      tampered.callback.set('state', `${mine.callback.get('state')!.slice(0, 12)}${'A'.repeat(31)}`);
      expect(await finishLogin(stack, tampered)).toMatchObject({ ok: false, code: 'invalid_state' });
      expect(await sessionCount()).toBe(before);
    });

    it('no flow cookie at all (login CSRF: a code injected into a victim browser)', async () => {
      const login = await signInAtEmulator(stack, 'max@acme.test');
      const result = await completeLogin({ query: login.callback, cookie: () => undefined }, await stack.deps());
      expect(result).toMatchObject({ ok: false, code: 'invalid_state' });
    });

    it('replayed code', async () => {
      const login = await signInAtEmulator(stack, 'max@acme.test');
      expect((await finishLogin(stack, login)).ok).toBe(true);
      await expectRefused(login, 'invalid_grant');
    });

    it('wrong PKCE verifier', async () => {
      const login = await signInAtEmulator(stack, 'max@acme.test');
      const tampered = await withFlow(login, { codeVerifier: 'x'.repeat(43) });
      await expectRefused(tampered, 'invalid_grant');
    });

    it('nonce mismatch', async () => {
      const login = await signInAtEmulator(stack, 'max@acme.test');
      const tampered = await withFlow(login, { nonce: 'n'.repeat(43) });
      await expectRefused(tampered, 'invalid_token');
    });

    it('ID token whose signature does not match the trusted keys', async () => {
      // The verifier trusts a JWKS holding a different key, so the emulator's genuine signature
      // is exactly what a token signed by another key looks like to it.
      const { publicKey } = await generateKeyPair('RS256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'stranger', alg: 'RS256', use: 'sig' };
      const server = createServer((_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const login = await signInAtEmulator(stack, 'max@acme.test');
        await expectRefused(login, 'invalid_token', { jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys` });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('an identity-provider error becomes a friendly code, never raw text with markup', async () => {
      const result = await completeLogin(
        {
          query: new URLSearchParams({ error: 'access_denied', error_description: 'Signup is by\ninvitation only', state: 'x' }),
          cookie: () => undefined,
        },
        await stack.deps(),
      );
      expect(result).toMatchObject({ ok: false, code: 'access_denied' });
      // Only the code reaches /login, which has its own sentence for it; the provider's text stays out.
      expect(result).not.toHaveProperty('description');
      expect(JSON.stringify(result)).not.toContain('invitation only');
    });

    it('an expired flow (older than 10 minutes) is refused', async () => {
      const login = await signInAtEmulator(stack, 'max@acme.test');
      const result = await finishLogin(stack, login, { now: () => Date.now() + 11 * 60_000 });
      expect(result).toMatchObject({ ok: false, code: 'invalid_state' });
    });
  });
});
