import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/errors/app-error';
import { sendJob } from '@/lib/jobs/boss';
import { FAST, jobFinished } from '@/lib/jobs/testing';
import { startWorker } from '@/lib/jobs/worker';
import {
  bulkMemberActionCsv,
  confirmBulkMemberAction,
  discardBulkMemberAction,
  getBulkMemberAction,
  previewBulkMemberAction,
  runBulkMemberAction,
  STALE_CLAIM_MS,
} from '@/lib/members/bulk-actions';
import { LAST_ADMIN_MESSAGE } from '@/lib/members/service';
import { emailsTo } from '@/emulator/src/testing';
import { injectFault, scalekitMembers, useTeamTestStack, userActor } from '@/lib/members/testing';

/** Bulk member actions (issue 14 item 3): preview with the rules per row, then a job that applies them once. */

const stack = await useTeamTestStack({
  extendSeed: (seed) => {
    // A team of its own for the tests that change many people.
    seed.organizations.push({
      id: 'org_bulk',
      name: 'Bulk Co',
      externalId: null,
      allowedEmailDomains: [],
      ssoConnection: null,
      maxAllowedUsers: null,
    });
    seed.users.push(
      {
        id: 'usr_boss',
        email: 'boss@bulk.test',
        firstName: 'Bo',
        lastName: 'Ss',
        memberships: [{ organizationId: 'org_bulk', roles: ['admin'], status: 'ACTIVE' }],
      },
      ...Array.from({ length: 12 }, (_, i) => ({
        id: `usr_bulk${i}`,
        email: `person${i}@bulk.test`,
        firstName: 'Person',
        lastName: `${i}`,
        memberships: [{ organizationId: 'org_bulk', roles: ['member'], status: i < 10 ? 'ACTIVE' : 'PENDING_INVITE' }],
      })),
    );
  },
});
const { prisma } = stack.db;
const boss = userActor('usr_boss', 'boss@bulk.test', 'org_bulk', 'admin');
const queued: string[] = [];
const enqueue = async (id: string) => void queued.push(id);

async function idsOf(organizationId: string, emails: string[]): Promise<string[]> {
  const rows = await prisma.membership.findMany({ where: { organizationId, email: { in: emails } } });
  return emails.map((e) => rows.find((r) => r.email === e)!.id);
}

const people = (...n: number[]) => n.map((i) => `person${i}@bulk.test`);

