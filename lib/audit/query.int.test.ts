import { describe, expect, it } from 'vitest';
import { auditCsv, auditFiltersFromSearchParams, listAuditEvents } from '@/lib/audit/query';
import { useTestDatabase } from '@/test/database';
import { userActor } from '@/lib/members/testing';

const { prisma } = await useTestDatabase();
const admin = userActor('usr_a', 'a@audit.test', 'org_q', 'admin');

await prisma.organization.create({ data: { id: 'org_q', name: 'Query Co' } });
await prisma.organization.create({ data: { id: 'org_other', name: 'Other' } });
const base = Date.UTC(2026, 2, 1);
await prisma.auditEvent.createMany({
  data: [
    ...Array.from({ length: 30 }, (_, i) => ({
      organizationId: 'org_q',
      actorType: 'user',
      actorLabel: i % 2 ? 'ada@acme.test' : 'bob@acme.test',
      action: i % 3 ? 'invitation.created' : 'member.removed',
      targetType: 'membership',
      targetLabel: `t${i}@acme.test`,
      ip: '203.0.113.1',
      createdAt: new Date(base + Math.floor(i / 2) * 3_600_000),
    })),
    { organizationId: 'org_other', actorType: 'user', actorLabel: 'x@other.test', action: 'member.removed', createdAt: new Date(base) },
  ],
});

describe('listAuditEvents', () => {
  it('pages newest first through exactly this organization’s events', async () => {
    const seen: string[] = [];
    let page = await listAuditEvents(admin, 'org_q', { limit: 7 });
    seen.push(...page.rows.map((r) => r.id));
    while (page.nextCursor) {
      page = await listAuditEvents(admin, 'org_q', { limit: 7, cursor: page.nextCursor });
      seen.push(...page.rows.map((r) => r.id));
    }
    expect(new Set(seen).size).toBe(30);
    const back = await listAuditEvents(admin, 'org_q', { limit: 7, cursor: page.prevCursor! });
    expect(back.rows).toHaveLength(7);
  });

  it('filters by action, text and dates', async () => {
    const removed = await listAuditEvents(admin, 'org_q', { action: 'member.removed', limit: 100 });
    expect(removed.rows).toHaveLength(10);
    expect((await listAuditEvents(admin, 'org_q', { q: 'ADA@', limit: 100 })).rows).toHaveLength(15);
    expect((await listAuditEvents(admin, 'org_q', { q: 't29@', limit: 100 })).rows.map((r) => r.targetLabel)).toEqual(['t29@acme.test']);
    const filters = auditFiltersFromSearchParams(new URLSearchParams('from=2026-03-01&to=2026-03-01'));
    expect((await listAuditEvents(admin, 'org_q', { ...filters, limit: 100 })).rows).toHaveLength(30);
  });

  it('refuses an unknown action, bad dates and a tampered cursor with 400', async () => {
    await expect(listAuditEvents(admin, 'org_q', { action: 'drop.tables' })).rejects.toMatchObject({ status: 400, field: 'action' });
    expect(() => auditFiltersFromSearchParams(new URLSearchParams('from=2026-02-30'))).toThrow(/not a real date/);
    expect(() => auditFiltersFromSearchParams(new URLSearchParams('to=yesterday'))).toThrow(/must be a date/);
    await expect(listAuditEvents(admin, 'org_q', { cursor: 'Zm9v' })).rejects.toMatchObject({ status: 400, code: 'invalid_cursor' });
  });
});

describe('CSV export', () => {
  it('has a header and one line per event, filtered like the page', async () => {
    let text = '';
    for await (const line of await auditCsv(admin, 'org_q', { action: 'member.removed' })) text += line;
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('"time","actor_type","actor","action","target_type","target","ip","user_agent","details"');
    expect(lines).toHaveLength(11);
    expect(lines.slice(1).every((l) => l.includes(',"member.removed",'))).toBe(true);
  });
});
