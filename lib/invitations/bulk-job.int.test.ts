import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createBoss, sendJob } from '@/lib/jobs/boss';
import { defineJob, jobs as appJobs, type JobRegistry } from '@/lib/jobs/registry';
import { capturingLogger, FAST, waitFor } from '@/lib/jobs/testing';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { previewBulkInvite } from './bulk';
import { bulkProgress, queueBulkSend, runBulkJob } from './bulk-job';
import { BULK_QUEUE } from './bulk-job-data';
import { olga, OPEN_ORG, useInvitationTestbed } from './testing';

// 1,000-row files from one admin, several times over: above the hourly invite limit otherwise.
process.env.RATE_LIMIT_INVITES_PER_ADMIN_PER_HOUR = '100000';
process.env.RATE_LIMIT_INVITES_PER_ORG_PER_HOUR = '100000';
const bed = await useInvitationTestbed({ timeoutMs: 1_000 });
const { prisma, url } = bed.db;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const running: RunningWorker[] = [];
afterAll(async () => {
  await Promise.all(running.map((w) => w.stop()));
});

/** The app's bulk job with test-sized slices and retry delays, run by `worker` (which slice ran where). */
function bulkRegistry(worker: number, ran: number[], { sliceMs = 60_000, concurrency = 2 } = {}): JobRegistry {
  return {
    'bulk-invite.run': defineJob({
      ...appJobs['bulk-invite.run'],
      run: (data, context) => {
        ran.push(worker);
        return runBulkJob(data, context, { sliceMs, retryDelaySeconds: 1 });
      },
      queue: { ...BULK_QUEUE, retryDelay: 1 },
      concurrency,
    }),
  };
}

async function worker(jobs: JobRegistry, options: Parameters<typeof startWorker>[0] = {}): Promise<RunningWorker> {
  const w = await startWorker({ connectionString: url, poolSize: 3, timing: FAST, jobs, stopTimeoutMs: 5_000, ...options });
  running.push(w);
  return w;
}

function csv(tag: string, rows: number): string {
  return ['email,role,name', ...Array.from({ length: rows }, (_, i) => `${tag}.${i}@jobs.test,member,Person ${i}`)].join('\n');
}

/** Every address Scalekit holds in the org with this tag, duplicates included. */
async function scalekitEmails(tag: string): Promise<string[]> {
  const emails: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await bed.scalekit.user.listOrganizationUsers(OPEN_ORG, { pageSize: 100, pageToken });
    emails.push(...page.users.map((u) => u.email).filter((e) => e.startsWith(`${tag}.`)));
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return emails;
}

/** Exactly one invitation per row: in Scalekit, in the mirror, in the rows and in the audit log. */
async function expectEachRowInvitedOnce(tag: string, jobId: string, rows: number) {
  const expected = Array.from({ length: rows }, (_, i) => `${tag}.${i}@jobs.test`).sort();
  expect((await scalekitEmails(tag)).sort()).toEqual(expected);
  const mirrored = await prisma.membership.findMany({
    where: { organizationId: OPEN_ORG, email: { startsWith: `${tag}.` } },
    select: { email: true, syncState: true, status: true },
  });
  expect(mirrored.map((m) => m.email).sort()).toEqual(expected);
  expect(mirrored.every((m) => m.syncState === 'SYNCED' && m.status === 'PENDING_INVITE')).toBe(true);
  const byStatus = await prisma.bulkInviteRow.groupBy({ by: ['status'], where: { jobId }, _count: { _all: true } });
  expect(byStatus.map((g) => [g.status, g._count._all])).toEqual([['INVITED', rows]]);
  expect(
    await prisma.auditEvent.count({
      where: { organizationId: OPEN_ORG, action: 'invitation.created', targetLabel: { startsWith: `${tag}.` } },
    }),
  ).toBe(rows);
  expect(await prisma.auditEvent.count({ where: { action: 'bulk_invite.completed', targetId: jobId } })).toBe(1);
}

