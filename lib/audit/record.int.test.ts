import { SCALEKIT_PERMISSIONS } from '@/lib/auth/permissions';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/test/database';
import { recordAudit } from '@/lib/audit/record';
import { systemActor, type Actor } from '@/lib/auth/actor';

const { prisma } = await useTestDatabase();

describe('recordAudit', () => {
  it('stores who did what to whom, from where, in the organization', async () => {
    await prisma.organization.create({ data: { id: 'org_audit', name: 'Audit Co' } });
    const actor: Actor = {
      kind: 'user',
      userId: 'usr_1',
      email: 'ada@audit.test',
      name: 'Ada',
      organizationId: 'org_audit',
      role: 'admin',
      permissions: SCALEKIT_PERMISSIONS,
      sessionId: 's1',
      request: { ip: '203.0.113.7', userAgent: 'test-agent', requestId: 'req-1' },
    };
    await recordAudit({
      actor,
      organizationId: 'org_audit',
      action: 'member.removed',
      target: { type: 'membership', id: 'm1', label: 'max@audit.test' },
    });
    const [event] = await prisma.auditEvent.findMany({ where: { organizationId: 'org_audit' } });
    expect(event).toMatchObject({
      actorType: 'user',
      actorId: 'usr_1',
      actorLabel: 'ada@audit.test',
      action: 'member.removed',
      targetType: 'membership',
      targetId: 'm1',
      targetLabel: 'max@audit.test',
      ip: '203.0.113.7',
      requestId: 'req-1',
    });
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    await prisma.organization.create({ data: { id: 'org_audit2', name: 'Audit Two' } });
    const actor: Actor = systemActor('resync', 'org_audit2');
    await expect(
      prisma.$transaction(async (tx) => {
        await recordAudit({ actor, organizationId: 'org_audit2', action: 'org.resynced' }, tx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await prisma.auditEvent.count({ where: { organizationId: 'org_audit2' } })).toBe(0);
  });
});
