import { describe, expect, it } from 'vitest';
import { prismaCli, useTestDatabase } from '@/test/database';
import { AUDIT_ACTIONS, recordAudit, recordAudits, type AuditEntry } from '@/lib/audit/record';
import { systemActor } from '@/lib/auth/actor';
import { announceExpiredInvitations } from './expired';
import { AUDIT_ACTION_EVENT, payloadFromAudit } from './events';
import { createEndpoint, setEndpointEnabled } from './service';
import { adminOf, createOrganization } from './testing';

const { prisma, url } = await useTestDatabase();

const ORG = 'org_fan';
const OTHER = 'org_other';
const admin = adminOf(ORG);
const local = { urlPolicy: { allowPrivate: true } };

await createOrganization(prisma, ORG);
await createOrganization(prisma, OTHER);
const all = (await createEndpoint(admin, ORG, { url: 'http://127.0.0.1:9/all', description: 'CRM' }, local)).endpoint;
const removalsOnly = (await createEndpoint(admin, ORG, { url: 'http://127.0.0.1:9/hr', eventTypes: ['member.removed'] }, local)).endpoint;
const otherOrg = (await createEndpoint(adminOf(OTHER), OTHER, { url: 'http://127.0.0.1:9/other' }, local)).endpoint;

function entry(action: AuditEntry['action'], metadata: Record<string, unknown> = {}, label = 'pat@example.test'): AuditEntry {
  return {
    actor: admin,
    organizationId: ORG,
    action,
    target: { type: action.startsWith('request.') ? 'invitation_request' : 'membership', id: `mem_${action}`, label },
    metadata: metadata as AuditEntry['metadata'],
  };
}