describe('previewBulkMemberAction', () => {
  it('says row by row what will happen, changes nothing, and keeps the last admin over the whole selection', async () => {
    const ids = await idsOf('org_acme', ['ada@acme.test', 'max@acme.test', 'riley@consultant.test', 'new.hire@acme.test']);
    const view = await previewBulkMemberAction(stack.acmeAdmin, 'org_acme', {
      kind: 'CHANGE_ROLE',
      role: 'member',
      selection: { membershipIds: ids },
    });
    expect(view.action).toMatchObject({ status: 'PREVIEW', kind: 'CHANGE_ROLE', role: 'member', createdByEmail: 'ada@acme.test' });
    expect(view.rows.map((r) => [r.email, r.status, r.reason])).toEqual([
      ['ada@acme.test', 'SKIPPED', LAST_ADMIN_MESSAGE],
      ['max@acme.test', 'SKIPPED', 'Already Member.'],
      ['riley@consultant.test', 'SKIPPED', 'Already Member.'],
      ['new.hire@acme.test', 'SKIPPED', 'Already Member.'],
    ]);
    expect(view.counts).toMatchObject({ total: 4, pending: 0, skipped: 4 });

    // Two admins demoted together: the last one in the selection stays.
    const globex = await idsOf('org_globex', ['riley@consultant.test', 'gina@globex.test']);
    const gina = userActor('usr_gina', 'gina@globex.test', 'org_globex', 'admin');
    const both = await previewBulkMemberAction(gina, 'org_globex', {
      kind: 'CHANGE_ROLE',
      role: 'member',
      selection: { membershipIds: globex },
    });
    expect(both.rows.map((r) => [r.email, r.status])).toEqual([
      ['riley@consultant.test', 'PENDING'],
      ['gina@globex.test', 'SKIPPED'],
    ]);
    expect((await scalekitMembers(stack.emulator, 'org_globex'))['riley@consultant.test']!.roles).toEqual(['admin']);
  });

  it('removal skips invitations and oneself; invitation actions skip members; "all matching" takes the filter', async () => {
    const ids = await idsOf('org_bulk', ['boss@bulk.test', ...people(0, 10)]);
    const remove = await previewBulkMemberAction(boss, 'org_bulk', { kind: 'REMOVE', selection: { membershipIds: ids } });
    expect(remove.rows.map((r) => [r.email, r.status, r.reason])).toEqual([
      ['boss@bulk.test', 'SKIPPED', 'To leave the organization yourself, use Leave on your account page.'],
      ['person0@bulk.test', 'PENDING', null],
      ['person10@bulk.test', 'SKIPPED', 'This is an invitation, not a member: revoke it instead.'],
    ]);
    const revoke = await previewBulkMemberAction(boss, 'org_bulk', { kind: 'REVOKE', selection: { filter: { status: 'pending' } } });
    expect(revoke.rows.map((r) => [r.email, r.status]).sort()).toEqual([
      ['person10@bulk.test', 'PENDING'],
      ['person11@bulk.test', 'PENDING'],
    ]);
    const resend = await previewBulkMemberAction(boss, 'org_bulk', {
      kind: 'RESEND',
      selection: { membershipIds: await idsOf('org_bulk', people(1)) },
    });
    expect(resend.rows[0]).toMatchObject({ status: 'SKIPPED', reason: 'Not an invitation: this person has already joined.' });
  });

  it('refuses bad input and other people’s organizations with a clear error, storing nothing', async () => {
    const before = await prisma.bulkMemberAction.count();
    const ids = await idsOf('org_bulk', people(2));
    await expect(
      previewBulkMemberAction(stack.acmeMember, 'org_acme', { kind: 'REMOVE', selection: { membershipIds: ids } }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // Ada is an admin of Acme, not of Bulk Co; and Bulk Co's ids do not exist in Acme.
    await expect(
      previewBulkMemberAction(stack.acmeAdmin, 'org_bulk', { kind: 'REMOVE', selection: { membershipIds: ids } }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      previewBulkMemberAction(stack.acmeAdmin, 'org_acme', { kind: 'REMOVE', selection: { membershipIds: ids } }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(previewBulkMemberAction(boss, 'org_bulk', { kind: 'REMOVE', selection: { membershipIds: [] } })).rejects.toMatchObject({
      status: 400,
      message: 'Select at least one person.',
    });
    await expect(
      previewBulkMemberAction(boss, 'org_bulk', { kind: 'CHANGE_ROLE', selection: { membershipIds: ids } }),
    ).rejects.toMatchObject({
      status: 400,
      message: 'Choose the role to give.',
    });
    await expect(
      previewBulkMemberAction(boss, 'org_bulk', { kind: 'CHANGE_ROLE', role: 'nope', selection: { membershipIds: ids } }),
    ).rejects.toMatchObject({ code: 'unknown_role', status: 400 });
    expect(await prisma.bulkMemberAction.count()).toBe(before);
  });
});

describe('running a bulk action', () => {
  it('confirm queues once; the run applies each row through the member service, audited, with a results file', async () => {
    const ids = await idsOf('org_bulk', people(3, 4, 10));
    const view = await previewBulkMemberAction(boss, 'org_bulk', { kind: 'CHANGE_ROLE', role: 'admin', selection: { membershipIds: ids } });
    queued.length = 0;
    await confirmBulkMemberAction(boss, 'org_bulk', view.action.id, enqueue);
    await confirmBulkMemberAction(boss, 'org_bulk', view.action.id, enqueue);
    expect(queued).toEqual([view.action.id]);
    await expect(discardBulkMemberAction(boss, 'org_bulk', view.action.id)).rejects.toMatchObject({ status: 409 });

    const counts = await runBulkMemberAction(view.action.id);
    expect(counts).toMatchObject({ total: 3, done: 3, pending: 0, running: 0, failed: 0 });
    const atScalekit = await scalekitMembers(stack.emulator, 'org_bulk');
    for (const email of people(3, 4, 10)) expect(atScalekit[email]!.roles).toEqual(['admin']);
    expect(await prisma.membership.count({ where: { organizationId: 'org_bulk', email: { in: people(3, 4, 10) }, role: 'admin' } })).toBe(
      3,
    );
    expect(
      await prisma.auditEvent.count({ where: { organizationId: 'org_bulk', action: 'member.role_changed', targetId: { in: ids } } }),
    ).toBe(3);
    expect(
      await prisma.auditEvent.count({
        where: { organizationId: 'org_bulk', action: { in: ['bulk_action.started', 'bulk_action.completed'] }, targetId: view.action.id },
      }),
    ).toBe(2);
    expect((await getBulkMemberAction(boss, 'org_bulk', view.action.id)).action.status).toBe('DONE');
    // Running it again (a duplicate job) does nothing.
    expect(await runBulkMemberAction(view.action.id)).toMatchObject({ done: 3 });

    const csvLines = await bulkMemberActionCsv(boss, 'org_bulk', view.action.id);
    const lines: string[] = [];
    for await (const line of { [Symbol.asyncIterator]: () => csvLines } as AsyncIterable<string>) lines.push(line);
    expect(lines.join('').trim().split('\r\n')).toEqual([
      '"email","role_before","result","reason"',
      '"person3@bulk.test","member","done","Now admin."',
      '"person4@bulk.test","member","done","Now admin."',
      '"person10@bulk.test","member","done","Now admin."',
    ]);
  });

  it('Scalekit rate-limiting mid-run: the job fails with the rows put back, and the retry finishes each once', async () => {
    const ids = await idsOf('org_bulk', people(5, 6, 7));
    const view = await previewBulkMemberAction(boss, 'org_bulk', { kind: 'CHANGE_ROLE', role: 'admin', selection: { membershipIds: ids } });
    await confirmBulkMemberAction(boss, 'org_bulk', view.action.id, enqueue);
    await injectFault(stack.emulator, { target: 'UpdateMembership', grpcCode: 'RESOURCE_EXHAUSTED', count: 1 });
    await expect(runBulkMemberAction(view.action.id, { concurrency: 1 })).rejects.toMatchObject({ retryable: true });
    expect(await prisma.bulkMemberRow.count({ where: { actionId: view.action.id, status: 'RUNNING' } })).toBe(0);
    expect(await prisma.bulkMemberRow.count({ where: { actionId: view.action.id, status: 'PENDING' } })).toBe(3);

    expect(await runBulkMemberAction(view.action.id, { concurrency: 1 })).toMatchObject({ done: 3, failed: 0 });
    expect(await prisma.auditEvent.count({ where: { action: 'member.role_changed', targetId: { in: ids } } })).toBe(3);
  });

  it('a worker that died mid-row: its stale claim is taken over, and a removal its first attempt already made counts as done', async () => {
    const ids = await idsOf('org_bulk', people(8, 9));
    const view = await previewBulkMemberAction(boss, 'org_bulk', { kind: 'REMOVE', selection: { membershipIds: ids } });
    await confirmBulkMemberAction(boss, 'org_bulk', view.action.id, enqueue);
    // The dead worker had claimed both rows and got person8 removed before it stopped.
    await prisma.bulkMemberRow.updateMany({
      where: { actionId: view.action.id },
      data: { status: 'RUNNING', attempts: 1, claimedAt: new Date(Date.now() - STALE_CLAIM_MS - 1_000) },
    });
    await prisma.membership.delete({ where: { id: ids[0] } });
    // A fresh claim is left alone: its worker may still be at it.
    const fresh = await previewBulkMemberAction(boss, 'org_bulk', {
      kind: 'REMOVE',
      selection: { membershipIds: await idsOf('org_bulk', people(0)) },
    });
    await confirmBulkMemberAction(boss, 'org_bulk', fresh.action.id, enqueue);
    await prisma.bulkMemberRow.updateMany({
      where: { actionId: fresh.action.id },
      data: { status: 'RUNNING', attempts: 1, claimedAt: new Date() },
    });

    expect(await runBulkMemberAction(view.action.id)).toMatchObject({ done: 2, skipped: 0, failed: 0 });
    expect(await scalekitMembers(stack.emulator, 'org_bulk')).not.toHaveProperty(['person9@bulk.test']);
    expect(await runBulkMemberAction(fresh.action.id)).toMatchObject({ running: 1, done: 0 });
    expect((await prisma.bulkMemberAction.findUniqueOrThrow({ where: { id: fresh.action.id } })).status).toBe('QUEUED');
  });

  it('two runs at once never take the same row; through a real pg-boss worker the job finishes the action', async () => {
    const ids = await idsOf('org_bulk', people(1, 2));
    const view = await previewBulkMemberAction(boss, 'org_bulk', { kind: 'CHANGE_ROLE', role: 'admin', selection: { membershipIds: ids } });
    await confirmBulkMemberAction(boss, 'org_bulk', view.action.id, enqueue);
    await Promise.all([runBulkMemberAction(view.action.id, { concurrency: 1 }), runBulkMemberAction(view.action.id, { concurrency: 1 })]);
    const rows = await prisma.bulkMemberRow.findMany({ where: { actionId: view.action.id } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['DONE', 1],
      ['DONE', 1],
    ]);

    const back = await previewBulkMemberAction(boss, 'org_bulk', {
      kind: 'CHANGE_ROLE',
      role: 'member',
      selection: { membershipIds: ids },
    });
    const worker = await startWorker({ connectionString: stack.db.url, poolSize: 3, timing: FAST, stopTimeoutMs: 2_000 });
    try {
      let jobId: string | null = null;
      await confirmBulkMemberAction(boss, 'org_bulk', back.action.id, async (id) => {
        jobId = await sendJob(worker.boss, 'members.bulk-action', { actionId: id });
      });
      expect((await jobFinished(worker.boss, 'members.bulk-action', jobId!)).state).toBe('completed');
    } finally {
      await worker.stop();
    }
    expect((await prisma.bulkMemberAction.findUniqueOrThrow({ where: { id: back.action.id } })).status).toBe('DONE');
    expect((await scalekitMembers(stack.emulator, 'org_bulk'))['person1@bulk.test']!.roles).toEqual(['member']);
  });

  it('resend: each invitation is emailed once, and a second run inside the cooldown sends nothing more', async () => {
    const invited = people(10, 11);
    const view = await previewBulkMemberAction(boss, 'org_bulk', {
      kind: 'RESEND',
      selection: { membershipIds: await idsOf('org_bulk', invited) },
    });
    expect(view.counts.pending).toBe(2);
    const before = await Promise.all(invited.map(async (e) => (await emailsTo(stack.emulator, e)).length));
    await confirmBulkMemberAction(boss, 'org_bulk', view.action.id, enqueue);
    // Their invitations went out a while ago (the seed sends them now): outside the resend cooldown.
    await prisma.membership.updateMany({
      where: { organizationId: 'org_bulk', email: { in: invited } },
      data: { lastSentAt: new Date(Date.now() - 120_000) },
    });
    expect(await runBulkMemberAction(view.action.id)).toMatchObject({ done: 2, failed: 0 });
    const after = await Promise.all(invited.map(async (e) => (await emailsTo(stack.emulator, e)).length));
    expect(after).toEqual(before.map((n) => n + 1));

    // The same people again a moment later: refused by the resend cooldown, row by row, with why.
    const again = await previewBulkMemberAction(boss, 'org_bulk', {
      kind: 'RESEND',
      selection: { membershipIds: await idsOf('org_bulk', invited) },
    });
    await confirmBulkMemberAction(boss, 'org_bulk', again.action.id, enqueue);
    expect(await runBulkMemberAction(again.action.id)).toMatchObject({ done: 0, skipped: 2 });
    expect((await prisma.bulkMemberRow.findFirstOrThrow({ where: { actionId: again.action.id } })).reason).toMatch(
      /less than a minute ago/,
    );
    expect(await Promise.all(invited.map(async (e) => (await emailsTo(stack.emulator, e)).length))).toEqual(after);
  });

  it('the job acts with the rights its admin has when it runs: an admin removed since fails every row, changing nothing', async () => {
    const temp = await prisma.membership.create({
      data: {
        organizationId: 'org_bulk',
        userId: 'usr_max',
        email: 'max@acme.test',
        role: 'admin',
        permissions: ['members:read', 'members:invite', 'members:manage', 'org:settings', 'api_keys:manage', 'audit:read'],
        status: 'ACTIVE',
      },
    });
    const max = userActor('usr_max', 'max@acme.test', 'org_bulk', 'admin');
    const view = await previewBulkMemberAction(max, 'org_bulk', {
      kind: 'REMOVE',
      selection: { membershipIds: await idsOf('org_bulk', people(3)) },
    });
    await confirmBulkMemberAction(max, 'org_bulk', view.action.id, enqueue);
    await prisma.membership.delete({ where: { id: temp.id } });
    expect(await runBulkMemberAction(view.action.id)).toMatchObject({ failed: 1, done: 0 });
    expect(await scalekitMembers(stack.emulator, 'org_bulk')).toHaveProperty(['person3@bulk.test']);
  });
});
