import { resolvePermissions } from '@/lib/auth/permissions';
import { describe, expect, it } from 'vitest';
import { GET as listInvitationsRoute } from '@/app/api/invitations/route';
import { authenticateApiKey, createApiKey } from '@/lib/api-keys/service';
import { ForbiddenError } from '@/lib/errors/app-error';
import { inviteMember, listInvitations } from '@/lib/invitations/service';
import { loadSessionContext } from '@/lib/auth/guards';
import { AppError } from '@/lib/errors/app-error';
import { changeRole, getSeatUsage, listMembers, removeMember } from '@/lib/members/service';
import { injectFault, scalekitMembers, useTeamTestStack, userActor } from '@/lib/members/testing';
import { signSessionCookie } from '@/lib/session/cookie';
import { getSessionCookieKey } from '@/lib/session/keys';
import { createSession } from '@/lib/session/store';

const stack = await useTeamTestStack();
const { prisma } = stack.db;

async function membershipId(email: string, organizationId = 'org_acme'): Promise<string> {
  const row = await prisma.membership.findUniqueOrThrow({ where: { organizationId_email: { organizationId, email } } });
  return row.id;
}

/** Adds an ACTIVE member to the mirror and to Scalekit (through the emulator), like an accepted invite. */
async function addActiveMember(email: string, role: 'admin' | 'member'): Promise<string> {
  const { ScalekitClient } = await import('@scalekit-sdk/node');
  const client = new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
  const { user } = await client.user.createUserAndMembership('org_acme', { email, sendInvitationEmail: false });
  await client.user.updateMembership('org_acme', user!.id, { roles: [role] });
  await prisma.user.create({ data: { id: user!.id, email } });
  const row = await prisma.membership.create({
    data: {
      organizationId: 'org_acme',
      userId: user!.id,
      email,
      role,
      permissions: resolvePermissions(role, null),
      status: 'ACTIVE',
      acceptedAt: new Date(),
    },
  });
  return row.id;
}

describe('changeRole', () => {
  it('promotes a member in Scalekit and the mirror, and audits from → to', async () => {
    const id = await addActiveMember('promote.me@acme.test', 'member');
    const result = await changeRole(stack.acmeAdmin, 'org_acme', id, 'admin');
    expect(result).toMatchObject({ changed: true, previousRole: 'member', membership: { role: 'admin' } });
    expect((await scalekitMembers(stack.emulator, 'org_acme'))['promote.me@acme.test']?.roles).toEqual(['admin']);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'member.role_changed', targetId: id } });
    expect(audit).toMatchObject({
      actorLabel: 'ada@acme.test',
      targetLabel: 'promote.me@acme.test',
      ip: '198.51.100.7',
      metadata: { from: 'member', to: 'admin' },
    });
  });

  it('refuses an unknown role with 400 and changes nothing', async () => {
    const id = await membershipId('max@acme.test');
    await expect(changeRole(stack.acmeAdmin, 'org_acme', id, 'owner')).rejects.toMatchObject({ status: 400, code: 'unknown_role' });
    expect((await prisma.membership.findUniqueOrThrow({ where: { id } })).role).toBe('member');
  });

  it('will not demote the last admin, even when they ask themselves', async () => {
    const adaId = await membershipId('ada@acme.test');
    // Other admins from earlier tests are demoted first so ada is the only one.
    for (const other of await prisma.membership.findMany({
      where: { organizationId: 'org_acme', role: 'admin', status: 'ACTIVE', NOT: { id: adaId } },
    })) {
      await changeRole(stack.acmeAdmin, 'org_acme', other.id, 'member');
    }
    const error = await changeRole(stack.acmeAdmin, 'org_acme', adaId, 'member').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 409, code: 'last_admin' });
    expect((error as Error).message).toMatch(/last admin/);
    expect((await prisma.membership.findUniqueOrThrow({ where: { id: adaId } })).role).toBe('admin');
    expect((await scalekitMembers(stack.emulator, 'org_acme'))['ada@acme.test']?.roles).toEqual(['admin']);
  });

  it('two admins demoting each other at the same moment leave one admin', async () => {
    const bId = await addActiveMember('second.admin@acme.test', 'admin');
    const adaId = await membershipId('ada@acme.test');
    const b = userActor('usr_b', 'second.admin@acme.test', 'org_acme', 'admin');
    const results = await Promise.allSettled([
      changeRole(stack.acmeAdmin, 'org_acme', bId, 'member'),
      changeRole(b, 'org_acme', adaId, 'member'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['last_admin']);
    expect(await prisma.membership.count({ where: { organizationId: 'org_acme', role: 'admin', status: 'ACTIVE' } })).toBe(1);
    // Put ada back as the admin for the tests after this one.
    const remaining = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', role: 'admin', status: 'ACTIVE' } });
    if (remaining.id !== adaId) {
      await changeRole(userActor('usr_b', 'second.admin@acme.test', 'org_acme', 'admin'), 'org_acme', adaId, 'admin');
      await changeRole(stack.acmeAdmin, 'org_acme', bId, 'member');
    }
  });

  it('a Scalekit outage leaves the mirror and the audit log untouched, with a retryable error', async () => {
    const id = await membershipId('max@acme.test');
    const auditsBefore = await prisma.auditEvent.count();
    await injectFault(stack.emulator, { target: 'UpdateMembership', grpcCode: 'RESOURCE_EXHAUSTED' });
    await expect(changeRole(stack.acmeAdmin, 'org_acme', id, 'admin')).rejects.toMatchObject({
      status: 429,
      code: 'scalekit_rate_limited',
      retryable: true,
    });
    expect((await prisma.membership.findUniqueOrThrow({ where: { id } })).role).toBe('member');
    expect(await prisma.auditEvent.count()).toBe(auditsBefore);
  });

  it('cannot reach a membership of another organization by its id (404)', async () => {
    const rileyInGlobex = await membershipId('riley@consultant.test', 'org_globex');
    await expect(changeRole(stack.acmeAdmin, 'org_acme', rileyInGlobex, 'member')).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect((await prisma.membership.findUniqueOrThrow({ where: { id: rileyInGlobex } })).role).toBe('admin');
  });
});

