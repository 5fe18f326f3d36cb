import { ScalekitClient, ScalekitNotFoundException } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { liveSession } from '@/lib/auth/test-support';
import { injectFault, scalekitMembers, useTeamTestStack } from '@/lib/members/testing';
import { deleteOwnAccount, updateOwnName, type AccountHolder } from '@/lib/users/account';
import { retiredEmail } from '@/lib/users/mirror-user';

/**
 * The account profile (issue 14 item 6): one's own name through Scalekit's UpdateUser, and
 * deleting one's own account through DeleteUser with the last-admin rule, against a real
 * database and the emulator through the real SDK.
 */

const stack = await useTeamTestStack();
const { prisma } = stack.db;
const sdk = () => new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');

const holder = (userId: string, email: string, sessionId = `test-session-${userId}`): AccountHolder => ({
  userId,
  email,
  sessionId,
  request: { ip: '198.51.100.9', userAgent: 'vitest-account', requestId: null },
});

async function scalekitUserExists(userId: string): Promise<boolean> {
  try {
    await sdk().user.getUser(userId);
    return true;
  } catch (error) {
    if (error instanceof ScalekitNotFoundException) return false;
    throw error;
  }
}

describe('updateOwnName', () => {
  it('saves the name at Scalekit, then on the mirror user and their memberships', async () => {
    const max = holder('usr_max', 'max@acme.test');
    expect(await updateOwnName(max, { firstName: ' Maximilian ', lastName: 'Power' })).toEqual({ name: 'Maximilian Power', changed: true });
    const at = (await sdk().user.getUser('usr_max')).user?.userProfile;
    expect(at).toMatchObject({ firstName: 'Maximilian', lastName: 'Power' });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: 'usr_max' } })).toMatchObject({
      firstName: 'Maximilian',
      lastName: 'Power',
      name: 'Maximilian Power',
    });
    expect((await prisma.membership.findFirstOrThrow({ where: { userId: 'usr_max' } })).name).toBe('Maximilian Power');
    expect(await updateOwnName(max, { firstName: 'Maximilian', lastName: 'Power' })).toMatchObject({ changed: false });
  });

  it('refuses an empty first name or an over-long or control-character one, per field, and changes nothing', async () => {
    const max = holder('usr_max', 'max@acme.test');
    await expect(updateOwnName(max, { firstName: '  ', lastName: '' })).rejects.toMatchObject({
      code: 'invalid_input',
      status: 400,
      fields: { firstName: 'Enter your first name.' },
    });
    await expect(updateOwnName(max, { firstName: 'x'.repeat(101), lastName: 'a\nb' })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { firstName: expect.stringMatching(/at most 100/), lastName: expect.stringMatching(/not allowed/) },
    });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: 'usr_max' } })).name).toBe('Maximilian Power');
    expect((await sdk().user.getUser('usr_max')).user?.userProfile?.firstName).toBe('Maximilian');
  });

  it('Scalekit down: a retryable error, and the mirror keeps the old name', async () => {
    await injectFault(stack.emulator, { target: 'UpdateUser', count: 10, grpcCode: 'UNAVAILABLE' });
    await expect(updateOwnName(holder('usr_max', 'max@acme.test'), { firstName: 'Never', lastName: 'Saved' })).rejects.toMatchObject({
      code: 'scalekit_unavailable',
      retryable: true,
    });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: 'usr_max' } })).name).toBe('Maximilian Power');
  });
});

