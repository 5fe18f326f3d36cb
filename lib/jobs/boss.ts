import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { getEnv } from '@/lib/env';
import { log as defaultLog, redactText } from '@/lib/log';
import { jobs, type JobData, type JobDefinition, type JobName, type JobRegistry } from './registry';

/**
 * The one place that builds pg-boss (the PostgreSQL job queue; why this one: docs/jobs.md).
 *
 * pg-boss keeps its tables in a schema of its own, created and migrated by pg-boss itself on
 * `start()` under an advisory lock (so several workers starting at once are fine). Prisma's
 * migrations never see it: they manage `public` only.
 */

export const JOBS_SCHEMA = 'pgboss';

export class JobError extends Error {
  override readonly name = 'JobError';
  constructor(
    readonly code: 'unknown_job' | 'invalid_job_data' | 'worker_failed',
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** How often pg-boss looks for work; the defaults suit production, tests make them small. */
export interface JobTiming {
  /** Each queue's poll for new jobs (pg-boss default 2; at least 0.5). */
  pollingIntervalSeconds?: number;
  /** How often a worker checks whether a cron tick is due (pg-boss default 30). */
  cronMonitorIntervalSeconds?: number;
  /** How often due cron ticks become jobs (pg-boss default 5). */
  cronWorkerIntervalSeconds?: number;
  /** Expiry of stuck jobs, archiving, deletion (pg-boss default 120). */
  maintenanceIntervalSeconds?: number;
}

export interface BossOptions {
  /** Default: DATABASE_URL. */
  connectionString?: string;
  /** Connections in pg-boss's own pool. Default: DATABASE_POOL_MAX. */
  poolSize?: number;
  timing?: JobTiming;
  logger?: Logger;
  /**
   * For processes that only send jobs (app instances): no maintenance and no cron, which the
   * workers do. Still creates pg-boss's schema on start if it is missing.
   */
  sendOnly?: boolean;
}

/** A pg-boss error event as one loggable object: message scrubbed, no SQL values or connection details. */
export function bossErrorForLog(error: unknown): { name: string; message: string; queue?: string } {
  const e = (error ?? {}) as { name?: unknown; message?: unknown; queue?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: redactText(typeof e.message === 'string' ? e.message : String(error)),
    ...(typeof e.queue === 'string' ? { queue: e.queue } : {}),
  };
}

const connectionOf = new WeakMap<PgBoss, string>();

export function createBoss({ connectionString, poolSize, timing = {}, logger = defaultLog, sendOnly = false }: BossOptions = {}): PgBoss {
  const env = connectionString && poolSize ? undefined : getEnv();
  const url = connectionString ?? env!.DATABASE_URL;
  const boss = new PgBoss({
    connectionString: url,
    max: poolSize ?? env!.DATABASE_POOL_MAX,
    schema: JOBS_SCHEMA,
    application_name: 'teamgate-jobs',
    ...timing,
    ...(sendOnly ? { supervise: false, schedule: false } : {}),
  });
  // Without a listener an 'error' event would crash the process; pg-boss carries on after one
  // (a lost connection is retried on the next poll).
  boss.on('error', (error) => logger.error({ err: bossErrorForLog(error) }, 'job queue error'));
  connectionOf.set(boss, url);
  return boss;
}

const SETUP_LOCK = 'teamgate.jobs.setup';

/**
 * Run `fn` while holding a database-wide lock that every Teamgate process takes to create
 * queues. pg-boss's create_queue inserts the queue row and then attaches a partition and
 * foreign keys to it; two processes doing that at once (several workers starting after a
 * deploy) deadlock, and PostgreSQL aborts one of them. Serialised, each sees the other's queue
 * and does nothing. The lock lives on a connection of its own and goes with it.
 */
export async function withSetupLock<T>(boss: PgBoss, fn: () => Promise<T>): Promise<T> {
  const connectionString = connectionOf.get(boss);
  if (!connectionString) throw new JobError('worker_failed', 'This pg-boss instance was not made by createBoss().', 500);
  const client = new pg.Client({ connectionString, application_name: 'teamgate-jobs-setup' });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [SETUP_LOCK]);
    return await fn();
  } finally {
    await client.end().catch(() => {});
  }
}