const finished = (jobId: string, timeoutMs: number) =>
  waitFor(
    `bulk job ${jobId} to finish`,
    async () => {
      const progress = await bulkProgress(olga, OPEN_ORG, jobId);
      return progress.status === 'COMPLETED' || progress.status === 'PARTIAL' ? progress : undefined;
    },
    timeoutMs,
  );

/** `npm run worker` in its own process, as production runs it. */
function workerProcess(): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: url, DATABASE_POOL_MAX: '3' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  return { child, output: () => output };
}

async function started(proc: { child: ChildProcess; output: () => string }) {
  await waitFor(
    'the worker process to start',
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`The worker exited:\n${proc.output()}`);
      return proc.output().includes('"msg":"job worker started"');
    },
    30_000,
  );
}

describe('bulk invite as a background job (bulk-invite.run)', () => {
  it('a worker killed halfway through 1,000 rows and restarted ends with exactly 1,000 invitations (a worker process, SIGKILL), none sent twice', async () => {
    const tag = `k${Date.now().toString(36)}`;
    const { job } = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'kill.csv', text: csv(tag, 1_000) });

    const first = workerProcess();
    const second: { proc?: ReturnType<typeof workerProcess> } = {};
    // Only expiry happens here (no queues worked): it notices the killed worker's job, as any worker's maintenance would.
    const supervisor = createBoss({ connectionString: url, poolSize: 1, timing: { maintenanceIntervalSeconds: 1 } });
    try {
      await started(first);
      const sender = createBoss({ connectionString: url, poolSize: 1, sendOnly: true });
      await sender.start();
      // Test-sized expiry, set after the worker applied the app's queue settings (a job takes its queue's at send time).
      await sender.updateQueue('bulk-invite.run', {
        ...BULK_QUEUE,
        name: 'bulk-invite.run',
        policy: 'standard',
        expireInSeconds: 3,
        retryDelay: 1,
      });
      expect(await queueBulkSend(olga, OPEN_ORG, job.id, { boss: sender })).toMatchObject({ status: 'QUEUED', active: true });
      await sender.stop();

      await waitFor(
        'about half the rows to be sent',
        async () => (await prisma.bulkInviteRow.count({ where: { jobId: job.id, status: 'INVITED' } })) >= 450,
        60_000,
      );
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      const atKill = await prisma.bulkInviteRow.count({ where: { jobId: job.id, status: 'INVITED' } });
      expect(atKill).toBeLessThan(1_000);
      // Sent to Scalekit or claimed but not yet written back: what the restart must not send again.
      expect(await prisma.bulkInviteRow.count({ where: { jobId: job.id, status: 'PENDING' } })).toBeGreaterThan(0);

      await supervisor.start();
      second.proc = workerProcess();
      await started(second.proc);
      expect(await finished(job.id, 120_000)).toMatchObject({ status: 'COMPLETED', counts: { invited: 1_000, pending: 0, failed: 0 } });
    } finally {
      first.child.kill('SIGKILL');
      second.proc?.child.kill('SIGTERM');
      await supervisor.stop({ graceful: false }).catch(() => {});
    }
    await expectEachRowInvitedOnce(tag, job.id, 1_000);
  }, 240_000);

  it('two workers never send one row twice: one 1,000-row file sent twice at once, in slices that hop between them', async () => {
    const tag = `t${Date.now().toString(36)}`;
    const { job } = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'two.csv', text: csv(tag, 1_000) });
    const ran: number[] = [];
    // One job at a time per worker: while one worker runs the first job, the second job can only go to the other.
    const [a] = await Promise.all([0, 1].map((i) => worker(bulkRegistry(i, ran, { sliceMs: 1_500, concurrency: 1 }))));
    // A double click: two jobs for one file, running at the same time on both workers.
    await Promise.all([queueBulkSend(olga, OPEN_ORG, job.id, { boss: a!.boss }), queueBulkSend(olga, OPEN_ORG, job.id, { boss: a!.boss })]);
    expect(await finished(job.id, 90_000)).toMatchObject({ status: 'COMPLETED', counts: { invited: 1_000 } });
    await Promise.all(running.splice(0).map((w) => w.stop()));

    expect(new Set(ran)).toEqual(new Set([0, 1]));
    await expectEachRowInvitedOnce(tag, job.id, 1_000);
  }, 120_000);

  it('Scalekit 429 and 503 mid-file: the job pauses, says so, retries itself with backoff and finishes with no duplicates', async () => {
    const tag = `f${Date.now().toString(36)}`;
    const { job } = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'faults.csv', text: csv(tag, 300) });
    const { logger, lines } = capturingLogger();
    const w = await worker(bulkRegistry(0, []), { logger });
    // 100 calls go through, then a 429; later an outage that outlasts the SDK's own retries (4 attempts on each of 8 lanes).
    await bed.fault({ target: 'CreateUserAndMembership', delayMs: 0, count: 100 });
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'RESOURCE_EXHAUSTED', count: 1 });
    const paused: string[] = [];
    await queueBulkSend(olga, OPEN_ORG, job.id, { boss: w.boss });
    const watch = setInterval(() => {
      void bulkProgress(olga, OPEN_ORG, job.id).then((p) => {
        if (p.active && p.lastError) paused.push(p.lastError);
      });
    }, 100);
    try {
      await waitFor('the first retry', async () => lines.some((l) => l.msg === 'job failed' && l.retrying === true), 30_000);
      await bed.fault({ target: 'CreateUserAndMembership', delayMs: 0, count: 80 });
      await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'UNAVAILABLE', count: 40 });
      expect(await finished(job.id, 90_000)).toMatchObject({ status: 'COMPLETED', counts: { invited: 300, failed: 0 } });
    } finally {
      clearInterval(watch);
      await bed.clearFaults();
      await Promise.all(running.splice(0).map((x) => x.stop()));
    }
    const failures = lines.filter((l) => l.msg === 'job failed');
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.every((l) => l.retrying === true)).toBe(true);
    expect(paused.some((m) => /Scalekit is not answering right now \(Scalekit is rate-limiting/.test(m))).toBe(true);
    expect((await bulkProgress(olga, OPEN_ORG, job.id)).lastError).toBeNull();
    await expectEachRowInvitedOnce(tag, job.id, 300);
  }, 120_000);

  it('checks the sender again when it runs: an admin demoted after confirming sends nothing, and the job says why', async () => {
    const tag = `d${Date.now().toString(36)}`;
    const { job } = await previewBulkInvite(olga, OPEN_ORG, { fileName: 'demoted.csv', text: csv(tag, 5) });
    const sender = createBoss({ connectionString: url, poolSize: 1, sendOnly: true });
    await sender.start();
    try {
      await queueBulkSend(olga, OPEN_ORG, job.id, { boss: sender });
    } finally {
      await sender.stop();
    }
    const membership = await prisma.membership.findFirstOrThrow({ where: { organizationId: OPEN_ORG, userId: 'usr_olga' } });
    await prisma.membership.update({ where: { id: membership.id }, data: { role: 'member', permissions: [] } });
    try {
      await worker(bulkRegistry(0, []));
      const progress = await finished(job.id, 30_000);
      expect(progress).toMatchObject({ status: 'PARTIAL', active: false, counts: { pending: 5, invited: 0 } });
      expect(progress.lastError).toMatch(/can no longer invite people here/);
      expect(await scalekitEmails(tag)).toEqual([]);
    } finally {
      await Promise.all(running.splice(0).map((x) => x.stop()));
      await prisma.membership.update({
        where: { id: membership.id },
        data: { role: membership.role, permissions: membership.permissions },
      });
    }
  });

  it('refuses a bad payload at the sender, naming the field, and queues nothing', async () => {
    const sender = createBoss({ connectionString: url, poolSize: 1, sendOnly: true });
    await sender.start();
    try {
      await expect(
        // @ts-expect-error: the payload the schema refuses
        sendJob(sender, 'bulk-invite.run', { organizationId: OPEN_ORG, bulkJobId: 'x', actor: { userId: '' } }),
      ).rejects.toMatchObject({ code: 'invalid_job_data', status: 400, message: expect.stringMatching(/actor\.userId/) });
    } finally {
      await sender.stop();
    }
  });
});
