// Bulk invite of a 1,000-row CSV through the real service, the real SDK and the
// emulator (its own process), into a fresh PostgreSQL database: preview
// (parse + per-row checks) and send, which is a background job (`bulk-invite.run`)
// on an in-process pg-boss worker with the app's own job settings.
//
// Compared in the same run with the same Scalekit calls made straight from the SDK at the
// same concurrency (createUserAndMembership with the inviter, updateMembership for admin rows),
// in ABBA order so that a growing emulator favours neither: ratio target ≤ 1.15.
// Then one 10,000-row job (the CSV limit is per file; the job takes any size, so its rows are
// written directly) to show memory stays flat: peak RSS and heap printed for both sizes.
//
//   npx tsx bench/bulk-invite.ts [--rows 1000] [--concurrency 8] [--big 10000]
//
// BENCH_CPU_PROFILE=/tmp/queue.cpuprofile writes a CPU profile of the two timed queue runs only
// (open it in Chrome DevTools or speedscope): where the app's time per row goes.

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
import { numberArgs } from './support/args.js';
import { BENCH_ORG as ORG, benchAdmin as actor, startAppBenchStack } from './support/app-stack.js';

const { rows: rowCount, concurrency, big } = numberArgs({ rows: 1000, concurrency: 8, big: 10_000 });

// One admin sends tens of thousands of invitations here; the hourly limits have their own tests.
const stack = await startAppBenchStack({
  env: { RATE_LIMIT_INVITES_PER_ADMIN_PER_HOUR: '1000000', RATE_LIMIT_INVITES_PER_ORG_PER_HOUR: '1000000' },
});

const { getDb } = await import('../lib/db');
const { previewBulkInvite, runBulkInvite } = await import('../lib/invitations/bulk');
const { bulkProgress, queueBulkSend } = await import('../lib/invitations/bulk-job');
const { createUserAndMembershipAs } = await import('../lib/invitations/scalekit-membership');
const { runPool } = await import('../lib/concurrency/worker-pool');
const { startWorker } = await import('../lib/jobs/worker');
const { getScalekit } = await import('../lib/scalekit/client');

/**
 * Peak RSS and heap while `fn` runs, sampled every 10 ms, and (with --expose-gc) the heap still
 * in use after a full collection at its end: the peaks include garbage not yet collected.
 */