/** Check a payload against its job's schema: a bad payload fails here, at the sender, not later in a worker. */
export function parseJobData(registry: JobRegistry, name: string, data: unknown): unknown {
  const definition = registry[name];
  if (!definition) throw new JobError('unknown_job', `There is no job named "${name}".`, 500);
  const parsed = definition.data.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ');
    throw new JobError('invalid_job_data', `Invalid data for job "${name}": ${problems}.`, 400);
  }
  return parsed.data;
}

const QUEUE_POLICY = 'standard' as const;

/**
 * Create the job's queue if it does not exist yet (pg-boss refuses jobs for unknown queues), and
 * with `update`, apply queue options changed since it was created. Both are idempotent, also
 * when several processes do it at once.
 */
export async function ensureQueue(boss: PgBoss, name: string, definition: JobDefinition, { update = false } = {}): Promise<void> {
  const options = { name, ...definition.queue, policy: QUEUE_POLICY };
  await boss.createQueue(name, options);
  if (update) await boss.updateQueue(name, options);
}

const queuesKnown = new WeakMap<PgBoss, Set<string>>();

/**
 * Queue a job. Resolves to its id (null when pg-boss dropped it as a duplicate of a
 * singletonKey). Works from any process connected to the database: a worker picks it up.
 */
export async function sendJob<Name extends JobName>(
  boss: PgBoss,
  name: Name,
  data: JobData<Name>,
  options: PgBoss.SendOptions = {},
): Promise<string | null> {
  const payload = parseJobData(jobs, name, data) as object;
  const known = queuesKnown.get(boss) ?? new Set<string>();
  queuesKnown.set(boss, known);
  if (!known.has(name)) {
    await withSetupLock(boss, () => ensureQueue(boss, name, jobs[name]));
    known.add(name);
  }
  const id = await boss.send(name, payload, options);
  // Wake the queue's workers now instead of at their next poll (an admin is watching a bulk send
  // start). Best effort: if the NOTIFY fails, the polling still picks the job up.
  if (id && !options.startAfter) {
    await boss
      .getDb()
      .executeSql('SELECT pg_notify($1, $2)', [JOB_WAKEUP_CHANNEL, name])
      .catch(() => {});
  }
  return id;
}

/** The NOTIFY channel sendJob wakes workers on; the payload is the queue's name. */
export const JOB_WAKEUP_CHANNEL = 'teamgate_jobs';

/**
 * LISTEN for sendJob's wake-ups on a connection of its own and call `wake(queue)` for each, so a
 * job sent by any process starts at once rather than after up to a polling interval. Polling stays
 * the guarantee: a lost connection is only logged and re-opened a second later. Returns `stop`.
 */
export async function listenForJobs(
  boss: PgBoss,
  wake: (queue: string) => void,
  logger: Logger = defaultLog,
): Promise<() => Promise<void>> {
  const connectionString = connectionOf.get(boss);
  if (!connectionString) throw new JobError('worker_failed', 'This pg-boss instance was not made by createBoss().', 500);
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const open = async () => {
    const c = new pg.Client({ connectionString, application_name: 'teamgate-jobs-listen' });
    const lost = (error?: Error) => {
      if (stopped || client !== c) return;
      client = null;
      if (error) logger.warn({ err: bossErrorForLog(error) }, 'job wake-up connection lost; polling meanwhile');
      c.end().catch(() => {});
      retry = setTimeout(() => void open(), 1_000);
      retry.unref();
    };
    client = c;
    c.on('error', lost);
    c.on('end', () => lost());
    c.on('notification', (message) => {
      if (message.channel === JOB_WAKEUP_CHANNEL && message.payload) wake(message.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${JOB_WAKEUP_CHANNEL}`);
    } catch (error) {
      lost(error as Error);
    }
  };
  await open();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
    client = null;
  };
}
