import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/errors/app-error';
import { updateOrganizationSettings } from '@/lib/organizations/settings';
import { bulkResultsCsv, getBulkJob, previewBulkInvite, runBulkInvite } from './bulk';
import { ada, freshEmail, gina, max, olga, OPEN_ORG, tim, TINY_ORG, useInvitationTestbed, userActor } from './testing';

const bed = await useInvitationTestbed({ timeoutMs: 1_000 });
const { prisma } = bed.db;

async function orgUserEmails(orgId: string): Promise<string[]> {
  const emails: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await bed.scalekit.user.listOrganizationUsers(orgId, { pageSize: 100, pageToken });
    emails.push(...page.users.map((u) => u.email));
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return emails;
}

/** A CSV of `good` fresh addresses with 20 deliberately bad rows spread through it. */
function csvWithBadRows(good: number, tag: string): { text: string; badRowNumbers: number[] } {
  const lines = ['Email,Role,Name'];
  const badRowNumbers: number[] = [];
  const bad = [
    'not-an-email,member,',
    'missing-at.test,member,',
    '@no-local.test,admin,',
    'two@@ats.test,member,',
    'spa ce@x.test,member,',
    `${tag}-r1@x.test,owner,`,
    `${tag}-r2@x.test,superuser,`,
    `${tag}-r3@x.test,guest,`,
    `${tag}-r4@x.test,root,`,
    ',admin,No Email',
  ];
  let badIndex = 0;
  for (let i = 0; i < good; i++) {
    lines.push(`${tag}.${i}@bulk.test,${i % 10 === 0 ? 'admin' : 'member'},"Person ${i}"`);
    if (i % 9 === 4 && badIndex < 20) {
      // Half invalid values, half duplicates of an earlier good row.
      lines.push(badIndex < bad.length ? bad[badIndex]! : `${tag}.${i}@BULK.test,member,Again`);
      badRowNumbers.push(lines.length);
      badIndex++;
    }
  }
  while (badIndex < 20) {
    lines.push(`${tag}.0@bulk.test,member,Dup`);
    badRowNumbers.push(lines.length);
    badIndex++;
  }
  return { text: lines.join('\r\n'), badRowNumbers };
}

