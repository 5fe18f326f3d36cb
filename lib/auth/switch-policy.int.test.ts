import { describe, expect, it } from 'vitest';
import { loadSessionContext } from '@/lib/auth/guards';
import { switchOrganization } from '@/lib/auth/switch-org';
import { switchRoute } from '@/lib/auth/switch-policy';
import { startAuthStack } from '@/lib/auth/test-support';
import { injectFault } from '@/lib/members/testing';
import { getScalekit } from '@/lib/scalekit/client';
import { signAppSessionCookie } from '@/lib/session/cookie';
import { createSession } from '@/lib/session/store';

/**
 * Which organization switches go through Scalekit's hosted login (its documented switch,
 * prompt=select_account + organization) and which stay in the app, asked of Scalekit (the
 * emulator, through the real SDK) each time.
 */

const stack = await startAuthStack();
const { prisma } = stack.db;

async function contextFor(userId: string, organizationId: string) {
  const session = await createSession({
    userId,
    organizationId,
    refreshToken: `rt_switch_${Math.random().toString(36).slice(2)}`,
    accessTokenExpiresAt: new Date(Date.now() + 300_000),
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  const cookie = await signAppSessionCookie({ sessionId: session.id, userId, organizationId, expiresAt: session.expiresAt });
  return { session, ctx: (await loadSessionContext(cookie))! };
}

describe('switchRoute', () => {
  it('an organization whose enabled SSO connection covers the user’s domain → through Scalekit; a guest from another domain → in the app', async () => {
    expect(await switchRoute('org_globex', 'gina@globex.test')).toEqual({ via: 'scalekit', reason: 'sso' });
    expect(await switchRoute('org_globex', 'riley@consultant.test')).toEqual({ via: 'app' });
    expect(await switchRoute('org_acme', 'riley@consultant.test')).toEqual({ via: 'app' });
  });

  it('a disabled connection does not count', async () => {
    const { connections } = await getScalekit().connection.listConnections('org_globex');
    const okta = connections.find((c) => c.domains.includes('globex.test'))!;
    await getScalekit().connection.disableConnection('org_globex', okta.id);
    try {
      expect(await switchRoute('org_globex', 'gina@globex.test')).toEqual({ via: 'app' });
    } finally {
      await getScalekit().connection.enableConnection('org_globex', okta.id);
    }
  });

  it('an organization with its own session policy → through Scalekit, so the new session is made under it', async () => {
    await getScalekit().organization.updateOrganizationSessionPolicy('org_acme', {
      policySource: 'CUSTOM',
      absoluteSessionTimeout: 60,
      absoluteSessionTimeoutUnit: 'MINUTES',
    });
    try {
      expect(await switchRoute('org_acme', 'riley@consultant.test')).toEqual({ via: 'scalekit', reason: 'session_policy' });
    } finally {
      await getScalekit().organization.updateOrganizationSessionPolicy('org_acme', { policySource: 'APPLICATION' });
    }
  });

  it('Scalekit unreachable → the careful path (through Scalekit), never a silent in-app switch', async () => {
    await injectFault(stack.emulator, { target: 'ListConnections', grpcCode: 'UNAVAILABLE', count: 10 });
    try {
      expect(await switchRoute('org_acme', 'riley@consultant.test')).toEqual({ via: 'scalekit', reason: 'policy_unknown' });
    } finally {
      await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    }
  });
});

describe('switchOrganization through Scalekit', () => {
  it('leaves the session as it is and sends the browser to the login route with Scalekit’s documented switch', async () => {
    await getScalekit().organization.updateOrganizationSessionPolicy('org_globex', {
      policySource: 'CUSTOM',
      absoluteSessionTimeout: 2,
      absoluteSessionTimeoutUnit: 'HOURS',
    });
    try {
      const { session, ctx } = await contextFor('usr_riley', 'org_acme');
      const result = await switchOrganization(ctx, 'org_globex', '/orgs/org_acme/team');
      expect(result).toMatchObject({ ok: true, via: 'scalekit' });
      const url = new URL((result as { redirectTo: string }).redirectTo, 'http://localhost');
      expect(url.pathname).toBe('/api/auth/login');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        organization_id: 'org_globex',
        prompt: 'select_account',
        login_hint: 'riley@consultant.test',
        returnTo: '/orgs/org_globex/team',
      });
      expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).organizationId).toBe('org_acme');
    } finally {
      await getScalekit().organization.updateOrganizationSessionPolicy('org_globex', { policySource: 'APPLICATION' });
    }
  });
});
