import { describe, expect, it } from 'vitest';
import { POST as webhookRoute } from '@/app/api/webhooks/scalekit/route';
import { GET as listInvitationsRoute } from '@/app/api/invitations/route';
import { createApiKey } from '@/lib/api-keys/service';
import { liveSession } from '@/lib/auth/test-support';
import { loadSessionContext } from '@/lib/auth/guards';
import { reconcileDirectory } from '@/lib/directory/reconcile';
import { mapGroupToRole, setDirectoryJoinMode } from '@/lib/directory/service';
import { getEnv } from '@/lib/env';
import { injectFault, scalekitMembers, useTeamTestStack, userActor } from '@/lib/members/testing';
import { deliverSigned, serveWebhookRoute } from '@/lib/webhooks/testing';

/**
 * Directory sync end to end: the emulator's directory changes (standing in for an IdP's SCIM
 * pushes) send Scalekit's directory events over HTTP to the real webhook route, which provisions
 * through the real SDK against the emulator and writes the mirror in the test's own PostgreSQL.
 */

const ORGS = ['org_dir_reconcile', 'org_dir_deprovision', 'org_dir_groups', 'org_dir_order', 'org_dir_faults', 'org_dir_invite'] as const;
const appUrl = await serveWebhookRoute();
const stack = await useTeamTestStack({
  appUrl,
  extendSeed: (seed) => {
    for (const id of ORGS) seed.organizations.push({ id, name: id.replace('org_', ''), allowedEmailDomains: [], ssoConnection: null });
  },
});
const { prisma } = stack.db;
const admin = (organizationId: string) => userActor('usr_ada', 'ada@acme.test', organizationId, 'admin');

