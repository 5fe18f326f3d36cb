import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { errorForLog, log as defaultLog } from '@/lib/log';
import { bossErrorForLog, createBoss, ensureQueue, JobError, listenForJobs, parseJobData, withSetupLock, type BossOptions } from './boss';
import { jobs as appJobs, type JobDefinition, type JobRegistry } from './registry';

/**
 * A worker: one pg-boss instance that runs the registered jobs and sends the scheduled ones.
 * `npm run worker` (scripts/worker.ts) runs one in production; `npm run dev` runs one inside the
 * dev process. Any number may share a database: a job is handed to one worker only (pg-boss
 * fetches with FOR UPDATE SKIP LOCKED), and a cron tick becomes one job however many workers
 * watch the schedule.
 */

export interface WorkerOptions extends BossOptions {
  /** Default: every job in lib/jobs/registry.ts. */
  jobs?: JobRegistry;
  /** On stop, how long running jobs get to finish before they are failed (and so retried). Default 30 s. */
  stopTimeoutMs?: number;
}

export interface RunningWorker {
  boss: PgBoss;
  /** The queues this worker works. */
  queues: string[];
  /** Stop taking jobs, let running ones finish (up to stopTimeoutMs), close the pool. Safe to call twice. */
  stop(): Promise<void>;
}

async function runJob(
  boss: PgBoss,
  name: string,
  definition: JobDefinition,
  job: PgBoss.JobWithMetadata<unknown>,
  logger: Logger,
  signal: AbortSignal,
): Promise<unknown> {
  const jobLog = logger.child({ job: name, jobId: job.id });
  const started = Date.now();
  try {
    // Payloads are never logged: later jobs carry email addresses and customer data.
    const data = parseJobData({ [name]: definition }, name, job.data);
    const result = await definition.run(data, {
      jobId: job.id,
      retryCount: job.retryCount,
      retryLimit: job.retryLimit,
      boss,
      log: jobLog,
      signal,
    });
    jobLog.debug({ durationMs: Date.now() - started }, 'job completed');
    return result;
  } catch (error) {
    const retrying = job.retryCount < job.retryLimit;
    const scrubbed = errorForLog(error);
    jobLog.error({ err: scrubbed, durationMs: Date.now() - started, attempt: job.retryCount + 1, retrying }, 'job failed');
    // pg-boss stores the error as the job's output (where an admin page may show it later): scrubbed too.
    throw Object.assign(new Error(scrubbed.message), { name: scrubbed.name, stack: scrubbed.stack });
  }
}

export async function startWorker({
  jobs = appJobs,
  stopTimeoutMs = 30_000,
  logger = defaultLog,
  ...bossOptions
}: WorkerOptions = {}): Promise<RunningWorker> {
  const workerLog = logger.child({ component: 'jobs' });
  const boss = createBoss({ ...bossOptions, logger: workerLog });
  const queues = Object.keys(jobs);
  const schedules: Array<{ name: string; cron: string }> = [];
  const workerIds = new Map<string, string[]>();
  let stopListening: (() => Promise<void>) | null = null;
  // Tells running jobs that the worker is stopping (JobContext.signal), so polling loops end early.
  const stopSignal = new AbortController();
  try {
    // pg-boss creates its own queue for cron ticks during start(): inside the lock too.
    await withSetupLock(boss, async () => {
      await boss.start();
      for (const [name, definition] of Object.entries(jobs)) await ensureQueue(boss, name, definition, { update: true });
      for (const [name, definition] of Object.entries(jobs)) {
        if (!definition.schedule) continue;
        const data = parseJobData(jobs, name, definition.schedule.data) as object;
        await boss.schedule(name, definition.schedule.cron, data, { tz: 'UTC' });
        schedules.push({ name, cron: definition.schedule.cron });
      }
      // A schedule whose job is gone (or no longer scheduled) would keep queueing jobs nobody runs.
      for (const { name } of await boss.getSchedules()) {
        if (!jobs[name]?.schedule) await boss.unschedule(name);
      }
    });
    for (const [name, definition] of Object.entries(jobs)) {
      const concurrency = Math.max(1, definition.concurrency ?? 1);
      for (let i = 0; i < concurrency; i++) {
        // One job per fetch, so each job succeeds, fails and retries on its own.
        const id = await boss.work(
          name,
          {
            batchSize: 1,
            includeMetadata: true,
            ...(definition.pollingIntervalSeconds ? { pollingIntervalSeconds: definition.pollingIntervalSeconds } : {}),
          },
          async ([job]) => runJob(boss, name, definition, job!, workerLog, stopSignal.signal),
        );
        workerIds.set(name, [...(workerIds.get(name) ?? []), id]);
      }
    }
    // A job sent anywhere (sendJob) wakes this queue's lanes at once; polling remains the fallback.
    stopListening = await listenForJobs(boss, (queue) => workerIds.get(queue)?.forEach((id) => boss.notifyWorker(id)), workerLog);
  } catch (error) {
    await stopListening?.().catch(() => {});
    await boss.stop({ graceful: false }).catch(() => {});
    workerLog.error({ err: bossErrorForLog(error) }, 'job worker failed to start');
    throw new JobError('worker_failed', `The job worker could not start: ${bossErrorForLog(error).message}`, 500);
  }
  workerLog.info({ queues, schedules }, 'job worker started');

  let stopping: Promise<void> | undefined;
  return {
    boss,
    queues,
    stop() {
      stopping ??= (async () => {
        workerLog.info({ timeoutMs: stopTimeoutMs }, 'job worker stopping; running jobs may finish');
        await stopListening?.().catch(() => {});
        stopSignal.abort();
        await boss.stop({ graceful: true, wait: true, timeout: stopTimeoutMs });
        workerLog.info('job worker stopped');
      })();
      return stopping;
    },
  };
}

/**
 * Stop the worker on SIGTERM (what orchestrators send) or SIGINT (Ctrl-C), then exit; a second
 * signal exits at once. For processes whose only job is the worker (scripts/worker.ts).
 */
export function stopOnSignals(
  worker: RunningWorker,
  { exit = (code: number) => process.exit(code), onStopped }: { exit?: (code: number) => void; onStopped?: () => Promise<void> } = {},
): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      defaultLog.warn({ signal }, 'second signal: exiting without waiting for running jobs');
      exit(1);
      return;
    }
    signalled = true;
    defaultLog.info({ signal }, 'signal received');
    worker
      .stop()
      .then(() => onStopped?.())
      .then(
        () => exit(0),
        (error: unknown) => {
          defaultLog.error({ err: errorForLog(error) }, 'job worker did not stop cleanly');
          exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