describe('outbound webhook fan-out (trigger on AuditEvent)', () => {
  it('the SQL mapping and the TypeScript one agree on every audit action, and unlisted actions publish nothing', async () => {
    for (const action of AUDIT_ACTIONS) {
      const [row] = await prisma.$queryRaw<Array<{ type: string | null }>>`SELECT outbound_webhook_event_type(${action}) AS type`;
      expect({ action, type: row!.type }).toEqual({ action, type: AUDIT_ACTION_EVENT[action] ?? null });
    }
    // Endpoint management itself is audited but never published.
    const before = await prisma.webhookDelivery.count();
    await recordAudit(entry('org.renamed'));
    await recordAudit(entry('webhook_endpoint.updated'));
    expect(await prisma.webhookDelivery.count()).toBe(before);
  });

  it('every published action becomes one delivery per subscribed enabled endpoint of its organization, with its public type', async () => {
    const published = Object.keys(AUDIT_ACTION_EVENT) as Array<AuditEntry['action']>;
    for (const action of published) {
      await prisma.webhookDelivery.deleteMany();
      await recordAudit(entry(action, { role: 'member' }));
      const deliveries = await prisma.webhookDelivery.findMany({ orderBy: { endpointId: 'asc' } });
      const type = AUDIT_ACTION_EVENT[action]!;
      const expected = [{ endpointId: all.id, type }, ...(type === 'member.removed' ? [{ endpointId: removalsOnly.id, type }] : [])].sort(
        (a, b) => a.endpointId.localeCompare(b.endpointId),
      );
      expect(deliveries.map((d) => ({ endpointId: d.endpointId, type: d.type }))).toEqual(expected);
      const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action }, orderBy: { createdAt: 'desc' } });
      expect(deliveries.find((d) => d.endpointId === all.id)).toMatchObject({
        eventId: `evt_${audit.id}`,
        auditEventId: audit.id,
        status: 'PENDING',
        attempts: 0,
      });
    }
    expect(await prisma.webhookDelivery.count({ where: { endpointId: otherOrg.id } })).toBe(0);
  });

  it('a rolled-back change publishes nothing; a disabled endpoint receives nothing', async () => {
    await prisma.webhookDelivery.deleteMany();
    await expect(
      prisma.$transaction(async (tx) => {
        await recordAudit(entry('invitation.created'), tx);
        throw new Error('Scalekit said no');
      }),
    ).rejects.toThrow('Scalekit said no');
    expect(await prisma.webhookDelivery.count()).toBe(0);

    await setEndpointEnabled(admin, ORG, all.id, false);
    await recordAudit(entry('member.left'));
    expect(await prisma.webhookDelivery.findMany({ select: { endpointId: true } })).toEqual([{ endpointId: removalsOnly.id }]);
    await setEndpointEnabled(admin, ORG, all.id, true);
  });

  it('a bulk insert of audit rows (one statement) fans out in the audit log order', async () => {
    await prisma.webhookDelivery.deleteMany();
    const emails = Array.from({ length: 40 }, (_, i) => `bulk${i}@example.test`);
    await recordAudits(emails.map((e) => entry('invitation.created', { role: 'member', source: 'bulk' }, e)));
    const deliveries = await prisma.webhookDelivery.findMany({ where: { endpointId: all.id }, orderBy: { seq: 'asc' } });
    const audits = await prisma.auditEvent.findMany({ where: { id: { in: deliveries.map((d) => d.auditEventId!) } } });
    const labelOf = new Map(audits.map((a) => [a.id, a.targetLabel]));
    expect(deliveries.map((d) => labelOf.get(d.auditEventId!))).toEqual(emails);
  });

  it('builds each payload from its audit row: member.left and account deletion become member.removed with a reason; no IP or internal metadata', async () => {
    await recordAudit({
      ...entry('member.left', { role: 'admin', userId: 'usr_pat', revokedApiKeys: [{ name: 'crm', prefix: 'tg_x' }] }),
      actor: { ...admin, request: { ip: '198.51.100.4', userAgent: 'secret-agent' } },
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'member.left' }, orderBy: { createdAt: 'desc' } });
    const payload = payloadFromAudit(audit, 'member.removed');
    expect(payload).toEqual({
      id: `evt_${audit.id}`,
      type: 'member.removed',
      timestamp: audit.createdAt.toISOString(),
      organization_id: ORG,
      data: {
        email: 'pat@example.test',
        membership_id: 'mem_member.left',
        role: 'admin',
        user_id: 'usr_pat',
        reason: 'left',
        actor: { type: 'user', id: 'usr_admin', label: 'admin@acme.test' },
      },
    });
    expect(JSON.stringify(payload)).not.toMatch(/198\.51|secret-agent|revokedApiKeys|tg_x/);
    const changed = payloadFromAudit(
      { ...audit, action: 'member.role_changed', metadata: { from: 'member', to: 'admin' } },
      'member.role_changed',
    );
    expect(changed.data).toMatchObject({ previous_role: 'member', role: 'admin' });
  });

  it('invitation.expired: the scheduled run announces each passed expiry once, again after a resend moves it, and never twice in parallel', async () => {
    await prisma.webhookDelivery.deleteMany();
    const past = new Date(Date.now() - 60_000);
    const rows = await Promise.all(
      ['late1@example.test', 'late2@example.test', 'fresh@example.test'].map((email, i) =>
        prisma.membership.create({
          data: {
            organizationId: ORG,
            email,
            role: 'member',
            status: 'PENDING_INVITE',
            expiresAt: i < 2 ? past : new Date(Date.now() + 86_400_000),
          },
        }),
      ),
    );
    const runs = await Promise.all([announceExpiredInvitations(), announceExpiredInvitations(), announceExpiredInvitations()]);
    expect(runs.reduce((n, r) => n + r.announced, 0)).toBe(2);
    expect(await announceExpiredInvitations()).toEqual({ announced: 0, more: false });
    const audits = await prisma.auditEvent.findMany({
      where: { action: 'invitation.expired', actorType: 'system' },
      orderBy: { targetLabel: 'asc' },
    });
    expect(audits.map((a) => [a.targetLabel, a.actorType, a.actorLabel])).toEqual([
      ['late1@example.test', 'system', 'invitation expiry'],
      ['late2@example.test', 'system', 'invitation expiry'],
    ]);
    const deliveries = await prisma.webhookDelivery.findMany({ where: { endpointId: all.id } });
    expect(deliveries.map((d) => d.type)).toEqual(['invitation.expired', 'invitation.expired']);
    expect(payloadFromAudit(audits[0]!, 'invitation.expired').data).toMatchObject({
      email: 'late1@example.test',
      expired_at: past.toISOString(),
    });

    // Resent (a new expiry), and that one passes too: announced again, once.
    await prisma.membership.update({ where: { id: rows[0]!.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await announceExpiredInvitations()).toEqual({ announced: 1, more: false });
    expect(await announceExpiredInvitations()).toEqual({ announced: 0, more: false });
  });

  it('the trigger and its function are outside Prisma’s model: no drift is reported, so no later migration drops them', async () => {
    const { stdout } = await prismaCli(
      ['migrate', 'diff', '--from-config-datasource', '--to-schema', 'prisma/schema.prisma', '--exit-code'],
      url,
    );
    expect(stdout).toContain('No difference detected');
    const [trigger] = await prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM pg_trigger WHERE tgname = 'AuditEvent_outbound_webhooks' AND NOT tgisinternal`;
    expect(Number(trigger!.n)).toBe(1);
  });

  it('system actors (directory, scheduler) publish like people do', async () => {
    await prisma.webhookDelivery.deleteMany();
    await recordAudit({ ...entry('member.removed'), actor: systemActor('directory', ORG) });
    const [d] = await prisma.webhookDelivery.findMany({ where: { endpointId: all.id } });
    const audit = await prisma.auditEvent.findUniqueOrThrow({ where: { id: d!.auditEventId! } });
    expect(payloadFromAudit(audit, d!.type).data.actor).toEqual({ type: 'system', id: null, label: 'directory' });
  });
});
