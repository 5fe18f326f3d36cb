import { describe, expect, it } from 'vitest';
import { SCALEKIT_PERMISSIONS } from '@/lib/auth/permissions';
import type { Actor } from '@/lib/auth/actor';
import { useTestDatabase } from '@/test/database';
import { openInvitationRequest } from './create';

const { prisma } = await useTestDatabase();

const max: Actor = {
  kind: 'user',
  userId: 'usr_max',
  email: 'max@req.test',
  name: 'Max',
  organizationId: 'org_req',
  role: 'member',
  permissions: SCALEKIT_PERMISSIONS.filter((p) => p === 'members:read'),
  sessionId: 's1',
};

describe('openInvitationRequest', () => {
  it('opens one pending request per address: a second ask returns the waiting one, audits once; a decided one frees the address', async () => {
    await prisma.organization.create({ data: { id: 'org_req', name: 'Req Co' } });
    const input = {
      organizationId: 'org_req',
      email: 'New.Person@Req.test',
      role: 'member',
      reason: 'Joins sales',
      source: 'MEMBER',
      origin: 'form',
    } as const;

    const [a, b] = await Promise.all([openInvitationRequest(max, input), openInvitationRequest(max, input)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.request.id).toBe(b.request.id);
    expect(a.request).toMatchObject({
      email: 'new.person@req.test',
      status: 'PENDING',
      requestedByUserId: 'usr_max',
      requestedByLabel: 'max@req.test',
    });
    expect(await prisma.auditEvent.count({ where: { action: 'request.created', targetId: a.request.id } })).toBe(1);

    await prisma.invitationRequest.update({ where: { id: a.request.id }, data: { status: 'DENIED', pendingEmail: null } });
    const again = await openInvitationRequest(max, input);
    expect(again.created).toBe(true);
    expect(again.request.id).not.toBe(a.request.id);
  });
});