describe('removeMember', () => {
  it('removes from Scalekit and the mirror, audits, and the removed member loses access at once', async () => {
    const id = await addActiveMember('leaving@acme.test', 'member');
    const row = await prisma.membership.findUniqueOrThrow({ where: { id } });
    const session = await createSession({
      userId: row.userId!,
      organizationId: 'org_acme',
      refreshToken: 'rt_test_only_refresh_token_value',
      accessTokenExpiresAt: new Date(Date.now() + 10 * 60_000),
      expiresAt: new Date(Date.now() + 60 * 60_000),
    });
    const cookie = await signSessionCookie(
      { sessionId: session.id, userId: row.userId!, organizationId: 'org_acme', expiresAt: session.expiresAt },
      await getSessionCookieKey(),
    );
    expect(await loadSessionContext(cookie)).toMatchObject({ user: { email: 'leaving@acme.test' } });

    await expect(removeMember(stack.acmeAdmin, 'org_acme', id)).resolves.toEqual({ email: 'leaving@acme.test' });

    expect(await prisma.membership.findUnique({ where: { id } })).toBeNull();
    expect(await scalekitMembers(stack.emulator, 'org_acme')).not.toHaveProperty('leaving@acme.test');
    expect(await loadSessionContext(cookie)).toBeNull();
    expect(await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).toMatchObject({ revokedReason: 'member_removed' });
    expect(await prisma.auditEvent.findFirst({ where: { action: 'member.removed', targetId: id } })).toMatchObject({
      targetLabel: 'leaving@acme.test',
    });
  });

  it('will not remove the last admin, including themselves', async () => {
    const adaId = await membershipId('ada@acme.test');
    await expect(removeMember(stack.acmeAdmin, 'org_acme', adaId)).rejects.toMatchObject({ status: 409, code: 'last_admin' });
    expect(await prisma.membership.findUnique({ where: { id: adaId } })).not.toBeNull();
    expect(await scalekitMembers(stack.emulator, 'org_acme')).toHaveProperty('ada@acme.test');
  });

  it('an admin can remove themselves when another admin remains', async () => {
    const id = await addActiveMember('self.remover@acme.test', 'admin');
    const self = userActor(
      (await prisma.membership.findUniqueOrThrow({ where: { id } })).userId!,
      'self.remover@acme.test',
      'org_acme',
      'admin',
    );
    await removeMember(self, 'org_acme', id);
    expect(await prisma.membership.findUnique({ where: { id } })).toBeNull();
  });

  it('refuses a pending invitation (that is revoke) with 409', async () => {
    const id = await membershipId('new.hire@acme.test');
    await expect(removeMember(stack.acmeAdmin, 'org_acme', id)).rejects.toMatchObject({ status: 409, code: 'not_a_member' });
    expect(await prisma.membership.findUnique({ where: { id } })).not.toBeNull();
  });

  it('finishes the removal when Scalekit already forgot the membership', async () => {
    const id = await addActiveMember('already.gone@acme.test', 'member');
    const { ScalekitClient } = await import('@scalekit-sdk/node');
    const client = new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
    const row = await prisma.membership.findUniqueOrThrow({ where: { id } });
    await client.user.deleteMembership('org_acme', row.userId!);
    await removeMember(stack.acmeAdmin, 'org_acme', id);
    expect(await prisma.membership.findUnique({ where: { id } })).toBeNull();
  });
});

