import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { z } from 'zod';
import { runBulkMemberAction } from '@/lib/members/bulk-actions';
import { organizationsToReconcile, reconcileDirectory } from '@/lib/directory/reconcile';
import { runBulkJob } from '@/lib/invitations/bulk-job';
import { BULK_QUEUE, bulkRunData } from '@/lib/invitations/bulk-job-data';
import { deliverNotice } from '@/lib/mail/deliver';
import { noticeSchema } from '@/lib/mail/notice';
import { pruneExpiredRateLimitBuckets } from '@/lib/rate-limit/prune';
import { purgeExpiredIdempotencyKeys } from '@/lib/http/idempotency';
import { deliverEndpoint } from '@/lib/outbound-webhooks/deliver';
import { dispatchDeliveries, type DispatchResult } from '@/lib/outbound-webhooks/dispatch';
import { announceExpiredInvitations } from '@/lib/outbound-webhooks/expired';

/**
 * Every background job Teamgate runs, by name. A job's payload is validated with its zod schema
 * when it is sent (lib/jobs/boss.ts `sendJob`) and again when a worker picks it up, because a
 * payload sits in the database between the two and may have been written by an older release.
 *
 * Adding a job: a definition here (the work itself lives in its own lib/ module, as a plain
 * function that tests can call without the queue), then `sendJob(boss, 'my.job', data)` or a
 * `schedule`. See docs/jobs.md.
 */

export interface JobContext {
  /** pg-boss's id of this job (also in every line `log` writes). */
  jobId: string;
  /** 0 on the first attempt, then 1, 2, … for retries. */
  retryCount: number;
  /** Retries allowed in all: on the attempt where retryCount equals it, throwing fails the job for good. */
  retryLimit: number;
  /** The worker's pg-boss, for a job that queues its own continuation (`sendJob(boss, …)`). */
  boss: PgBoss;
  /** The worker's logger with the job name and id bound. */
  log: Logger;
  /** Aborted when the worker starts stopping: a job that polls in a loop returns early (running jobs get stopTimeoutMs). */
  signal?: AbortSignal;
}

/** Queue settings a job may choose (pg-boss's own names; see docs/jobs.md for the defaults). */
export interface JobQueueOptions {
  /** Retries after a failure (0: none). */
  retryLimit?: number;
  /** Seconds before the first retry. */
  retryDelay?: number;
  /** Double the delay on each retry. */
  retryBackoff?: boolean;
  /** A job running longer than this is failed (and retried, if retries are left). */
  expireInSeconds?: number;
  /** A job nobody picks up within this many minutes is dropped. */
  retentionMinutes?: number;
}

export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  /** The payload; `{}` when a job needs none. */
  data: Schema;
  /** Does the work. Throwing fails the job, and pg-boss retries it per `queue`. The result is stored as the job's output. */
  run(data: z.output<Schema>, context: JobContext): Promise<unknown>;
  queue?: JobQueueOptions;
  /** Sent automatically on this cron schedule (UTC, minute resolution), once per tick across every worker. */
  schedule?: { cron: string; data?: z.input<Schema> };
  /** Jobs of this kind one worker process runs at the same time (default 1). */
  concurrency?: number;
  /** How often an idle worker looks for this job (seconds, at least 0.5; default: the worker's, 2). */
  pollingIntervalSeconds?: number;
}

export type JobRegistry = Record<string, JobDefinition>;

/** Keeps each definition's payload type while checking it against JobDefinition. */
export function defineJob<Schema extends z.ZodType>(definition: JobDefinition<Schema>): JobDefinition<Schema> {
  return definition;
}

const count = (max: number) => z.number().int().min(1).max(max);