describe('bulk invite', () => {
  it('flags exactly the 20 bad rows of a 200-row CSV, invites the other 180, and a re-run invites nothing new', async () => {
    const { text, badRowNumbers } = csvWithBadRows(180, `b${Date.now().toString(36)}`);
    const preview = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'C:\\fakepath\\team.csv', text });
    expect(preview.counts).toEqual({ total: 200, pending: 180, invited: 0, skipped: 20, failed: 0, held: 0 });
    expect(preview.job).toMatchObject({ status: 'PREVIEWED', fileName: 'team.csv' });
    const flagged = preview.rows.filter((r) => r.status === 'SKIPPED');
    expect(flagged.map((r) => r.rowNumber)).toEqual(badRowNumbers);
    expect(flagged.every((r) => r.reason && r.reason.length > 5)).toBe(true);
    expect(await prisma.membership.count({ where: { organizationId: OPEN_ORG, email: { endsWith: '@bulk.test' } } })).toBe(0);

    const before = (await orgUserEmails(OPEN_ORG)).length;
    const run = await runBulkInvite(olga, OPEN_ORG, preview.job.id, { concurrency: 8 });
    expect(run).toMatchObject({
      done: true,
      stoppedBy: null,
      attempted: 180,
      counts: { invited: 180, skipped: 20, failed: 0, pending: 0 },
    });
    expect(run.job.status).toBe('COMPLETED');
    expect((await orgUserEmails(OPEN_ORG)).length).toBe(before + 180);
    const admins = await prisma.membership.count({
      where: { organizationId: OPEN_ORG, email: { endsWith: '@bulk.test' }, role: 'admin', syncState: 'SYNCED' },
    });
    expect(admins).toBe(18);
    expect(
      await prisma.auditEvent.count({ where: { organizationId: OPEN_ORG, action: 'bulk_invite.completed', targetId: preview.job.id } }),
    ).toBe(1);

    const { csv, fileName } = await bulkResultsCsv(olga, OPEN_ORG, preview.job.id);
    expect(fileName).toBe('team-results.csv');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('"row","email","name","role","result","reason"');
    expect(lines).toHaveLength(201);
    expect(lines.filter((l) => l.includes(',"invited",'))).toHaveLength(180);

    const again = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'team.csv', text });
    expect(again.counts).toMatchObject({ pending: 0, skipped: 200 });
    expect(again.rows.filter((r) => r.reason === 'Already invited.')).toHaveLength(180);
    const rerun = await runBulkInvite(olga, OPEN_ORG, again.job.id);
    expect(rerun.attempted).toBe(0);
    expect((await orgUserEmails(OPEN_ORG)).length).toBe(before + 180);
  }, 90_000);

  it('a re-run after a partial run invites only the missing rows', async () => {
    const tag = `p${Date.now().toString(36)}`;
    const text = ['email', ...Array.from({ length: 10 }, (_, i) => `${tag}.${i}@bulk.test`)].join('\n');
    const first = await previewBulkInvite(olga, OPEN_ORG, { text });
    await runBulkInvite(olga, OPEN_ORG, first.job.id, { maxRows: 4 });
    const second = await previewBulkInvite(olga, OPEN_ORG, { text });
    expect(second.counts).toMatchObject({ pending: 6, skipped: 4 });
    const run = await runBulkInvite(olga, OPEN_ORG, second.job.id);
    expect(run.counts.invited).toBe(6);
    expect((await orgUserEmails(OPEN_ORG)).filter((e) => e.startsWith(`${tag}.`))).toHaveLength(10);
  });

  it.each([
    ['a RESOURCE_EXHAUSTED', { grpcCode: 'RESOURCE_EXHAUSTED', count: 3 }, 'scalekit_rate_limited'],
    ['a delay beyond the timeout', { delayMs: 1_500, count: 3 }, 'scalekit_timeout'],
  ])('%s fault halfway leaves every row truthful, and retrying finishes without duplicates', async (_label, fault, code) => {
    const tag = `f${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
    const emails = Array.from({ length: 30 }, (_, i) => `${tag}.${i}@bulk.test`);
    const { job } = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'fault.csv', text: ['email', ...emails].join('\n') });

    const firstChunk = await runBulkInvite(olga, OPEN_ORG, job.id, { maxRows: 15, concurrency: 4 });
    expect(firstChunk.counts).toMatchObject({ invited: 15, pending: 15 });
    expect(firstChunk.done).toBe(false);
    expect(firstChunk.job.status).toBe('PARTIAL');

    await bed.fault({ target: 'CreateUserAndMembership', ...fault });
    const faulted = await runBulkInvite(olga, OPEN_ORG, job.id, { concurrency: 3 });
    expect(faulted.stoppedBy).toMatchObject({ code });
    expect(faulted.job.status).toBe('PARTIAL');
    expect(faulted.counts.failed).toBeGreaterThanOrEqual(1);
    expect(faulted.counts.failed + faulted.counts.pending + faulted.counts.invited).toBe(30);

    // Truthful: a row is INVITED exactly when Scalekit has the membership.
    const inScalekit = new Set(await orgUserEmails(OPEN_ORG));
    const view = await getBulkJob(olga, OPEN_ORG, job.id);
    for (const row of view.rows) expect([row.email, inScalekit.has(row.email)]).toEqual([row.email, row.status === 'INVITED']);
    for (const row of view.rows.filter((r) => r.status === 'FAILED')) expect(row.reason).toMatch(/Scalekit/);

    await bed.clearFaults();
    const retried = await runBulkInvite(olga, OPEN_ORG, job.id, { retryFailed: true });
    expect(retried).toMatchObject({ done: true, stoppedBy: null, counts: { invited: 30, failed: 0, pending: 0 } });
    expect(retried.job.status).toBe('COMPLETED');
    const after = await orgUserEmails(OPEN_ORG);
    for (const email of emails) expect(after.filter((e) => e === email)).toHaveLength(1);
    expect(await prisma.membership.count({ where: { organizationId: OPEN_ORG, email: { in: emails }, syncState: 'SYNCED' } })).toBe(30);
  });

  it('batched claims and write-backs: every INVITED row is SYNCED with one audit event; a stopped run leaves no claim SENDING', async () => {
    const tag = `k${Date.now().toString(36)}`;
    const emails = Array.from({ length: 150 }, (_, i) => `${tag}.${i}@bulk.test`);
    // One address has a FAILED row from an earlier attempt: the batch claim skips it and the per-row path takes it over.
    await prisma.membership.create({
      data: { organizationId: OPEN_ORG, email: emails[3]!, role: 'member', status: 'PENDING_INVITE', syncState: 'FAILED' },
    });
    const { job } = await previewBulkInvite(olga, OPEN_ORG, { text: ['email', ...emails].join('\n') });
    // Fail a call well inside the second claim batch: the run stops with claimed, unsent rows.
    // Faults apply in order: 90 calls pass (a zero delay), the 91st is throttled.
    await bed.fault({ target: 'CreateUserAndMembership', delayMs: 0, count: 90 });
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'RESOURCE_EXHAUSTED', count: 1 });
    const stopped = await runBulkInvite(olga, OPEN_ORG, job.id, { concurrency: 4 });
    expect(stopped.stoppedBy).toMatchObject({ code: 'scalekit_rate_limited' });
    expect(await prisma.membership.count({ where: { organizationId: OPEN_ORG, email: { in: emails }, syncState: 'SENDING' } })).toBe(0);
    const pendingRows = (await getBulkJob(olga, OPEN_ORG, job.id)).rows.filter((r) => r.status === 'PENDING').map((r) => r.email);
    expect(pendingRows.length).toBeGreaterThan(0);
    expect(await prisma.membership.count({ where: { organizationId: OPEN_ORG, email: { in: pendingRows } } })).toBe(0);

    await bed.clearFaults();
    const done = await runBulkInvite(olga, OPEN_ORG, job.id, { retryFailed: true });
    expect(done.counts).toMatchObject({ invited: 150, skipped: 0, pending: 0, failed: 0 });
    const invited = (await getBulkJob(olga, OPEN_ORG, job.id)).rows.filter((r) => r.status === 'INVITED').map((r) => r.email);
    expect(
      await prisma.membership.count({
        where: { organizationId: OPEN_ORG, email: { in: invited }, syncState: 'SYNCED', userId: { not: null } },
      }),
    ).toBe(150);
    expect(
      await prisma.auditEvent.count({ where: { organizationId: OPEN_ORG, action: 'invitation.created', targetLabel: { in: invited } } }),
    ).toBe(150);
    const inScalekit = await orgUserEmails(OPEN_ORG);
    for (const email of invited) expect(inScalekit.filter((e) => e === email)).toHaveLength(1);
  }, 60_000);

  it('two runs of one job at once share its rows: each row is claimed and sent by one run, and the job completes once', async () => {
    const tag = `c${Date.now().toString(36)}`;
    const emails = Array.from({ length: 150 }, (_, i) => `${tag}.${i}@bulk.test`);
    const { job } = await previewBulkInvite(olga, OPEN_ORG, { text: ['email', ...emails].join('\n') });
    const [a, b] = await Promise.all([
      runBulkInvite(olga, OPEN_ORG, job.id, { concurrency: 4 }),
      runBulkInvite(olga, OPEN_ORG, job.id, { concurrency: 4 }),
    ]);
    // Both did part of the work (claims of 64 rows each), and together all of it, once.
    expect(a.attempted + b.attempted).toBe(150);
    expect(a.attempted).toBeGreaterThan(0);
    expect(b.attempted).toBeGreaterThan(0);
    const rows = (await getBulkJob(olga, OPEN_ORG, job.id)).rows;
    expect(rows.every((r) => r.status === 'INVITED' && r.attempts === 1)).toBe(true);
    expect(
      await prisma.auditEvent.count({ where: { organizationId: OPEN_ORG, action: 'invitation.created', targetLabel: { in: emails } } }),
    ).toBe(150);
    expect(await prisma.auditEvent.count({ where: { organizationId: OPEN_ORG, action: 'bulk_invite.completed', targetId: job.id } })).toBe(
      1,
    );
    const inScalekit = await orgUserEmails(OPEN_ORG);
    for (const email of emails) expect(inScalekit.filter((e) => e === email)).toHaveLength(1);
  }, 60_000);

  it('flags rows over the seat limit and outside the allowed domains in the preview', async () => {
    const seats = await previewBulkInvite(tim, TINY_ORG, {
      text: ['email', ...Array.from({ length: 5 }, () => freshEmail('seat'))].join('\n'),
    });
    // Tiny Co has 3 seats; its admin holds one.
    expect(seats.rows.map((r) => r.status)).toEqual(['PENDING', 'PENDING', 'SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect(seats.rows[2]!.reason).toMatch(/Over the seat limit/);

    const domains = await previewBulkInvite(gina, 'org_globex', {
      text: `email\n${freshEmail('x', 'gmail.test')}\n${freshEmail('y', 'globex.test')}\nriley@consultant.test`,
    });
    expect(domains.rows.map((r) => [r.status, r.reason])).toEqual([
      ['SKIPPED', expect.stringMatching(/Domain not allowed/)],
      ['PENDING', null],
      ['SKIPPED', 'Already a member.'],
    ]);
  });

  it('bulkPolicy_atSend: settings changed after the preview (narrower domains, lower seat limit) → exactly the rows that still pass are invited', async () => {
    const { organization } = await bed.scalekit.organization.createOrganization('Policy Co');
    const orgId = organization!.id;
    await prisma.organization.create({ data: { id: orgId, name: 'Policy Co' } });
    const admin = userActor(orgId, 'admin', { userId: 'usr_policy_admin', email: 'admin@keep.test' });
    await updateOrganizationSettings(admin, orgId, { maxAllowedUsers: 20, allowedEmailDomains: 'keep.test, drop.test' });

    const tag = `pol${Date.now().toString(36)}`;
    const keep = [1, 2, 3, 4].map((i) => `${tag}.k${i}@keep.test`);
    const drop = [1, 2, 3, 4].map((i) => `${tag}.d${i}@drop.test`);
    const text = ['email', ...keep.flatMap((k, i) => [k, drop[i]!])].join('\n');
    const preview = await previewBulkInvite(admin, orgId, { text });
    expect(preview.counts).toMatchObject({ pending: 8, skipped: 0 });

    // Between preview and send an admin narrows the domains and lowers the limit to 2 seats.
    await updateOrganizationSettings(admin, orgId, { maxAllowedUsers: 2, allowedEmailDomains: 'keep.test' });
    const run = await runBulkInvite(admin, orgId, preview.job.id);
    expect(run).toMatchObject({ done: true, counts: { invited: 2, skipped: 6, failed: 0, pending: 0 } });
    const rows = new Map((await getBulkJob(admin, orgId, preview.job.id)).rows.map((r) => [r.email, r]));
    expect(keep.map((e) => rows.get(e)!.status)).toEqual(['INVITED', 'INVITED', 'SKIPPED', 'SKIPPED']);
    for (const e of keep.slice(2))
      expect(rows.get(e)!.reason).toBe('Over the seat limit: Policy Co has 2 seats and none left for this row.');
    for (const e of drop) {
      expect(rows.get(e)).toMatchObject({
        status: 'SKIPPED',
        reason: 'Domain not allowed: Policy Co only invites addresses at keep.test (the setting changed after the preview).',
      });
    }
    expect((await orgUserEmails(orgId)).sort()).toEqual(keep.slice(0, 2).sort());
    expect(await prisma.membership.count({ where: { organizationId: orgId } })).toBe(2);
  });

  it('refuses unreadable files with a clear error and stores nothing', async () => {
    const jobs = await prisma.bulkInviteJob.count();
    await expect(previewBulkInvite(ada, 'org_acme', { text: 'name\nAda' })).rejects.toMatchObject({ code: 'csv_invalid', status: 400 });
    await expect(previewBulkInvite(ada, 'org_acme', { text: 'email\na@x.test', byteLength: 2_000_000 })).rejects.toMatchObject({
      code: 'csv_too_large',
      status: 413,
    });
    expect(await prisma.bulkInviteJob.count()).toBe(jobs);
  });

  it('is for admins of the organization only, and job ids do not cross organizations', async () => {
    await expect(previewBulkInvite(max, 'org_acme', { text: 'email\na@x.test' })).rejects.toBeInstanceOf(ForbiddenError);
    const { job } = await previewBulkInvite(ada, 'org_acme', { text: `email\n${freshEmail()}` });
    await expect(runBulkInvite(max, 'org_acme', job.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runBulkInvite(gina, 'org_globex', job.id)).rejects.toMatchObject({ code: 'job_not_found', status: 404 });
    await expect(bulkResultsCsv(gina, 'org_globex', job.id)).rejects.toMatchObject({ status: 404 });
    expect((await getBulkJob(ada, 'org_acme', job.id)).counts.pending).toBe(1);
  });
});
