import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/actor';
import { ForbiddenError } from '@/lib/auth/authorize';
import { auditCsv, listAuditEvents } from '@/lib/audit/query';
import { changeRole, removeMember } from '@/lib/members/service';
import { scalekitMembers, useTeamTestStack } from '@/lib/members/testing';
import { resyncOrganization } from '@/lib/organizations/resync';
import { getOrganizationSettings, updateOrganizationSettings } from '@/lib/organizations/settings';
import { GET as auditCsvRoute } from '@/app/api/orgs/[orgId]/audit.csv/route';

/**
 * Every admin action × {admin of this org, member of this org, admin of another org}: allowed for
 * the first only, and for the others nothing changes — not the mirror, not Scalekit, not the
 * audit log. Signed out is covered through the route handler (no Actor can even be built).
 */

const stack = await useTeamTestStack();
const { prisma } = stack.db;

async function snapshot() {
  const [memberships, orgs, audits, scalekit] = await Promise.all([
    prisma.membership.findMany({ orderBy: { id: 'asc' }, select: { id: true, role: true, status: true, updatedAt: true } }),
    prisma.organization.findMany({ orderBy: { id: 'asc' }, select: { id: true, maxAllowedUsers: true, allowedEmailDomains: true, syncedAt: true } }),
    prisma.auditEvent.count(),
    scalekitMembers(stack.emulator, 'org_acme'),
  ]);
  return { memberships, orgs, audits, scalekit };
}

const maxId = async () => (await prisma.membership.findUniqueOrThrow({ where: { organizationId_email: { organizationId: 'org_acme', email: 'max@acme.test' } } })).id;

const actions: Record<string, (actor: Actor) => Promise<unknown>> = {
  'change role': async (actor) => changeRole(actor, 'org_acme', await maxId(), 'admin'),
  'remove member': async (actor) => removeMember(actor, 'org_acme', await maxId()),
  'read settings': (actor) => getOrganizationSettings(actor, 'org_acme'),
  'change settings': (actor) => updateOrganizationSettings(actor, 'org_acme', { maxAllowedUsers: 40, allowedEmailDomains: 'acme.test' }),
  'resync from Scalekit': (actor) => resyncOrganization(actor, 'org_acme'),
  'read the audit log': (actor) => listAuditEvents(actor, 'org_acme'),
  'export the audit log': (actor) => auditCsv(actor, 'org_acme'),
};

describe.each(Object.entries(actions))('%s', (_name, action) => {
  it.each([
    ['a member of this organization', () => stack.acmeMember],
    ['an admin of another organization', () => stack.globexAdmin],
    ['an admin of another organization claiming this org id', () => ({ ...stack.globexAdmin, organizationId: 'org_globex' }) as Actor],
  ])('is refused for %s, changing nothing', async (_who, actor) => {
    const before = await snapshot();
    await expect(action(actor())).rejects.toBeInstanceOf(ForbiddenError);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the admin of this organization', () => {
  it('may do every one of them', async () => {
    // Read-only ones first; the destructive ones last (remove needs the member change role made).
    await expect(actions['read settings']!(stack.acmeAdmin)).resolves.toMatchObject({ id: 'org_acme' });
    await expect(actions['read the audit log']!(stack.acmeAdmin)).resolves.toHaveProperty('rows');
    await expect(actions['export the audit log']!(stack.acmeAdmin)).resolves.toBeDefined();
    await expect(actions['change settings']!(stack.acmeAdmin)).resolves.toMatchObject({ changed: true, settings: { maxAllowedUsers: 40 } });
    await expect(actions['resync from Scalekit']!(stack.acmeAdmin)).resolves.toMatchObject({ maxAllowedUsers: 40 });
    await expect(actions['change role']!(stack.acmeAdmin)).resolves.toMatchObject({ changed: true });
    await expect(actions['remove member']!(stack.acmeAdmin)).resolves.toEqual({ email: 'max@acme.test' });
    const logged = await prisma.auditEvent.findMany({ where: { organizationId: 'org_acme', actorLabel: 'ada@acme.test' }, select: { action: true } });
    expect(logged.map((e) => e.action).sort()).toEqual(['member.removed', 'member.role_changed', 'org.resynced', 'org.settings_changed']);
  });
});

describe('signed out', () => {
  it('the audit export answers 401 and no CSV', async () => {
    const response = await auditCsvRoute(new Request('http://localhost/api/orgs/org_acme/audit.csv'), { params: Promise.resolve({ orgId: 'org_acme' }) });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/json/);
  });
});
