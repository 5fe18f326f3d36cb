import { describe, expect, it } from 'vitest';
import { actorFromContext } from '@/lib/auth/guards';
import { liveSession } from '@/lib/auth/test-support';
import { ForbiddenError } from '@/lib/errors/app-error';
import { leaveOrganization } from '@/lib/members/service';
import { injectFault, scalekitMembers, useTeamTestStack } from '@/lib/members/testing';

/** Leaving an organization (issue 14): any member may, as a removal does it, except its last admin. */

const stack = await useTeamTestStack();
const { prisma } = stack.db;

describe('leaveOrganization', () => {
  it('a member leaves: gone at Scalekit and in the mirror, audited, signed out of that organization only', async () => {
    const inAcme = await liveSession('usr_riley', 'org_acme');
    const inGlobex = await liveSession('usr_riley', 'org_globex');
    const riley = actorFromContext(await inAcme.context(), 'org_acme');

    expect(await leaveOrganization(riley, 'org_acme')).toEqual({ email: 'riley@consultant.test' });

    expect(await scalekitMembers(stack.emulator, 'org_acme')).not.toHaveProperty(['riley@consultant.test']);
    expect(await prisma.membership.count({ where: { organizationId: 'org_acme', userId: 'usr_riley' } })).toBe(0);
    expect(await prisma.membership.count({ where: { organizationId: 'org_globex', userId: 'usr_riley' } })).toBe(1);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: 'org_acme', action: 'member.left' } });
    expect(audit).toMatchObject({ actorLabel: 'riley@consultant.test', targetLabel: 'riley@consultant.test' });
    const sessions = await prisma.session.findMany({ where: { id: { in: [inAcme.session.id, inGlobex.session.id] } } });
    expect(sessions.find((s) => s.id === inAcme.session.id)!.revokedAt).not.toBeNull();
    expect(sessions.find((s) => s.id === inGlobex.session.id)!.revokedAt).toBeNull();
  });

  it('the last admin may not leave, and nothing changes', async () => {
    const ada = actorFromContext(await (await liveSession('usr_ada', 'org_acme')).context(), 'org_acme');
    await expect(leaveOrganization(ada, 'org_acme')).rejects.toMatchObject({
      code: 'last_admin',
      status: 409,
      message: expect.stringMatching(/Make someone else an admin before you leave/),
    });
    expect(await prisma.membership.count({ where: { organizationId: 'org_acme', userId: 'usr_ada' } })).toBe(1);
    expect(await scalekitMembers(stack.emulator, 'org_acme')).toHaveProperty(['ada@acme.test']);
  });

  it('only for oneself, in one’s own organization; an API key cannot leave', async () => {
    await expect(leaveOrganization(stack.acmeMember, 'org_globex')).rejects.toBeInstanceOf(ForbiddenError);
    const key = { kind: 'api_key', apiKeyId: 'k', label: 'k', organizationId: 'org_acme', scopes: ['invitations:write'] } as const;
    await expect(leaveOrganization(key, 'org_acme')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('Scalekit down: a clear retryable error, the member stays, and a retry completes', async () => {
    const max = actorFromContext(await (await liveSession('usr_max', 'org_acme')).context(), 'org_acme');
    await injectFault(stack.emulator, { target: 'DeleteMembership', count: 10, grpcCode: 'UNAVAILABLE' });
    await expect(leaveOrganization(max, 'org_acme')).rejects.toMatchObject({ code: 'scalekit_unavailable' });
    expect(await prisma.membership.count({ where: { organizationId: 'org_acme', userId: 'usr_max' } })).toBe(1);
    await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    await leaveOrganization(max, 'org_acme');
    expect(await prisma.membership.count({ where: { organizationId: 'org_acme', userId: 'usr_max' } })).toBe(0);
  });
});
