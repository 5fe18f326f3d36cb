import type PgBoss from 'pg-boss';
import type { Actor } from '@/lib/auth/actor';
import { actorCan, assertCan } from '@/lib/auth/authorize';
import { grantedPermissions } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import type { BulkInviteJobStatus } from '@/lib/generated/prisma/client';
import { sendJob } from '@/lib/jobs/boss';
import type { JobContext } from '@/lib/jobs/registry';
import { countsFor, loadJob, runBulkInvite, type BulkCounts } from './bulk';
import { BULK_QUEUE, BULK_SLICE_MS, type BulkRunData } from './bulk-job-data';

/**
 * Bulk invite's send step as a durable background job (`bulk-invite.run`, docs/jobs.md).
 *
 * Confirming a preview queues the job and returns; a worker sends the rows through the same
 * pipeline as before (runBulkInvite: per-row checks, seat lock, row claims). The admin may close
 * the tab: progress is the rows' own state in the database, which the page polls.
 *
 * - A job works for one slice (BULK_SLICE_MS), then queues its own continuation, so no pg-boss
 *   job outlives its expiry however large the file.
 * - A worker killed mid-job: pg-boss expires the job and retries it; the rows the dead run had
 *   claimed become free when their claim goes stale, and their half-sent memberships are
 *   reconciled with Scalekit (adopted, never sent twice).
 * - Scalekit 429/5xx/timeouts stop the slice with the rows left PENDING; the job throws, and
 *   pg-boss retries it with exponential backoff (BULK_QUEUE). The browser does nothing.
 */

/** When every row left is held by another run, look again after this long. */
const HELD_ELSEWHERE_RECHECK_S = 5;

export interface BulkProgress {
  jobId: string;
  status: BulkInviteJobStatus;
  counts: BulkCounts;
  /** Why sending is paused or stopped (a Scalekit outage being waited out, the rate limit). */
  lastError: string | null;
  /** With lastError while paused: the earliest time the worker tries again. */
  retryAt: string | null;
  /** A worker has the job (queued or sending): the page keeps polling. */
  active: boolean;
}

export async function bulkProgress(actor: Actor, organizationId: string, jobId: string): Promise<BulkProgress> {
  assertCan(actor, organizationId, 'members:invite');
  const job = await loadJob(organizationId, jobId);
  const counts = await countsFor(job.id);
  return {
    jobId: job.id,
    status: job.status,
    counts,
    lastError: job.lastError,
    retryAt: job.retryAt?.toISOString() ?? null,
    active: (job.status === 'QUEUED' || job.status === 'RUNNING') && counts.pending > 0,
  };
}

/**
 * "Send" (or "Retry"): queue the job and return at once. Sending the same file twice (a double
 * click, two tabs) queues two jobs that share the rows, each row claimed by one of them.
 */
export async function queueBulkSend(
  actor: Actor,
  organizationId: string,
  jobId: string,
  { boss, retryFailed = false }: { boss: PgBoss; retryFailed?: boolean },
): Promise<BulkProgress> {
  assertCan(actor, organizationId, 'members:invite');
  if (actor.kind !== 'user') throw new AppError('forbidden', 'Bulk invitations are sent by a signed-in admin.');
  const job = await loadJob(organizationId, jobId);
  if (retryFailed) {
    await db.bulkInviteRow.updateMany({
      where: { jobId: job.id, status: 'FAILED' },
      data: { status: 'PENDING', claimedBy: null, claimedAt: null },
    });
  }
  if ((await countsFor(job.id)).pending > 0) {
    // Queued before the status says so: a status nobody will act on is worse than a job that starts early.
    await sendJob(boss, 'bulk-invite.run', {
      organizationId,
      bulkJobId: job.id,
      actor: { userId: actor.userId, sessionId: actor.sessionId, ...actor.request },
    });
    await db.bulkInviteJob.updateMany({
      where: { id: job.id, status: { not: 'RUNNING' } },
      data: { status: 'QUEUED', lastError: null, retryAt: null },
    });
  }
  return bulkProgress(actor, organizationId, job.id);
}

/**
 * Who confirmed the file, as they are now: still an ACTIVE member allowed to invite. A payload
 * only names them; their role and permissions come from the database at run time, so an admin
 * demoted after confirming stops the send.
 */