export const jobs = {
  /**
   * Deletes ended rate-limit windows (lib/rate-limit/prune.ts). Every five minutes: the table then
   * holds the live windows plus at most a few minutes of ended ones, however many subjects an
   * attacker invents. Two runs overlapping is harmless (each skips the rows the other holds).
   */
  'rate-limit.prune': defineJob({
    data: z.strictObject({
      graceSeconds: z
        .number()
        .int()
        .min(0)
        .max(7 * 86_400)
        .optional(),
      batchSize: count(100_000).optional(),
      maxBatches: count(100_000).optional(),
    }),
    async run(data, { log }) {
      const result = await pruneExpiredRateLimitBuckets(data);
      // Quiet when there was nothing to do: this runs every five minutes on every deployment.
      log[result.deleted > 0 ? 'info' : 'debug'](
        result,
        result.more ? 'rate-limit buckets pruned; more left for the next run' : 'rate-limit buckets pruned',
      );
      return result;
    },
    queue: { retryLimit: 2, retryDelay: 30, expireInSeconds: 600, retentionMinutes: 60 },
    schedule: { cron: '*/5 * * * *' },
  }),
  /**
   * Deletes Idempotency-Key answers past their 24 hours (lib/http/idempotency.ts). Hourly, a
   * bounded batch per run: an expired key is already ignored by the API, this only keeps the table small.
   */
  'idempotency.prune': defineJob({
    data: z.strictObject({ batchSize: count(100_000).optional() }),
    async run(data, { log }) {
      const deleted = await purgeExpiredIdempotencyKeys(new Date(), data.batchSize ?? 10_000);
      log[deleted > 0 ? 'info' : 'debug']({ deleted }, 'expired idempotency keys pruned');
      return { deleted };
    },
    queue: { retryLimit: 2, retryDelay: 60, expireInSeconds: 600, retentionMinutes: 120 },
    schedule: { cron: '17 * * * *' },
  }),
  /**
   * Sends a confirmed bulk invitation's rows (lib/invitations/bulk-job.ts): one slice per job,
   * then a continuation. Retried with backoff when Scalekit fails (429, 5xx, timeouts); safe to
   * run twice, or in two workers at once, because each row is claimed by one run.
   */
  'bulk-invite.run': defineJob({
    data: bulkRunData,
    run: (data, context) => runBulkJob(data, context),
    queue: BULK_QUEUE,
    // Two files (two organizations) at once per worker: one large file does not hold up the next.
    concurrency: 2,
    // An admin is watching the page: picked up within half a second, for one tiny query per
    // second per lane while idle (docs/jobs.md).
    pollingIntervalSeconds: 0.5,
  }),
  /**
   * Runs a confirmed bulk member action (lib/members/bulk-actions.ts: change role, remove, resend
   * or revoke, row by row). Safe to run twice or in two workers at once: each row is claimed by
   * one run. Scalekit 429/5xx/timeouts fail the job after putting the rows back, and pg-boss
   * retries it with a growing delay (15 s, 30 s, 60 s, …).
   */
  'members.bulk-action': defineJob({
    data: z.strictObject({ actionId: z.string().min(1).max(64) }),
    async run({ actionId }, { log }) {
      const counts = await runBulkMemberAction(actionId);
      log.info({ actionId, ...counts }, 'bulk member action run');
      return counts;
    },
    queue: { retryLimit: 20, retryDelay: 15, retryBackoff: true, expireInSeconds: 3_600, retentionMinutes: 24 * 60 },
    concurrency: 2,
    // The admin watches its progress page: picked up within half a second.
    pollingIntervalSeconds: 0.5,
  }),
  /**
   * Queues a delivery job for each endpoint with a due outbound webhook (lib/outbound-webhooks/dispatch.ts),
   * polling every second for most of a minute, then the next tick takes over. Two runs at once
   * (a tick and an admin's nudge) are harmless: each endpoint is claimed by one of them.
   */
  'outbound-webhooks.dispatch': defineJob({
    data: z.strictObject({ runMs: z.number().int().min(0).max(58_000).optional() }),
    run: (data, { boss, signal }): Promise<DispatchResult> => dispatchDeliveries(boss, { ...data, signal }),
    queue: { retryLimit: 0, expireInSeconds: 120, retentionMinutes: 10 },
    schedule: { cron: '* * * * *' },
    pollingIntervalSeconds: 0.5,
  }),
  /**
   * Sends one endpoint's due deliveries in order (lib/outbound-webhooks/deliver.ts); the
   * endpoint's lease keeps two runs from sending at once. A failed attempt is not a failed job:
   * retries follow the webhook schedule kept in the delivery rows, not pg-boss's.
   */
  'outbound-webhooks.deliver': defineJob({
    data: z.strictObject({ endpointId: z.string().min(1).max(64) }),
    async run({ endpointId }, { jobId, log }) {
      const result = await deliverEndpoint(endpointId, { owner: jobId });
      log[result.succeeded || result.failedAttempts ? 'info' : 'debug']({ endpointId, ...result }, 'outbound webhooks delivered');
      return result;
    },
    queue: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 300, retentionMinutes: 60 },
    // Endpoints are independent: a slow receiver holds up only its own events.
    concurrency: 4,
    pollingIntervalSeconds: 0.5,
  }),
  /**
   * Records invitation.expired for pending invitations past their expiry (lib/outbound-webhooks/expired.ts),
   * which outbound webhooks publish. Idempotent: each expiry is announced once.
   */
  'invitations.announce-expired': defineJob({
    data: z.strictObject({ batchSize: count(10_000).optional() }),
    async run(data, { log }) {
      let announced = 0;
      for (let i = 0; i < 20; i++) {
        const result = await announceExpiredInvitations(data);
        announced += result.announced;
        if (!result.more) break;
      }
      log[announced ? 'info' : 'debug']({ announced }, 'expired invitations announced');
      return { announced };
    },
    queue: { retryLimit: 2, retryDelay: 30, expireInSeconds: 600, retentionMinutes: 60 },
    schedule: { cron: '*/5 * * * *' },
  }),
  /**
   * Repairs one organization's members to match its directory (lib/directory/reconcile.ts): events
   * Scalekit could not deliver are made good here. Retried with backoff when Scalekit fails; safe
   * to run twice (every change is idempotent). An organization without a directory finishes at once.
   */
  'directory.reconcile': defineJob({
    data: z.strictObject({ organizationId: z.string().min(1).max(64) }),
    async run({ organizationId }, { log }) {
      const result = await reconcileDirectory(organizationId);
      log[result.directoryId ? 'info' : 'debug']({ organizationId, ...result }, 'directory reconcile run');
      return result;
    },
    queue: { retryLimit: 5, retryDelay: 60, retryBackoff: true, expireInSeconds: 3_600, retentionMinutes: 24 * 60 },
  }),
  /** Every hour: a directory.reconcile per organization, one job each so a slow directory holds up no other. */
  'directory.reconcile-all': defineJob({
    data: z.strictObject({}),
    async run(_data, { boss, log }) {
      // Imported here: lib/jobs/boss.ts imports this registry.
      const { sendJob } = await import('@/lib/jobs/boss');
      const organizations = await organizationsToReconcile();
      for (const organizationId of organizations) {
        // One queued run per organization at a time: a backlog never piles up copies.
        await sendJob(boss, 'directory.reconcile', { organizationId }, { singletonKey: organizationId });
      }
      log.info({ organizations: organizations.length }, 'directory reconciles queued');
      return { organizations: organizations.length };
    },
    queue: { retryLimit: 2, retryDelay: 60, expireInSeconds: 600, retentionMinutes: 60 },
    schedule: { cron: '17 * * * *' },
  }),
  /**
   * Sends one of Teamgate's own notices (lib/mail): SMTP when SMTP_URL is set, otherwise stored in
   * OutgoingEmail (keyed, so a retry stores it once). An SMTP server that is down or refuses is
   * retried with backoff (30 s, 60 s, … 8 times) without holding up the change that queued it.
   */
  'mail.send': defineJob({
    data: noticeSchema,
    async run(notice, { log }) {
      const delivery = await deliverNotice(notice);
      // The key says what it was about; the address and the text stay out of the logs.
      log.info({ key: notice.key, ...delivery }, 'notice delivered');
      return delivery;
    },
    queue: { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 120, retentionMinutes: 24 * 60 },
    concurrency: 2,
  }),
} satisfies JobRegistry;

export type JobName = keyof typeof jobs;
export type JobData<Name extends JobName> = z.input<(typeof jobs)[Name]['data']>;