describe('listMembers', () => {
  it('lists newest first with seat usage, and members may read it', async () => {
    const page = await listMembers(stack.acmeMember, 'org_acme', { limit: 100 });
    const emails = page.rows.map((r) => r.email);
    expect(emails).toEqual(expect.arrayContaining(['ada@acme.test', 'max@acme.test', 'riley@consultant.test', 'new.hire@acme.test']));
    const created = page.rows.map((r) => r.createdAt.getTime());
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(page.total).toBe(page.rows.length);
    const seats = await getSeatUsage(stack.acmeMember, 'org_acme');
    expect(seats).toEqual({ used: page.rows.filter((r) => r.status === 'ACTIVE' || r.status === 'PENDING_INVITE').length, limit: 25 });
  });

  it('filters by status, role and search text', async () => {
    const pending = await listMembers(stack.acmeAdmin, 'org_acme', { status: 'pending' });
    expect(pending.rows.map((r) => r.email)).toEqual(['new.hire@acme.test']);
    const admins = await listMembers(stack.acmeAdmin, 'org_acme', { role: 'admin', status: 'active' });
    expect(admins.rows.every((r) => r.role === 'admin' && r.status === 'ACTIVE')).toBe(true);
    expect((await listMembers(stack.acmeAdmin, 'org_acme', { q: 'RILEY' })).rows.map((r) => r.email)).toEqual(['riley@consultant.test']);
    expect((await listMembers(stack.acmeAdmin, 'org_acme', { q: 'Nia Newhire' })).rows.map((r) => r.email)).toEqual(['new.hire@acme.test']);
    // LIKE wildcards in the search are literal.
    expect((await listMembers(stack.acmeAdmin, 'org_acme', { q: '%' })).rows).toEqual([]);
  });

  it('shows a pending invitation past its expiry as expired', async () => {
    const later = new Date(Date.now() + 30 * 86_400_000);
    const expired = await listMembers(stack.acmeAdmin, 'org_acme', { status: 'expired' }, later);
    expect(expired.rows.map((r) => [r.email, r.status])).toEqual([['new.hire@acme.test', 'INVITE_EXPIRED']]);
    expect((await listMembers(stack.acmeAdmin, 'org_acme', { status: 'pending' }, later)).rows).toEqual([]);
  });

  it('pages forwards and backwards with keyset cursors, never repeating or skipping a row', async () => {
    await prisma.organization.create({ data: { id: 'org_paging', name: 'Paging' } });
    const base = Date.UTC(2026, 0, 1);
    await prisma.membership.createMany({
      data: Array.from({ length: 23 }, (_, i) => ({
        organizationId: 'org_paging',
        email: `p${String(i).padStart(2, '0')}@paging.test`,
        status: 'ACTIVE' as const,
        // Pairs share a timestamp so the id tie-break is exercised.
        createdAt: new Date(base + Math.floor(i / 2) * 1000),
      })),
    });
    const reader = userActor('usr_p', 'p@paging.test', 'org_paging', 'member');
    const seen: string[] = [];
    const cursors: Array<string | undefined> = [undefined];
    let page = await listMembers(reader, 'org_paging', { limit: 5 });
    expect(page.prevCursor).toBeNull();
    seen.push(...page.rows.map((r) => r.email));
    while (page.nextCursor) {
      cursors.push(page.nextCursor);
      page = await listMembers(reader, 'org_paging', { limit: 5, cursor: page.nextCursor });
      seen.push(...page.rows.map((r) => r.email));
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(page.rows).toHaveLength(3);
    // Back from the last page gives exactly the fourth page again.
    const fourth = await listMembers(reader, 'org_paging', { limit: 5, cursor: cursors[3] });
    const back = await listMembers(reader, 'org_paging', { limit: 5, cursor: page.prevCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(fourth.rows.map((r) => r.id));
    // And back again to the first page, which has no previous page.
    let prev = back;
    while (prev.prevCursor) prev = await listMembers(reader, 'org_paging', { limit: 5, cursor: prev.prevCursor });
    expect(prev.rows.map((r) => r.email)).toEqual(seen.slice(0, 5));
  });

  it('refuses a tampered cursor and bad filters with 400', async () => {
    await expect(listMembers(stack.acmeAdmin, 'org_acme', { cursor: 'not-a-cursor' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_cursor',
    });
    await expect(listMembers(stack.acmeAdmin, 'org_acme', { status: 'deleted' as never })).rejects.toMatchObject({ status: 400 });
    await expect(listMembers(stack.acmeAdmin, 'org_acme', { role: 'not a role!' })).rejects.toMatchObject({ status: 400 });
    await expect(listMembers(stack.acmeAdmin, 'org_acme', { limit: 1000 })).rejects.toMatchObject({ status: 400 });
  });

  it('another organization cannot read the list', async () => {
    await expect(listMembers(stack.globexAdmin, 'org_acme')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('sync errors reach admins only: a plain member reads the list without them', async () => {
    const failed = await prisma.membership.create({
      data: {
        organizationId: 'org_acme',
        email: 'sync.failed@acme.test',
        syncState: 'FAILED',
        syncError: 'Scalekit answered 503 at 12:00',
        status: 'PENDING_INVITE',
      },
    });
    const find = (rows: Awaited<ReturnType<typeof listMembers>>['rows']) => rows.find((r) => r.id === failed.id);
    expect(find((await listMembers(stack.acmeAdmin, 'org_acme', { q: 'sync.failed' })).rows)?.syncError).toBe(
      'Scalekit answered 503 at 12:00',
    );
    const asMember = find((await listMembers(stack.acmeMember, 'org_acme', { q: 'sync.failed' })).rows);
    expect(asMember).toBeDefined();
    expect(asMember?.syncError).toBeNull();
    await prisma.membership.delete({ where: { id: failed.id } });
  });
});

describe('offboarding: the API keys a person created go with their admin rights', () => {
  async function adminWithKeys(email: string, names: string[]) {
    const id = await addActiveMember(email, 'admin');
    const userId = (await prisma.membership.findUniqueOrThrow({ where: { id } })).userId!;
    const actor = userActor(userId, email, 'org_acme', 'admin');
    const keys = [];
    for (const name of names) keys.push(await createApiKey(actor, 'org_acme', name));
    return { id, userId, actor, keys };
  }

  const listWith = (secret: string) =>
    listInvitationsRoute(new Request('http://localhost:3000/api/invitations', { headers: { authorization: `Bearer ${secret}` } }));

  it('removing an admin revokes the API keys they created in the same transaction, and the audit event names them', async () => {
    const leaver = await adminWithKeys('key.leaver@acme.test', ['Leaver HR sync', 'Leaver CRM']);
    const adasKey = await createApiKey(stack.acmeAdmin, 'org_acme', 'Ada keeps this');

    // A failed removal (Scalekit down) leaves the keys working: the revocation commits with the removal, or not at all.
    await injectFault(stack.emulator, { target: 'DeleteMembership', grpcCode: 'RESOURCE_EXHAUSTED' });
    await expect(removeMember(stack.acmeAdmin, 'org_acme', leaver.id)).rejects.toMatchObject({ retryable: true });
    await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    expect(await prisma.apiKey.count({ where: { createdByUserId: leaver.userId, revokedAt: null } })).toBe(2);

    await removeMember(stack.acmeAdmin, 'org_acme', leaver.id);
    const rows = await prisma.apiKey.findMany({ where: { createdByUserId: leaver.userId } });
    expect(rows.map((k) => k.revokedAt)).toEqual([expect.any(Date), expect.any(Date)]);
    for (const { secret } of leaver.keys) expect(await authenticateApiKey(`Bearer ${secret}`)).toMatchObject({ kind: 'invalid' });
    expect(await authenticateApiKey(`Bearer ${adasKey.secret}`)).toMatchObject({ kind: 'ok' });

    const removed = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'member.removed', targetId: leaver.id } });
    const named = leaver.keys.map(({ apiKey }) => ({ id: apiKey.id, prefix: apiKey.prefix, name: apiKey.name }));
    expect((removed.metadata as { revokedApiKeys: unknown[] }).revokedApiKeys).toEqual(expect.arrayContaining(named));
    expect((removed.metadata as { revokedApiKeys: unknown[] }).revokedApiKeys).toHaveLength(2);
    const perKey = await prisma.auditEvent.findMany({ where: { action: 'api_key.revoked', targetId: { in: named.map((k) => k.id) } } });
    expect(perKey.map((e) => e.metadata)).toEqual([
      expect.objectContaining({ reason: 'member_removed' }),
      expect.objectContaining({ reason: 'member_removed' }),
    ]);
  });

  it('a removed admin’s key works on one request and is refused with 401 on the very next', async () => {
    const leaver = await adminWithKeys('key.next.request@acme.test', ['Next request']);
    const secret = leaver.keys[0]!.secret;
    expect((await listWith(secret)).status).toBe(200);
    await removeMember(stack.acmeAdmin, 'org_acme', leaver.id);
    const refused = await listWith(secret);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('demoting an admin to member revokes the keys they created, and says which in the audit event', async () => {
    const demoted = await adminWithKeys('key.demoted@acme.test', ['Demoted sync']);
    await changeRole(stack.acmeAdmin, 'org_acme', demoted.id, 'member');
    expect(await authenticateApiKey(`Bearer ${demoted.keys[0]!.secret}`)).toMatchObject({ kind: 'invalid' });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'member.role_changed', targetId: demoted.id } });
    expect(event.metadata).toMatchObject({
      from: 'admin',
      to: 'member',
      revokedApiKeys: [{ id: demoted.keys[0]!.apiKey.id, prefix: demoted.keys[0]!.apiKey.prefix }],
    });
    // Promoting them again does not bring the key back: it was revoked, not suspended.
    await changeRole(stack.acmeAdmin, 'org_acme', demoted.id, 'admin');
    expect(await authenticateApiKey(`Bearer ${demoted.keys[0]!.secret}`)).toMatchObject({ kind: 'invalid' });
  });

  it('a removed admin’s pending invitations stay listed, with who sent them', async () => {
    const leaver = await adminWithKeys('key.inviter@acme.test', []);
    const invitee = `left.behind.${Date.now()}@acme.test`;
    await inviteMember(leaver.actor, 'org_acme', { email: invitee });
    await removeMember(stack.acmeAdmin, 'org_acme', leaver.id);

    const pending = await listMembers(stack.acmeAdmin, 'org_acme', { status: 'pending', q: invitee });
    expect(pending.rows).toEqual([
      expect.objectContaining({ email: invitee, status: 'PENDING_INVITE', inviterEmail: 'key.inviter@acme.test' }),
    ]);
    const invitations = await listInvitations(stack.acmeAdmin, 'org_acme', { status: 'PENDING_INVITE' });
    expect(invitations.invitations.find((i) => i.email === invitee)).toMatchObject({
      inviterEmail: 'key.inviter@acme.test',
      invitedByUserId: leaver.userId,
    });
  });
});
