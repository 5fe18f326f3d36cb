import { describe, expect, it } from 'vitest';
import { discardBulkJob, previewBulkInvite, runBulkInvite, unfinishedBulkJob } from './bulk';
import { OPEN_ORG, useInvitationTestbed, userActor } from './testing';

const bed = await useInvitationTestbed({ timeoutMs: 1_000 });
const { prisma } = bed.db;

/** Another admin of the same organization: an unfinished job is shown to whoever started it. */
const oscar = userActor(OPEN_ORG, 'admin', { userId: 'usr_oscar', email: 'oscar@open.test' });
const olga = userActor(OPEN_ORG, 'admin', { userId: 'usr_olga', email: 'olga@open.test' });

function csv(tag: string, rows: number): string {
  return ['email,role,name', ...Array.from({ length: rows }, (_, i) => `${tag}.${i}@resume.test,member,Person ${i}`)].join('\n');
}

async function scalekitEmails(orgId: string, suffix: string): Promise<string[]> {
  const emails: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await bed.scalekit.user.listOrganizationUsers(orgId, { pageSize: 100, pageToken });
    emails.push(...page.users.map((u) => u.email).filter((e) => e.endsWith(suffix)));
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return emails;
}

describe('an unfinished bulk job (the tab closed between chunks)', () => {
  it('is found with its counts for the admin who started it, and resuming sends only the rows left, each once', async () => {
    const tag = `r${Date.now().toString(36)}`;
    const preview = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'people.csv', text: csv(tag, 30) });
    // Uploaded and checked but not sent: still unfinished, so the page offers to carry on.
    expect(await unfinishedBulkJob(olga, OPEN_ORG)).toMatchObject({ job: { id: preview.job.id }, counts: { pending: 30, invited: 0 } });

    const first = await runBulkInvite(olga, OPEN_ORG, preview.job.id, { maxRows: 10 });
    expect(first).toMatchObject({ done: false, counts: { invited: 10, pending: 20 } });
    const found = await unfinishedBulkJob(olga, OPEN_ORG);
    expect(found).toMatchObject({
      job: { id: preview.job.id, fileName: 'people.csv' },
      counts: { total: 30, invited: 10, pending: 20, skipped: 0, failed: 0, held: 0 },
    });
    expect(await unfinishedBulkJob(oscar, OPEN_ORG)).toBeNull();

    // Resume: the same pipeline, which only ever takes PENDING rows.
    let run = await runBulkInvite(olga, OPEN_ORG, preview.job.id, { maxRows: 10 });
    while (!run.done) run = await runBulkInvite(olga, OPEN_ORG, preview.job.id, { maxRows: 10 });
    expect(run.counts).toMatchObject({ invited: 30, pending: 0 });
    const emails = await scalekitEmails(OPEN_ORG, '@resume.test');
    expect(emails.filter((e) => e.startsWith(`${tag}.`)).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `${tag}.${i}@resume.test`).sort(),
    );
    const rows = await prisma.bulkInviteRow.findMany({ where: { jobId: preview.job.id } });
    expect(rows.every((r) => r.status === 'INVITED' && r.attempts === 1)).toBe(true);
    expect(await unfinishedBulkJob(olga, OPEN_ORG)).toBeNull();
  });

  it('is discarded: rows left end SKIPPED with why, nothing more is sent, and it is no longer offered', async () => {
    const tag = `d${Date.now().toString(36)}`;
    const preview = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'drop.csv', text: csv(tag, 12) });
    await runBulkInvite(olga, OPEN_ORG, preview.job.id, { maxRows: 4 });
    const discarded = await discardBulkJob(olga, OPEN_ORG, preview.job.id);
    expect(discarded.counts).toEqual({ total: 12, invited: 4, pending: 0, skipped: 8, failed: 0, held: 0 });
    const skipped = await prisma.bulkInviteRow.findMany({ where: { jobId: preview.job.id, status: 'SKIPPED' } });
    expect(skipped.every((r) => r.reason === 'Not sent: the rest of this file was discarded.')).toBe(true);
    expect(await unfinishedBulkJob(olga, OPEN_ORG)).toBeNull();
    expect((await scalekitEmails(OPEN_ORG, '@resume.test')).filter((e) => e.startsWith(`${tag}.`))).toHaveLength(4);
    // A resume from an old tab afterwards has nothing to send.
    expect(await runBulkInvite(olga, OPEN_ORG, preview.job.id, { maxRows: 10 })).toMatchObject({ attempted: 0, done: true });
  });

  it('discarded while a worker sends: rows it holds finish, only the free ones are skipped; not from another organization', async () => {
    const preview = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'busy.csv', text: csv(`b${Date.now().toString(36)}`, 3) });
    // A run elsewhere holds row 1 (claimed a moment ago).
    const [held] = preview.rows;
    await prisma.bulkInviteRow.update({ where: { id: held!.id }, data: { claimedBy: 'another-run', claimedAt: new Date() } });
    await prisma.bulkInviteJob.update({ where: { id: preview.job.id }, data: { status: 'RUNNING' } });
    const discarded = await discardBulkJob(olga, OPEN_ORG, preview.job.id);
    expect(discarded.counts).toMatchObject({ pending: 1, skipped: 2 });
    expect(discarded.rows.find((r) => r.id === held!.id)).toMatchObject({ status: 'PENDING', claimedBy: 'another-run' });
    // Still shown as being sent: the held row is on its way.
    expect(await unfinishedBulkJob(olga, OPEN_ORG)).toMatchObject({ job: { id: preview.job.id, status: 'RUNNING' } });

    const acmeAdmin = userActor('org_acme', 'admin', { userId: 'usr_ada', email: 'ada@acme.test' });
    await expect(discardBulkJob(acmeAdmin, 'org_acme', preview.job.id)).rejects.toMatchObject({ code: 'job_not_found', status: 404 });
  });
});