async function dev<T = Record<string, unknown>>(path: string, body: unknown = {}, method = 'POST'): Promise<T> {
  const res = await fetch(`${stack.emulator.url}/_emulator/directories${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const newDirectory = async (organizationId: string) => (await dev<{ id: string }>('', { organizationId })).id;

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The mirror's memberships of an organization: email → role. */
async function mirror(organizationId: string): Promise<Record<string, string>> {
  const rows = await prisma.membership.findMany({ where: { organizationId }, orderBy: { email: 'asc' } });
  return Object.fromEntries(rows.map((r) => [r.email, r.role]));
}

/** Scalekit's (the emulator's) memberships: email → role. */
async function atScalekit(organizationId: string): Promise<Record<string, string>> {
  const members = await scalekitMembers(stack.emulator, organizationId);
  return Object.fromEntries(
    Object.entries(members)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([email, m]) => [email, m.roles[0]!]),
  );
}

const size = (o: object) => Object.keys(o).length;

async function allDelivered(): Promise<void> {
  await eventually(
    async () =>
      (await (await fetch(`${stack.emulator.url}/_emulator/events`)).json()) as Array<{
        delivered: boolean;
        lastStatus: number | null;
        lastError: string | null;
      }>,
    // Delivered, or an attempt finished and failed (no retries in tests): either way, settled.
    (events) => events.every((e) => e.delivered || e.lastStatus !== null || e.lastError !== null),
  );
}

describe('directory sync', () => {
  it('Reconcile after 10 dropped directory events restores the exact membership set', async () => {
    const org = 'org_dir_reconcile';
    const dirId = await newDirectory(org);
    const loaded = await dev<{ groups: Array<{ id: string; displayName: string }> }>(`/${dirId}/bulk`, {
      groups: ['Engineering', 'Admins'],
      generate: { count: 20, domain: 'reconcile.test' },
    });
    const adminsGroup = loaded.groups.find((g) => g.displayName === 'Admins')!.id;
    await eventually(
      () => mirror(org),
      (m) => size(m) === 20,
    );
    await mapGroupToRole(admin(org), org, adminsGroup, 'admin');
    const before = await mirror(org);
    expect(Object.values(before).filter((r) => r === 'admin')).toHaveLength(10);

    // Ten changes whose events are all lost: 3 deletions, 4 new users, 1 deactivation, 2 moves into Admins.
    await dev('/drop-events', { count: 10 });
    for (const i of [1, 3, 5]) await dev(`/${dirId}/users/user${i}@reconcile.test`, {}, 'DELETE');
    for (const i of [21, 22, 23, 24])
      await dev(`/${dirId}/users`, { email: `user${i}@reconcile.test`, groups: i === 24 ? ['Admins'] : ['Engineering'] });
    await dev(`/${dirId}/users/user7@reconcile.test`, { active: false }, 'PATCH');
    await dev(`/${dirId}/groups/${adminsGroup}/members`, { add: ['user9@reconcile.test', 'user11@reconcile.test'] });
    expect(await dev('/drop-events', undefined, 'GET')).toEqual({ remaining: 0, dropped: 10 });
    await allDelivered();
    expect(await mirror(org)).toEqual(before);

    // What the directory says now, worked out independently of the app.
    const directory = await dev<{ users: Array<{ email: string; active: boolean; groups: string[] }> }>(`/${dirId}`, undefined, 'GET');
    const expected = Object.fromEntries(
      directory.users
        .filter((u) => u.active)
        .map((u) => [u.email, u.groups.includes(adminsGroup) ? 'admin' : 'member'] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    expect(size(expected)).toBe(20);

    const result = await reconcileDirectory(org);
    expect(result).toMatchObject({ directoryId: dirId, created: 4, removed: 4, roleChanges: 2, failed: 0, users: 21 });
    expect(await mirror(org)).toEqual(expected);
    expect(await atScalekit(org)).toEqual(expected);
    const audit = await prisma.auditEvent.findMany({
      where: { organizationId: org, actorLabel: 'directory', action: { in: ['member.joined', 'member.removed', 'member.role_changed'] } },
    });
    const byAction = (action: string) => audit.filter((a) => a.action === action).length;
    // 20 provisioned, 10 made admin by the mapping; then the reconcile's 4 created, 4 removed, 2 promoted.
    expect({ joined: byAction('member.joined'), removed: byAction('member.removed'), roles: byAction('member.role_changed') }).toEqual({
      joined: 24,
      removed: 4,
      roles: 12,
    });
    expect(audit.every((a) => a.actorType === 'system')).toBe(true);
    const settings = await prisma.directorySettings.findUnique({ where: { organizationId: org } });
    expect(settings?.lastReconcileResult).toMatchObject({ created: 4, removed: 4, roleChanges: 2 });

    // A second run finds nothing to do.
    await allDelivered();
    expect(await reconcileDirectory(org)).toMatchObject({ created: 0, removed: 0, roleChanges: 0, failed: 0, unchanged: 20 });
    expect(await mirror(org)).toEqual(expected);
  });

  it('a deprovisioned user loses access on the next request: their session is refused and their API key answers 401', async () => {
    const org = 'org_dir_deprovision';
    const dirId = await newDirectory(org);
    const group = await dev<{ id: string }>(`/${dirId}/groups`, { displayName: 'IT Admins' });
    await eventually(
      () => prisma.directoryGroup.findMany({ where: { organizationId: org } }),
      (g) => g.length === 1,
    );
    await mapGroupToRole(admin(org), org, group.id, 'admin');
    await dev(`/${dirId}/users`, { email: 'leaver@deprovision.test', givenName: 'Lee', familyName: 'Ver', groups: [group.id] });
    const member = await eventually(
      () => prisma.membership.findFirst({ where: { organizationId: org, email: 'leaver@deprovision.test' } }),
      (m) => m?.status === 'ACTIVE' && m.role === 'admin',
    );
    const userId = member!.userId!;
    const { cookie } = await liveSession(userId, org);
    expect((await loadSessionContext(cookie))?.memberships.some((m) => m.organizationId === org)).toBe(true);
    const { secret } = await createApiKey(userActor(userId, 'leaver@deprovision.test', org, 'admin'), org, 'HR sync');
    const listWith = () =>
      listInvitationsRoute(new Request('http://localhost:3000/api/invitations', { headers: { authorization: `Bearer ${secret}` } }));
    expect((await listWith()).status).toBe(200);

    await dev(`/${dirId}/users/leaver@deprovision.test`, {}, 'DELETE');
    await eventually(
      () => mirror(org),
      (m) => !('leaver@deprovision.test' in m),
    );
    expect(await loadSessionContext(cookie)).toBeNull();
    expect((await listWith()).status).toBe(401);
    expect(await atScalekit(org)).toEqual({});
    const removed = await prisma.auditEvent.findFirst({ where: { organizationId: org, action: 'member.removed' } });
    expect(removed).toMatchObject({ actorType: 'system', actorLabel: 'directory', targetLabel: 'leaver@deprovision.test' });
    expect(await prisma.auditEvent.count({ where: { organizationId: org, action: 'api_key.revoked', actorLabel: 'directory' } })).toBe(1);
  });

  it('maps a group to admin, re-applies when the mapping, a user’s groups or the group itself change', async () => {
    const org = 'org_dir_groups';
    const dirId = await newDirectory(org);
    const loaded = await dev<{ groups: Array<{ id: string; displayName: string }> }>(`/${dirId}/bulk`, {
      groups: ['Engineering', 'Admins'],
      generate: { count: 6, domain: 'groups.test' },
    });
    const admins = loaded.groups.find((g) => g.displayName === 'Admins')!.id;
    await eventually(
      () => mirror(org),
      (m) => size(m) === 6 && Object.values(m).every((r) => r === 'member'),
    );

    await mapGroupToRole(admin(org), org, admins, 'admin');
    const mapped = await mirror(org);
    // generate spreads round-robin: users 2, 4, 6 are in Admins.
    expect(mapped).toMatchObject({ 'user2@groups.test': 'admin', 'user4@groups.test': 'admin', 'user1@groups.test': 'member' });
    expect(await atScalekit(org)).toEqual(mapped);
    expect(await prisma.auditEvent.count({ where: { organizationId: org, action: 'directory.group_mapped' } })).toBe(1);

    // A member may not map a group, and a role that does not exist is refused; nothing changes.
    await expect(mapGroupToRole(userActor('usr_max', 'max@acme.test', org, 'member'), org, admins, 'member')).rejects.toMatchObject({
      status: 403,
    });
    await expect(mapGroupToRole(admin(org), org, admins, 'no_such_role')).rejects.toMatchObject({ code: expect.any(String) });
    expect(await mirror(org)).toEqual(mapped);

    // Joining the group (a user_updated) gives the role.
    await dev(`/${dirId}/groups/${admins}/members`, { add: ['user1@groups.test'] });
    await eventually(
      () => mirror(org),
      (m) => m['user1@groups.test'] === 'admin',
    );

    // Unmapping puts everyone back to the default role.
    await mapGroupToRole(admin(org), org, admins, null);
    expect(Object.values(await mirror(org)).every((r) => r === 'member')).toBe(true);

    // Mapped again, then the group is deleted in the directory: its members fall back to their remaining groups.
    await mapGroupToRole(admin(org), org, admins, 'admin');
    expect((await mirror(org))['user2@groups.test']).toBe('admin');
    await dev(`/${dirId}/groups/${admins}`, {}, 'DELETE');
    await eventually(
      () => mirror(org),
      (m) => Object.values(m).every((r) => r === 'member'),
    );
    expect(await prisma.directoryGroup.count({ where: { organizationId: org, id: admins } })).toBe(0);
    expect(await atScalekit(org)).toEqual(await mirror(org));
  });

  it('ignores duplicate and out-of-order directory events', async () => {
    const org = 'org_dir_order';
    const secret = getEnv().SCALEKIT_WEBHOOK_SECRET;
    const event = (id: string, type: string, at: string, data: Record<string, unknown>) => ({
      spec_version: '1',
      id,
      type,
      object: 'DirectoryUser',
      occurred_at: at,
      environment_id: 'env_1',
      organization_id: org,
      data: { id: 'diruser_order1', organization_id: org, email: 'order@order.test', ...data },
    });
    const post = (payload: { id: string }) => deliverSigned(webhookRoute, secret, payload);
    const created = event('evt_order_1', 'organization.directory.user_created', '2026-01-01T10:00:00Z', { active: true, groups: [] });
    expect((await post(created)).body.outcome).toBe('applied');
    expect(await mirror(org)).toEqual({ 'order@order.test': 'member' });
    // The same event again: nothing.
    expect((await post(created)).body.outcome).toBe('duplicate');

    const deleted = event('evt_order_3', 'organization.directory.user_deleted', '2026-01-01T10:02:00Z', {});
    expect((await post(deleted)).body.outcome).toBe('applied');
    expect(await mirror(org)).toEqual({});
    // An update sent before the deletion arrives after it: stale, the person stays out.
    const late = event('evt_order_2', 'organization.directory.user_updated', '2026-01-01T10:01:00Z', { active: true, groups: [] });
    expect((await post(late)).body.outcome).toBe('stale');
    expect(await mirror(org)).toEqual({});
    expect(await atScalekit(org)).toEqual({});
    await allDelivered();
    expect(await prisma.auditEvent.count({ where: { organizationId: org, action: 'member.joined' } })).toBe(1);
  });

  it('a Scalekit failure mid-event fails the delivery; the retry applies it once, with no duplicates', async () => {
    const org = 'org_dir_faults';
    const dirId = await newDirectory(org);
    // Scalekit throttles the provisioning call: the delivery gets a 5xx and nothing is recorded.
    await injectFault(stack.emulator, { target: 'CreateUserAndMembership', grpcCode: 'RESOURCE_EXHAUSTED', count: 1 });
    await dev(`/${dirId}/users`, { email: 'retry@faults.test' });
    const events = await eventually(
      async () =>
        (await (await fetch(`${stack.emulator.url}/_emulator/events`)).json()) as Array<{
          id: string;
          type: string;
          lastStatus: number | null;
          payload: { id: string };
        }>,
      (list) =>
        list.some(
          (e) =>
            e.type === 'organization.directory.user_created' &&
            e.lastStatus !== null &&
            JSON.stringify(e.payload).includes('retry@faults.test'),
        ),
    );
    const failed = events.find((e) => JSON.stringify(e.payload).includes('retry@faults.test'))!;
    expect(failed.lastStatus).toBeGreaterThanOrEqual(500);
    expect(await prisma.processedWebhook.count({ where: { id: failed.id } })).toBe(0);
    expect(await mirror(org)).toEqual({});

    // Scalekit's retry (here: the same signed event again) applies it.
    const secret = getEnv().SCALEKIT_WEBHOOK_SECRET;
    expect((await deliverSigned(webhookRoute, secret, failed.payload)).body.outcome).toBe('applied');
    expect((await deliverSigned(webhookRoute, secret, failed.payload)).body.outcome).toBe('duplicate');
    expect(await mirror(org)).toEqual({ 'retry@faults.test': 'member' });

    // A crash after Scalekit's write but before the app's commit (no processed row, no version, no
    // mirror row): the retry finds the membership (ALREADY_EXISTS) instead of creating a second one.
    await prisma.membership.deleteMany({ where: { organizationId: org } });
    await prisma.processedWebhook.deleteMany({
      where: { OR: [{ id: failed.id }, { id: { startsWith: `version:directory_user:${org}:` } }] },
    });
    expect((await deliverSigned(webhookRoute, secret, failed.payload)).body.outcome).toBe('applied');
    expect(await mirror(org)).toEqual({ 'retry@faults.test': 'member' });
    expect(await atScalekit(org)).toEqual({ 'retry@faults.test': 'member' });
  });

  it('with "join as invitations", a provisioned user is invited instead of added', async () => {
    const org = 'org_dir_invite';
    const dirId = await newDirectory(org);
    await setDirectoryJoinMode(admin(org), org, 'INVITATIONS');
    await dev(`/${dirId}/users`, { email: 'invitee@invite.test' });
    const row = await eventually(
      () => prisma.membership.findFirst({ where: { organizationId: org, email: 'invitee@invite.test' } }),
      (m) => m !== null && m.syncState === 'SYNCED',
    );
    expect(row?.status).toBe('PENDING_INVITE');
    const audit = await prisma.auditEvent.findFirst({ where: { organizationId: org, action: 'invitation.created' } });
    expect(audit).toMatchObject({ actorLabel: 'directory' });
    await expect(setDirectoryJoinMode(admin(org), org, 'SOMETIMES')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
