import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEmptyDatabase, prismaCli, useTestDatabase } from '@/test/database';
import { createBoss, JobError, JOBS_SCHEMA, sendJob } from '@/lib/jobs/boss';
import { defineJob, jobs as appJobs, type JobRegistry } from '@/lib/jobs/registry';
import { capturingLogger, FAST, jobFinished, waitFor } from '@/lib/jobs/testing';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';

const { prisma, url } = await useTestDatabase();

const HOUR = 3_600_000;

async function withWorkers<T>(
  count: number,
  options: Parameters<typeof startWorker>[0],
  fn: (workers: RunningWorker[]) => Promise<T>,
): Promise<T> {
  const workers = await Promise.all(
    Array.from({ length: count }, () => startWorker({ connectionString: url, poolSize: 3, timing: FAST, ...options })),
  );
  try {
    return await fn(workers);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

describe('job worker', () => {
  it('runs a queued rate-limit.prune job end to end: ended windows deleted, live ones kept, and stops cleanly', async () => {
    await prisma.rateLimitBucket.createMany({
      data: [
        ...Array.from({ length: 40 }, (_, i) => ({ key: `login:ip:spoofed-${i}`, count: 1, resetAt: new Date(Date.now() - 2 * HOUR) })),
        { key: 'login:ip:203.0.113.9', count: 3, resetAt: new Date(Date.now() + 60_000) },
      ],
    });
    const { logger, lines } = capturingLogger();

    const worker = await startWorker({ connectionString: url, poolSize: 3, timing: FAST, logger, stopTimeoutMs: 2_000 });
    const id = await sendJob(worker.boss, 'rate-limit.prune', { batchSize: 16 });
    const job = await jobFinished(worker.boss, 'rate-limit.prune', id!);
    const stopStarted = Date.now();
    await worker.stop();

    expect(job.state).toBe('completed');
    expect(job.output).toEqual({ deleted: 40, batches: 3, more: false });
    expect(await prisma.rateLimitBucket.count({ where: { key: { startsWith: 'login:ip:spoofed-' } } })).toBe(0);
    expect(await prisma.rateLimitBucket.findUnique({ where: { key: 'login:ip:203.0.113.9' } })).toMatchObject({ count: 3 });

    expect(Date.now() - stopStarted).toBeLessThan(5_000);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['job worker started', 'rate-limit buckets pruned', 'job worker stopped']),
    );
    // The connection string never reaches the log (it carries the database password in production).
    expect(JSON.stringify(lines)).not.toContain(new URL(url).pathname.slice(1));
  });

  it('keeps its tables in their own schema, created by pg-boss, and schedules the prune every five minutes (UTC)', async () => {
    await withWorkers(1, {}, async ([worker]) => {
      const schedules = await worker!.boss.getSchedules();
      expect(schedules.find((s) => s.name === 'rate-limit.prune')).toEqual(
        expect.objectContaining({ name: 'rate-limit.prune', cron: '*/5 * * * *', timezone: 'UTC' }),
      );
      // Exactly the registry's scheduled jobs, nothing else (outbound webhooks add their own).
      expect(schedules.map((s) => s.name).sort()).toEqual(
        Object.entries(appJobs)
          .filter(([, d]) => 'schedule' in d && d.schedule)
          .map(([n]) => n)
          .sort(),
      );
    });
    const tables = await prisma.$queryRaw<Array<{ schema: string }>>`
      SELECT DISTINCT table_schema AS schema FROM information_schema.tables WHERE table_name = 'job'`;
    expect(tables).toEqual([{ schema: JOBS_SCHEMA }]);
  });

  it('two workers on one database: every job runs exactly once, and a cron tick becomes one job, not one per worker', async () => {
    // A cron tick that is due only during the current minute: afterwards no further tick is due,
    // so over the whole test exactly one scheduled job must appear (none if the tick were lost,
    // two if each worker sent its own). Too close to the minute's end, wait for the next one.
    if (new Date().getUTCSeconds() >= 50) await new Promise((r) => setTimeout(r, (61 - new Date().getUTCSeconds()) * 1000));
    const minute = new Date().getUTCMinutes();
    const testStarted = new Date();
    const runs: Array<{ id: string; worker: number }> = [];
    const registryFor = (worker: number): JobRegistry => ({
      'test.record': defineJob({
        data: z.strictObject({}),
        async run(_data, { jobId }) {
          runs.push({ id: jobId, worker });
          await new Promise((r) => setTimeout(r, 20));
        },
        concurrency: 5,
      }),
      'rate-limit.prune': { ...appJobs['rate-limit.prune'], schedule: { cron: `${minute} * * * *` } },
    });
    const workers = await Promise.all(
      [0, 1].map((i) => startWorker({ connectionString: url, poolSize: 4, timing: FAST, jobs: registryFor(i) })),
    );
    const [first, second] = workers as [RunningWorker, RunningWorker];
    try {
      const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? first : second).boss.send('test.record', {})));
      for (const id of ids) await jobFinished(first.boss, 'test.record', id!);

      const pruneJobs = () =>
        prisma.$queryRawUnsafe<Array<{ id: string; state: string }>>(
          `SELECT id::text, state::text FROM ${JOBS_SCHEMA}.job WHERE name = 'rate-limit.prune' AND created_on >= $1`,
          testStarted,
        );
      const scheduled = await waitFor('the scheduled prune job to complete', async () => {
        const rows = await pruneJobs();
        return rows.length > 0 && rows.every((r) => r.state === 'completed') ? rows : undefined;
      });
      expect(scheduled).toHaveLength(1);
      // Both workers keep checking the schedule every second: a few more ticks must add nothing.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await pruneJobs()).toHaveLength(1);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }

    expect(runs).toHaveLength(30);
    expect(new Set(runs.map((r) => r.id)).size).toBe(30);
    // Both took part, so "once" is not just one worker doing everything.
    expect(new Set(runs.map((r) => r.worker))).toEqual(new Set([0, 1]));
  });

  it('several workers starting at once on a database without pg-boss all start (queue creation is serialised, not deadlocked)', async () => {
    const fresh = await createEmptyDatabase();
    const registry: JobRegistry = Object.fromEntries(
      ['test.a', 'test.b', 'test.c'].map((name) => [name, defineJob({ data: z.strictObject({}), run: async () => name })]),
    );
    try {
      const { logger, lines } = capturingLogger();
      const workers = await Promise.all(
        Array.from({ length: 4 }, () => startWorker({ connectionString: fresh.url, poolSize: 2, timing: FAST, jobs: registry, logger })),
      );
      try {
        const queues = (await workers[0]!.boss.getQueues()).map((q) => q.name).sort();
        expect(queues).toEqual(['__pgboss__send-it', 'test.a', 'test.b', 'test.c']);
        const id = await workers[3]!.boss.send('test.c', {});
        expect((await jobFinished(workers[0]!.boss, 'test.c', id!)).output).toEqual({ value: 'test.c' });
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });

  it('stopping lets a running job finish first, then closes; nothing is left active', async () => {
    let finished = false;
    const registry: JobRegistry = {
      'test.slow': defineJob({
        data: z.strictObject({}),
        async run() {
          await new Promise((r) => setTimeout(r, 1_500));
          finished = true;
          return { ok: true };
        },
      }),
    };
    const worker = await startWorker({ connectionString: url, poolSize: 2, timing: FAST, jobs: registry, stopTimeoutMs: 10_000 });
    const id = (await worker.boss.send('test.slow', {}))!;
    await waitFor('the slow job to start', async () => (await worker.boss.getJobById('test.slow', id))?.state === 'active');

    await worker.stop();
    expect(finished).toBe(true);
    const [row] = await prisma.$queryRawUnsafe<Array<{ state: string }>>(
      `SELECT state::text FROM ${JOBS_SCHEMA}.job WHERE id = $1::uuid`,
      id,
    );
    expect(row).toEqual({ state: 'completed' });
    await worker.stop(); // a second stop is a no-op
  });

  it('a failing job is logged without its payload or secrets, and fails after its retries', async () => {
    const registry: JobRegistry = {
      'test.broken': defineJob({
        data: z.strictObject({ email: z.string() }),
        async run() {
          throw new Error('upstream refused client secret sks_live_0123456789abcdef');
        },
        queue: { retryLimit: 0 },
      }),
    };
    const { logger, lines } = capturingLogger();
    await withWorkers(1, { jobs: registry, logger }, async ([worker]) => {
      const id = await worker!.boss.send('test.broken', { email: 'private.person@example.test' });
      const job = await jobFinished(worker!.boss, 'test.broken', id!);
      expect(job.state).toBe('failed');
      // The stored error is scrubbed as well.
      expect(JSON.stringify(job.output)).toContain('sks_[redacted]');
      expect(JSON.stringify(job.output)).not.toContain('0123456789abcdef');
    });
    const failed = lines.find((l) => l.msg === 'job failed');
    expect(failed).toMatchObject({
      level: 'error',
      job: 'test.broken',
      attempt: 1,
      retrying: false,
      err: { message: expect.stringContaining('sks_[redacted]') },
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('0123456789abcdef');
    expect(text).not.toContain('private.person@example.test');
  });

  it('a database that cannot be reached fails the start with a message naming the problem, not the connection string', async () => {
    const { logger, lines } = capturingLogger();
    const unreachable = 'postgresql://teamgate:pw-that-must-not-leak@127.0.0.1:1/teamgate_prod';
    const starting = startWorker({ connectionString: unreachable, poolSize: 1, logger });
    await expect(starting).rejects.toMatchObject({
      name: 'JobError',
      status: 500,
      message: expect.stringMatching(/^The job worker could not start: .*ECONNREFUSED/),
    });
    const everything = JSON.stringify(lines) + String(await starting.catch((e: Error) => e.message));
    expect(everything).not.toContain('pw-that-must-not-leak');
    expect(everything).not.toContain('teamgate_prod');
  });

  it('Prisma sees no drift after pg-boss installed its schema: the migrations stay separate', async () => {
    await withWorkers(1, {}, async () => {});
    const { stdout } = await prismaCli(
      ['migrate', 'diff', '--from-config-datasource', '--to-schema', 'prisma/schema.prisma', '--exit-code'],
      url,
    );
    expect(stdout).toContain('No difference detected');
  });

  it('refuses an invalid payload at the sender with a message naming the field, queueing nothing', async () => {
    await withWorkers(1, {}, async ([worker]) => {
      const before = await worker!.boss.getQueueSize('rate-limit.prune');
      const sending = sendJob(worker!.boss, 'rate-limit.prune', { batchSize: 0 });
      await expect(sending).rejects.toBeInstanceOf(JobError);
      await expect(sendJob(worker!.boss, 'rate-limit.prune', { batchSize: 0 })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('batchSize'),
      });
      expect(await worker!.boss.getQueueSize('rate-limit.prune')).toBe(before);
    });
  });

  it('a job sent from another process starts at once: its NOTIFY wakes the worker well before the next poll', async () => {
    const started: number[] = [];
    const registry: JobRegistry = {
      'rate-limit.prune': defineJob({
        data: appJobs['rate-limit.prune'].data,
        async run() {
          started.push(Date.now());
          return { deleted: 0 };
        },
        // An idle worker would look again only after 30 s.
        pollingIntervalSeconds: 30,
      }),
    };
    await withWorkers(1, { jobs: registry }, async () => {
      // Its first fetch (at start) found nothing; the next poll is 30 s away.
      await new Promise((r) => setTimeout(r, 1_000));
      const sender = createBoss({ connectionString: url, poolSize: 1, sendOnly: true });
      await sender.start();
      try {
        const sentAt = Date.now();
        await sendJob(sender, 'rate-limit.prune', { batchSize: 16 });
        await waitFor('the job to start', async () => started.length > 0, 10_000);
        expect(started[0]! - sentAt).toBeLessThan(3_000);
      } finally {
        await sender.stop();
      }
    });
  });
});