async function measured<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number; cpuMs: number; rss: number; heap: number; retained: number | null }> {
  global.gc?.();
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 25);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    const value = await fn();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    global.gc?.();
    return { value, ms, cpuMs, rss, heap, retained: global.gc ? process.memoryUsage().heapUsed : null };
  } finally {
    clearInterval(sampler);
  }
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const worker = await startWorker({ poolSize: 4 });
// The bench watches jobs on a plain pg connection of its own, not the app's Prisma client: the
// watching costs the process it measures as little as possible.
const watch = new pg.Client({ connectionString: process.env.DATABASE_URL });
await watch.connect();
try {
  const people = (tag: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      email: `bench.${tag}.${i}@bulk.test`,
      role: i % 20 === 0 ? 'admin' : 'member',
      first: 'Bench',
      last: `Person ${i}`,
    }));
  // Warm-up: the SDK's client-credentials token and the HTTP/2 session, as in a running app.
  const scalekit = getScalekit();
  await scalekit.organization.getOrganization(ORG);

  // Finished = no row left PENDING, or the job stopped. Watched with one indexed query every 10 ms
  // rather than bulkProgress (the job row plus a GROUP BY of every row) every 20 ms: the page polls
  // that once a second, and at 50 per second it was the bench loading the process it measures.
  // bulkProgress reads the outcome once at the end.
  const untilDone = async (jobId: string) => {
    for (;;) {
      const {
        rows: [state],
      } = await watch.query<{ status: string; pending: boolean }>(
        `SELECT status::text, EXISTS (SELECT 1 FROM "BulkInviteRow" WHERE "jobId" = $1 AND status = 'PENDING') AS pending
         FROM "BulkInviteJob" WHERE id = $1`,
        [jobId],
      );
      if (!state!.pending || !['QUEUED', 'RUNNING'].includes(state!.status)) return bulkProgress(actor, ORG, jobId);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  /** The pipeline: queue the job (as the Send button does) and wait until the worker has finished it. */
  const viaQueue = async (n: number) => {
    const tag = randomBytes(3).toString('hex');
    const csv = ['email,role,name', ...people(tag, n).map((p) => `${p.email},${p.role},"${p.first} ${p.last}"`)].join('\r\n');
    const t0 = performance.now();
    const preview = await previewBulkInvite(actor, ORG, { fileName: 'bench.csv', text: csv });
    const previewMs = performance.now() - t0;
    const sent = await measured(async () => {
      await queueBulkSend(actor, ORG, preview.job.id, { boss: worker.boss });
      return untilDone(preview.job.id);
    });
    if (sent.value.counts.invited !== n) throw new Error(`queue run invited ${sent.value.counts.invited} of ${n}`);
    return { previewMs, ...sent };
  };

  /** The pipeline called in-process, no queue: what the queue itself adds is the difference. */
  const direct = async (n: number) => {
    const tag = randomBytes(3).toString('hex');
    const csv = ['email,role,name', ...people(tag, n).map((p) => `${p.email},${p.role},"${p.first} ${p.last}"`)].join('\r\n');
    const preview = await previewBulkInvite(actor, ORG, { fileName: 'bench.csv', text: csv });
    return measured(() => runBulkInvite(actor, ORG, preview.job.id, { concurrency }));
  };

  /** The same Scalekit calls, straight from the SDK, same concurrency, nothing else. */
  const rawSdk = async (n: number) =>
    measured(() =>
      runPool(people(randomBytes(3).toString('hex'), n), concurrency, async (p) => {
        const res = await createUserAndMembershipAs(
          scalekit,
          ORG,
          { email: p.email, userProfile: { firstName: p.first, lastName: p.last }, sendInvitationEmail: true },
          actor.email,
        );
        if (p.role !== 'member') await scalekit.user.updateMembership(ORG, res.user!.id, { roles: [p.role] });
      }),
    );

  // Warm-up, not counted: JIT, connection pools, the worker's first poll.
  await direct(100);
  await rawSdk(100);
  await viaQueue(100);
  const direct1 = await direct(rowCount);
  const raw1 = await rawSdk(rowCount);
  const profiler = process.env.BENCH_CPU_PROFILE ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const queue1 = await viaQueue(rowCount);
  const queue2 = await viaQueue(rowCount);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(process.env.BENCH_CPU_PROFILE!, JSON.stringify(profile));
    profiler.disconnect();
  }
  const raw2 = await rawSdk(rowCount);
  const direct2 = await direct(rowCount);
  const rawMs = raw1.ms + raw2.ms;
  const queueMs = queue1.ms + queue2.ms;
  const ratio = queueMs / rawMs;
  console.log(`bulk invite, ${rowCount} rows, concurrency ${concurrency} (emulator in its own process; ABBA order)`);
  console.log(`  preview (parse + checks + store): ${queue1.previewMs.toFixed(0)} / ${queue2.previewMs.toFixed(0)} ms`);
  console.log(`  raw SDK calls:        ${(raw1.ms / 1000).toFixed(2)} s, ${(raw2.ms / 1000).toFixed(2)} s`);
  console.log(
    `  through the queue:    ${(queue1.ms / 1000).toFixed(2)} s, ${(queue2.ms / 1000).toFixed(2)} s  (send → job finished, worker polling included)`,
  );
  console.log(
    `  pipeline, no queue:   ${(direct1.ms / 1000).toFixed(2)} s, ${(direct2.ms / 1000).toFixed(2)} s  (runBulkInvite in-process)`,
  );
  // This process's CPU per row (the app: SDK, Prisma, pg-boss; not the emulator's or PostgreSQL's):
  // less sensitive to a busy machine than the wall clock.
  const perRow = (...runs: Array<{ cpuMs: number }>) => runs.map((r) => (r.cpuMs / rowCount).toFixed(2)).join(' / ');
  console.log(`  app CPU per row:      raw ${perRow(raw1, raw2)} ms, through the queue ${perRow(queue1, queue2)} ms`);
  console.log(`  ratio queue / raw: ${ratio.toFixed(3)}   target ≤ 1.15: ${ratio <= 1.15 ? 'met' : 'MISSED'}`);

  // One big job: rows written directly (the CSV limit is per file), then queued like any other.
  const tag = randomBytes(3).toString('hex');
  const job = await getDb().bulkInviteJob.create({ data: { organizationId: ORG, createdByUserId: actor.userId, fileName: 'big.csv' } });
  const rows = people(tag, big);
  for (let i = 0; i < rows.length; i += 5_000) {
    await getDb().bulkInviteRow.createMany({
      data: rows
        .slice(i, i + 5_000)
        .map((p, j) => ({ jobId: job.id, rowNumber: i + j + 2, email: p.email, role: p.role, name: `${p.first} ${p.last}` })),
    });
  }
  // The live heap as the job goes (with --expose-gc): a full collection each time another 1,000
  // rows are sent, then heapUsed. Flat from the first thousand to the last = nothing accumulates
  // per row; the peaks above are garbage a collection had not taken yet.
  const live: Array<{ rows: number; heap: number; rss: number }> = [];
  let watching = Boolean(global.gc);
  const watcher = (async () => {
    while (watching) {
      const [counted] = await getDb().$queryRaw<Array<{ sent: number }>>`
        SELECT count(*)::int AS sent FROM "BulkInviteRow" WHERE "jobId" = ${job.id} AND status <> 'PENDING'`;
      const sent = counted?.sent ?? 0;
      if (sent >= (live.length + 1) * 1_000) {
        global.gc!();
        live.push({ rows: sent, heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const bigRun = await measured(async () => {
    await queueBulkSend(actor, ORG, job.id, { boss: worker.boss });
    return untilDone(job.id);
  });
  watching = false;
  await watcher;
  if (global.gc) {
    global.gc();
    live.push({
      rows: bigRun.value.counts.total - bigRun.value.counts.pending,
      heap: process.memoryUsage().heapUsed,
      rss: process.memoryUsage().rss,
    });
  }
  console.log(
    `  ${big} rows through the queue: ${(bigRun.ms / 1000).toFixed(1)} s (${(big / (bigRun.ms / 1000)).toFixed(0)} invites/s) → ${bigRun.value.counts.invited} invited`,
  );
  const retained = (r: { retained: number | null }) => (r.retained === null ? '' : `, heap retained after it ${mb(r.retained)}`);
  console.log(`  peak memory, ${rowCount}-row job: rss ${mb(queue2.rss)}, heap used ${mb(queue2.heap)}${retained(queue2)}`);
  console.log(`  peak memory, ${big}-row job: rss ${mb(bigRun.rss)}, heap used ${mb(bigRun.heap)}${retained(bigRun)}`);
  if (live.length) {
    console.log(
      `  live heap during the ${big}-row job (collected, per 1,000 rows sent): ${live.map((l) => `${(l.rows / 1000).toFixed(1)}k ${mb(l.heap)}`).join(', ')}`,
    );
  }
  if (bigRun.value.counts.invited !== big) {
    console.log(
      `  NOT all sent: status ${bigRun.value.status}, counts ${JSON.stringify(bigRun.value.counts)}, ${bigRun.value.lastError ?? ''}`,
    );
    process.exitCode = 1;
  }
} finally {
  await watch.end().catch(() => {});
  await worker.stop();
  await stack.stop();
}