export async function actorForBulkJob({ organizationId, actor }: BulkRunData): Promise<Actor | null> {
  const membership = await db.membership.findFirst({
    where: { organizationId, userId: actor.userId, status: 'ACTIVE' },
    select: { role: true, permissions: true, user: { select: { email: true, name: true } } },
  });
  if (!membership?.user) return null;
  const found: Actor = {
    kind: 'user',
    userId: actor.userId,
    email: membership.user.email,
    name: membership.user.name,
    organizationId,
    role: membership.role,
    permissions: grantedPermissions(membership.permissions),
    sessionId: actor.sessionId,
    request: { ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, requestId: actor.requestId ?? null },
  };
  return actorCan(found, 'members:invite') ? found : null;
}

/** A Scalekit fault paused the send: thrown so that pg-boss retries the job with backoff. */
export class BulkSendPaused extends Error {
  override readonly name = 'BulkSendPaused';
}

export type BulkJobOutcome =
  | { outcome: 'done'; counts: BulkCounts }
  | { outcome: 'continued'; counts: BulkCounts }
  | { outcome: 'stopped'; reason: string; counts?: BulkCounts };

const stop = (bulkJobId: string, lastError: string) =>
  db.bulkInviteJob.updateMany({ where: { id: bulkJobId }, data: { status: 'PARTIAL', lastError, retryAt: null } });

/** One slice of a `bulk-invite.run` job (the worker calls this; tests call it directly too). */
export async function runBulkJob(
  data: BulkRunData,
  { boss, retryCount, retryLimit, log }: Pick<JobContext, 'boss' | 'retryCount' | 'retryLimit' | 'log'>,
  { sliceMs = BULK_SLICE_MS, retryDelaySeconds = BULK_QUEUE.retryDelay ?? 5 } = {},
): Promise<BulkJobOutcome> {
  const { organizationId, bulkJobId } = data;
  const actor = await actorForBulkJob(data);
  if (!actor) {
    const reason = 'Sending stopped: the admin who sent this file can no longer invite people here. The rows left were not sent.';
    await stop(bulkJobId, reason);
    log.warn({ bulkJobId }, 'bulk invite stopped: the sender may no longer invite');
    return { outcome: 'stopped', reason };
  }
  let run;
  try {
    run = await runBulkInvite(actor, organizationId, bulkJobId, {
      deadline: Date.now() + sliceMs,
      unfinishedStatus: 'QUEUED',
      faultsStayPending: true,
    });
  } catch (error) {
    // Deleted since it was queued (the organization, or the job): nothing to send, nothing to retry.
    if (error instanceof AppError && error.code === 'job_not_found') return { outcome: 'stopped', reason: error.message };
    // Anything else (the database away) is retried by pg-boss; after the last try the page must not say "sending" for ever.
    if (retryCount >= retryLimit) {
      await stop(bulkJobId, 'Sending stopped after repeated errors. Rows already sent stay sent; retry the rest from this page.').catch(
        () => {},
      );
    }
    throw error;
  }
  const { counts, stoppedBy } = run;
  if (run.done) {
    await db.bulkInviteJob.updateMany({ where: { id: bulkJobId }, data: { lastError: null, retryAt: null } });
    log.info({ bulkJobId, counts }, 'bulk invite finished');
    return { outcome: 'done', counts };
  }
  if (stoppedBy && run.limited) {
    // Waiting out Teamgate's own invite limit is the admin's call (it may be an hour): they retry from the page.
    await stop(bulkJobId, stoppedBy.message);
    return { outcome: 'stopped', reason: stoppedBy.message, counts };
  }
  if (stoppedBy) {
    if (retryCount >= retryLimit) {
      const reason = `Sending stopped: Scalekit kept failing (${stoppedBy.message}). ${counts.pending} rows were not sent; retry them from this page.`;
      await stop(bulkJobId, reason);
      return { outcome: 'stopped', reason, counts };
    }
    // pg-boss's backoff waits retryDelay·2^retryCount to twice that; the page shows the earliest.
    const retryAt = new Date(Date.now() + retryDelaySeconds * 2 ** retryCount * 1000);
    await db.bulkInviteJob.updateMany({
      where: { id: bulkJobId },
      data: { status: 'QUEUED', lastError: `Scalekit is not answering right now (${stoppedBy.message}). Retrying automatically.`, retryAt },
    });
    throw new BulkSendPaused(`Bulk invite paused by a Scalekit fault (${stoppedBy.code}); ${counts.pending} rows left.`);
  }
  // Rows left: the slice ran out, or the rest are claimed by another run (which may die: look again soon).
  const startAfter = run.attempted > 0 ? 0 : HELD_ELSEWHERE_RECHECK_S;
  await sendJob(boss, 'bulk-invite.run', data, startAfter ? { startAfter } : {});
  return { outcome: 'continued', counts };
}