describe('deleteOwnAccount', () => {
  it('needs the email address typed as confirmation; anything else changes nothing', async () => {
    for (const typed of ['', 'max@acme', 'ada@acme.test', null]) {
      await expect(deleteOwnAccount(holder('usr_max', 'max@acme.test'), typed)).rejects.toMatchObject({
        code: 'confirmation_mismatch',
        status: 400,
        field: 'confirmation',
      });
    }
    expect(await scalekitUserExists('usr_max')).toBe(true);
    expect(await prisma.membership.count({ where: { userId: 'usr_max' } })).toBe(1);
  });

  it('the last admin of an organization is refused, naming it, and nothing changes anywhere', async () => {
    const { session } = await liveSession('usr_ada', 'org_acme');
    await expect(deleteOwnAccount(holder('usr_ada', 'ada@acme.test', session.id), ' ADA@acme.test ')).rejects.toMatchObject({
      code: 'last_admin',
      status: 409,
      message: expect.stringMatching(/^You are the last admin of Acme .*Make someone else an admin there first/),
    });
    expect(await scalekitUserExists('usr_ada')).toBe(true);
    expect(await prisma.membership.count({ where: { userId: 'usr_ada' } })).toBe(1);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: 'member.account_deleted' } })).toBe(0);
  });

  it('Scalekit down: a retryable error and nothing changes; the retry deletes', async () => {
    await injectFault(stack.emulator, { target: 'DeleteUser', count: 10, grpcCode: 'UNAVAILABLE' });
    await expect(deleteOwnAccount(holder('usr_max', 'max@acme.test'), 'max@acme.test')).rejects.toMatchObject({
      code: 'scalekit_unavailable',
      retryable: true,
    });
    expect(await scalekitUserExists('usr_max')).toBe(true);
    expect(await prisma.membership.count({ where: { userId: 'usr_max' } })).toBe(1);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: 'usr_max' } })).email).toBe('max@acme.test');

    await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    expect(await deleteOwnAccount(holder('usr_max', 'max@acme.test'), 'max@acme.test')).toMatchObject({ organizations: ['Acme'] });
    expect(await scalekitUserExists('usr_max')).toBe(false);
    expect(await prisma.auditEvent.count({ where: { action: 'member.account_deleted', targetLabel: 'max@acme.test' } })).toBe(1);
  });

  it('an admin who is not the last one: gone at Scalekit and from every organization, keys revoked, audited in each, all sessions ended', async () => {
    const inAcme = await liveSession('usr_riley', 'org_acme');
    const inGlobex = await liveSession('usr_riley', 'org_globex');
    const key = await prisma.apiKey.create({
      data: {
        organizationId: 'org_globex',
        name: 'Riley CRM',
        prefix: 'tg_live_ril',
        hash: 'riley-key-hash',
        createdByUserId: 'usr_riley',
      },
    });

    const deleted = await deleteOwnAccount(holder('usr_riley', 'riley@consultant.test', inAcme.session.id), 'riley@consultant.test');
    expect(deleted).toEqual({ organizations: ['Acme', 'Globex'], revokedSessions: 2 });

    expect(await scalekitUserExists('usr_riley')).toBe(false);
    expect(await scalekitMembers(stack.emulator, 'org_globex')).not.toHaveProperty(['riley@consultant.test']);
    expect(await prisma.membership.count({ where: { userId: 'usr_riley' } })).toBe(0);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).not.toBeNull();
    const events = await prisma.auditEvent.findMany({ where: { action: 'member.account_deleted', actorId: 'usr_riley' } });
    expect(events.map((e) => e.organizationId).sort()).toEqual(['org_acme', 'org_globex']);
    expect(events.find((e) => e.organizationId === 'org_globex')).toMatchObject({
      actorLabel: 'riley@consultant.test',
      ip: '198.51.100.9',
      metadata: expect.objectContaining({ revokedApiKeys: [{ id: key.id, prefix: 'tg_live_ril', name: 'Riley CRM' }] }),
    });
    const sessions = await prisma.session.findMany({ where: { id: { in: [inAcme.session.id, inGlobex.session.id] } } });
    expect(sessions.every((s) => s.revokedAt !== null && s.revokedReason === 'account_deleted')).toBe(true);
    // Retired, not deleted: audit events that name the id still resolve, but no personal data stays.
    expect(await prisma.user.findUniqueOrThrow({ where: { id: 'usr_riley' } })).toMatchObject({
      email: retiredEmail('usr_riley'),
      name: null,
      firstName: null,
      lastName: null,
    });
  });

  it('a user Scalekit already deleted (an earlier attempt got through) is finished here, and a second run adds nothing', async () => {
    await sdk().user.deleteUser('usr_newhire');
    const nia = holder('usr_newhire', 'new.hire@acme.test');
    expect(await deleteOwnAccount(nia, 'new.hire@acme.test')).toMatchObject({ organizations: ['Acme'] });
    expect(await prisma.membership.count({ where: { userId: 'usr_newhire' } })).toBe(0);
    expect(await prisma.auditEvent.findFirstOrThrow({ where: { action: 'member.account_deleted', actorId: 'usr_newhire' } })).toMatchObject(
      {
        metadata: expect.objectContaining({ status: 'PENDING_INVITE' }),
      },
    );
    expect(await deleteOwnAccount(nia, 'new.hire@acme.test')).toMatchObject({ organizations: [] });
    expect(await prisma.auditEvent.count({ where: { action: 'member.account_deleted', actorId: 'usr_newhire' } })).toBe(1);
  });
});
