import { describe, expect, it } from 'vitest';
import { switchOrganization } from '@/lib/auth/switch-org';
import { switchRoute } from '@/lib/auth/switch-policy';
import { liveSession, startAuthStack } from '@/lib/auth/test-support';
import { injectFault } from '@/lib/members/testing';
import { getScalekit } from '@/lib/scalekit/client';

/**
 * Which organization switches go through Scalekit's hosted login (its documented switch,
 * prompt=select_account + organization) and which stay in the app, asked of Scalekit (the
 * emulator, through the real SDK) each time.
 */

const stack = await startAuthStack();
const { prisma } = stack.db;

async function contextFor(userId: string, organizationId: string) {
  const live = await liveSession(userId, organizationId);
  return { session: live.session, ctx: await live.context() };
}

/** Runs `body` with the organization under its own session policy, then back to the application's. */
async function withCustomSessionPolicy(organizationId: string, body: () => Promise<void>) {
  await getScalekit().organization.updateOrganizationSessionPolicy(organizationId, {
    policySource: 'CUSTOM',
    absoluteSessionTimeout: 60,
    absoluteSessionTimeoutUnit: 'MINUTES',
  });
  try {
    await body();
  } finally {
    await getScalekit().organization.updateOrganizationSessionPolicy(organizationId, { policySource: 'APPLICATION' });
  }
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
    await withCustomSessionPolicy('org_acme', async () => {
      expect(await switchRoute('org_acme', 'riley@consultant.test')).toEqual({ via: 'scalekit', reason: 'session_policy' });
    });
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
    await withCustomSessionPolicy('org_globex', async () => {
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
    });
  });
});
