import { describe, expect, it, vi } from 'vitest';
import { useInvitationTestbed } from '@/lib/invitations/testing';
import { signedInSession } from '@/lib/session/testing';

/**
 * The "Open admin portal" server action through adminAction, with the real session check against
 * PostgreSQL and the real SDK → emulator. Only Next.js's request scope is stood in for.
 */

const request = vi.hoisted(() => ({ cookie: '' }));
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (request.cookie.startsWith(`${name}=`) ? { name, value: request.cookie.slice(name.length + 1) } : undefined),
  }),
  headers: async () => new Headers({ cookie: request.cookie, 'user-agent': 'vitest-sso', 'x-request-id': 'req_sso' }),
}));

const testbed = await useInvitationTestbed();
const { openAdminPortalAction } = await import('./actions');

async function signInAs(userId: string, organizationId: string): Promise<void> {
  request.cookie = (await signedInSession(userId, organizationId)).cookie;
}

describe('openAdminPortalAction', () => {
  it('gives an admin a fresh portal link on the emulator, which opens the portal', async () => {
    await signInAs('usr_ada', 'org_acme');
    const result = await openAdminPortalAction('org_acme');
    expect(result).toMatchObject({ ok: true, message: 'Admin portal opened.', location: expect.stringMatching(/\/magicLink\//) });
    if (!result.ok) throw new Error('unreachable');
    expect(new URL(result.location).origin).toBe(new URL(testbed.emulator.url).origin);
    const opened = await fetch(result.location, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const audit = await testbed.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'org.admin_portal_opened' } });
    expect(audit).toMatchObject({ actorLabel: 'ada@acme.test', userAgent: 'vitest-sso', requestId: 'req_sso' });
  });

  it('a member gets a refusal and no link', async () => {
    await signInAs('usr_max', 'org_acme');
    const result = await openAdminPortalAction('org_acme');
    expect(result).toMatchObject({ ok: false });
    expect(JSON.stringify(result)).not.toContain('magicLink');
  });

  it('an admin of another organization gets a refusal for this one', async () => {
    await signInAs('usr_gina', 'org_globex');
    const result = await openAdminPortalAction('org_acme');
    expect(result).toMatchObject({ ok: false });
    expect(JSON.stringify(result)).not.toContain('magicLink');
    // Her own organization works.
    expect(await openAdminPortalAction('org_globex')).toMatchObject({ ok: true });
  });

  it('a malformed organization id is refused before anything runs', async () => {
    await signInAs('usr_ada', 'org_acme');
    expect(await openAdminPortalAction('../org_acme')).toMatchObject({ ok: false, error: 'Unknown organization.' });
  });
});
