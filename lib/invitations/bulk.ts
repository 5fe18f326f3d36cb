import { randomUUID } from 'node:crypto';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import type {
  BulkInviteJob,
  BulkInviteJobStatus,
  BulkInviteRow,
  BulkInviteRowStatus,
  BulkInviteSource,
  Prisma,
} from '@/lib/generated/prisma/client';
import { errorForLog, log } from '@/lib/log';
import { effectiveStatus } from '@/lib/members/status';
import { checkInviteRow, parseInviteCsv, toCsv, type CsvRow } from './csv';
import { grantableRole, grantRefusal, organizationRoles } from '@/lib/roles/catalogue';
import { AppError } from '@/lib/errors/app-error';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { inviteRateLimitError, reserveInvites } from './rate-limit';
import { domainAllowed } from './schemas';
import {
  claimAndSend,
  claimMany,
  loadOrganization,
  sendToScalekit,
  validateInvite,
  writeSentInvites,
  type ClaimRef,
  type InviteOptions,
  type SentInvite,
} from './service';
import { staleClaimAfterMs } from './invite';
import type { InviteInput } from './schemas';
import { isInvitationStatus } from './scalekit-membership';
import { dailyLimitChecks, heldMessage, holdInvitation, loadInvitationRules, ruleLimitError } from '@/lib/invitation-rules/apply';
import { evaluateInvitationRules, type DailyLimitBudget } from '@/lib/invitation-rules/evaluate';

/**
 * Bulk invitations from a CSV, in two steps a person can follow:
 *
 * 1. preview: parse and check every row (bad email, unknown role, duplicate
 *    in the file, domain not allowed, already a member, already invited,
 *    over the seat limit) and store the job with each row PENDING (will be
 *    sent) or SKIPPED (with the reason). Nothing reaches Scalekit.
 * 2. run: send the PENDING rows through the same inviteMember path as the
 *    form, a few at a time. The organization's rules are checked again as
 *    they are at send time (an admin may have narrowed the domains or lowered
 *    the seat limit since the preview, or the seats filled up): rows that no
 *    longer pass end SKIPPED with why, and nothing is sent for them. The seat
 *    check is part of claiming the rows, under the same lock single invites
 *    take, so a run beside other invites never exceeds the limit. Each row ends INVITED, SKIPPED (with why) or
 *    FAILED (with why). When Scalekit fails in a way that will hit the next
 *    rows too (rate limit, outage, timeout) the run stops dispatching: rows
 *    not attempted stay PENDING, so the state stays truthful and "retry"
 *    picks up exactly the FAILED and PENDING rows. The run happens in a
 *    background job (bulk-job.ts): confirming queues it, and the page reads
 *    progress from these rows, so closing the tab stops nothing.
 */

export const BULK_DEFAULT_CONCURRENCY = 8;

export interface BulkCounts {
  total: number;
  pending: number;
  invited: number;
  skipped: number;
  failed: number;
  /** Held by an invitation rule: a request waits for an admin instead */
  held: number;
}

export interface BulkJobView {
  job: BulkInviteJob;
  rows: BulkInviteRow[];
  counts: BulkCounts;
}

export interface BulkRunResult {
  job: BulkInviteJob;
  counts: BulkCounts;
  /** Rows this call attempted */
  attempted: number;
  /** Set when a Scalekit fault or the invite rate limit stopped the run early; the remaining rows can be retried. */
  stoppedBy: { code: string; message: string } | null;
  /** The stop was the invite rate limit (waiting helps only past its window), not Scalekit. */
  limited: boolean;
  /** No PENDING rows remain. */
  done: boolean;
}

export interface BulkUpload {
  fileName?: string | null;
  text: string;
  /** Size of the upload as received, before decoding. */
  byteLength?: number;
}

function countRows(rows: Array<Pick<BulkInviteRow, 'status'>>): BulkCounts {
  const counts: BulkCounts = { total: rows.length, pending: 0, invited: 0, skipped: 0, failed: 0, held: 0 };
  for (const r of rows) counts[r.status.toLowerCase() as Lowercase<BulkInviteRowStatus>]++;
  return counts;
}

export async function countsFor(jobId: string): Promise<BulkCounts> {
  const groups = await db.bulkInviteRow.groupBy({ by: ['status'], where: { jobId }, _count: { _all: true } });
  const counts: BulkCounts = { total: 0, pending: 0, invited: 0, skipped: 0, failed: 0, held: 0 };
  for (const g of groups) {
    counts[g.status.toLowerCase() as Lowercase<BulkInviteRowStatus>] = g._count._all;
    counts.total += g._count._all;
  }
  return counts;
}

function overSeatLimitReason(orgName: string, limit: number | null): string {
  return `Over the seat limit: ${orgName} has ${limit ?? 'no more'} seats and none left for this row.`;
}

function cleanFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[^\w.\- ()]/g, '_').slice(0, 120) || null;
}

/** Parse, check every row, and store the job. Throws AppError for a file that cannot be read at all. */
export async function previewBulkInvite(actor: Actor, organizationId: string, upload: BulkUpload): Promise<BulkJobView> {
  assertCan(actor, organizationId, 'members:invite');
  const roles = await organizationRoles(organizationId);
  const parsed = parseInviteCsv(upload.text, upload.byteLength, roles);
  if (!parsed.ok) throw new AppError(parsed.code, parsed.message, { field: 'file' });
  return previewCheckedRows(actor, organizationId, roles, parsed.rows, { source: 'csv', fileName: cleanFileName(upload.fileName) });
}

/** One person to invite from a source other than a file (the directory): what a CSV row would say. */
export interface BulkRowInput {
  email: string;
  name: string | null;
  role: string;
  /** Set when the source already knows the row cannot be sent (a deactivated directory user): the row is flagged with it. */
  error?: string | null;
}

/**
 * The preview of rows that did not come from a CSV (people picked from the directory,
 * lib/directory-invite): each row gets the same checks as a CSV row (invalid email, unknown role,
 * duplicate, domain, already a member or invited, seats), then the job is stored like an upload's
 * and sent by the same pipeline. Row numbers are positions in the list, from 1.
 */
export async function previewBulkRows(
  actor: Actor,
  organizationId: string,
  input: BulkRowInput[],
  meta: { source: BulkInviteSource },
): Promise<BulkJobView> {
  assertCan(actor, organizationId, 'members:invite');
  const roles = await organizationRoles(organizationId);
  const seen = new Map<string, number>();
  const rows = input.map((r, i): CsvRow => {
    const row = { rowNumber: i + 1, email: r.email, name: r.name, role: r.role };
    return r.error ? { ...row, error: r.error, invite: null } : checkInviteRow(row, roles, seen, 'this selection');
  });
  return previewCheckedRows(actor, organizationId, roles, rows, { source: meta.source, fileName: null });
}

async function previewCheckedRows(
  actor: Actor,
  organizationId: string,
  roles: Awaited<ReturnType<typeof organizationRoles>>,
  checked: CsvRow[],
  meta: { source: BulkInviteSource; fileName: string | null },
): Promise<BulkJobView> {
  const parsed = { rows: checked };
  const org = await loadOrganization(organizationId);
  const now = new Date();

  const emails = parsed.rows.filter((r) => r.invite).map((r) => r.invite!.email);
  const existing = new Map(
    (
      await db.membership.findMany({
        where: { organizationId, email: { in: emails } },
        select: { email: true, status: true, expiresAt: true, syncState: true },
      })
    ).map((m) => [m.email, m]),
  );
  let seatsLeft = Number.POSITIVE_INFINITY;
  if (org.maxAllowedUsers !== null) {
    // Scalekit counts ACTIVE members and live invitations; expired invitations hold no seat.
    const used = await db.membership.count({
      where: {
        organizationId,
        OR: [{ status: 'ACTIVE' }, { status: 'PENDING_INVITE', OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }],
      },
    });
    seatsLeft = Math.max(0, org.maxAllowedUsers - used);
  }
  const rules = await loadInvitationRules(organizationId);

  const rows = parsed.rows.map((row) => {
    let status: BulkInviteRowStatus = 'SKIPPED';
    let reason = row.error;
    if (!reason && row.invite) {
      const current = existing.get(row.invite.email);
      const refusal = grantRefusal(actor, roles, row.invite.role);
      if (refusal) {
        reason = refusal;
      } else if (!domainAllowed(row.invite.email, org.allowedEmailDomains)) {
        reason = `Domain not allowed: ${org.name} only invites addresses at ${org.allowedEmailDomains.join(', ')}.`;
      } else if (current && current.syncState === 'SYNCED') {
        reason = isInvitationStatus(effectiveStatus(current, now)) ? 'Already invited.' : 'Already a member.';
      } else if (seatsLeft <= 0 && !current) {
        reason = overSeatLimitReason(org.name, org.maxAllowedUsers);
      } else {
        // The invitation rules, as the send will apply them: a refusal skips the row now, a hold is announced.
        const decision = evaluateInvitationRules(rules, { actor, email: row.invite.email, role: row.invite.role, source: 'bulk' });
        if (decision.kind === 'refuse') {
          reason = decision.message;
        } else {
          status = 'PENDING';
          reason = decision.kind === 'hold' ? `Will be held for approval: ${decision.rule.description}.` : null;
          if (!current && decision.kind !== 'hold') seatsLeft--;
        }
      }
    }
    return {
      rowNumber: row.rowNumber,
      email: (row.invite?.email ?? row.email).slice(0, 320),
      name: row.name?.slice(0, 200) ?? null,
      role: row.role.slice(0, 40),
      status,
      reason,
    };
  });

  const job = await db.bulkInviteJob.create({
    data: {
      organizationId,
      createdByUserId: actor.kind === 'user' ? actor.userId : null,
      fileName: meta.fileName,
      source: meta.source,
      status: 'PREVIEWED',
      rows: { createMany: { data: rows } },
    },
  });
  const stored = await db.bulkInviteRow.findMany({ where: { jobId: job.id }, orderBy: { rowNumber: 'asc' } });
  return { job, rows: stored, counts: countRows(stored) };
}

export async function loadJob(organizationId: string, jobId: string): Promise<BulkInviteJob> {
  const job =
    typeof jobId === 'string' && jobId.length <= 64 ? await db.bulkInviteJob.findFirst({ where: { id: jobId, organizationId } }) : null;
  if (!job) throw new AppError('job_not_found', 'That bulk invitation does not exist in this organization.');
  return job;
}

export async function getBulkJob(actor: Actor, organizationId: string, jobId: string): Promise<BulkJobView> {
  assertCan(actor, organizationId, 'members:invite');
  const job = await loadJob(organizationId, jobId);
  const rows = await db.bulkInviteRow.findMany({ where: { jobId }, orderBy: { rowNumber: 'asc' } });
  return { job, rows, counts: countRows(rows) };
}

/**
 * The job this admin has not finished: rows still PENDING in a job that was only previewed,
 * stopped (PARTIAL: a Scalekit outage outlasted the retries, the invite limit), or is being sent
 * in the background (QUEUED, RUNNING). The bulk page shows the progress of the last kind and
 * offers to resume or discard the others. Only the admin who uploaded the file is offered it;
 * another admin's upload is theirs to finish.
 */
export async function unfinishedBulkJob(actor: Actor, organizationId: string): Promise<{ job: BulkInviteJob; counts: BulkCounts } | null> {
  assertCan(actor, organizationId, 'members:invite');
  if (actor.kind !== 'user') return null;
  const job = await db.bulkInviteJob.findFirst({
    where: {
      organizationId,
      createdByUserId: actor.userId,
      status: { in: ['PREVIEWED', 'QUEUED', 'RUNNING', 'PARTIAL'] },
      rows: { some: { status: 'PENDING' } },
    },
    orderBy: { createdAt: 'desc' },
  });
  return job ? { job, counts: await countsFor(job.id) } : null;
}

export const DISCARDED_REASON = 'Not sent: the rest of this file was discarded.';

/**
 * "Discard": the rows not sent yet end SKIPPED with why, so the job is finished and its results
 * CSV says what happened to every row. Only rows no run holds are discarded: a batch a worker is
 * sending right now finishes (those rows end invited or failed, never half-sent), and the worker
 * then finds nothing more to claim.
 */
export async function discardBulkJob(actor: Actor, organizationId: string, jobId: string): Promise<BulkJobView> {
  assertCan(actor, organizationId, 'members:invite');
  const job = await loadJob(organizationId, jobId);
  await db.bulkInviteRow.updateMany({
    where: { jobId: job.id, status: 'PENDING', OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(Date.now() - rowLeaseMs()) } }] },
    data: { status: 'SKIPPED', reason: DISCARDED_REASON, claimedBy: null, claimedAt: null },
  });
  const counts = await countsFor(job.id);
  await db.bulkInviteJob.update({
    where: { id: job.id },
    data: { status: counts.pending ? 'RUNNING' : counts.failed ? 'PARTIAL' : 'COMPLETED', lastError: null, retryAt: null },
  });
  return getBulkJob(actor, organizationId, job.id);
}

export interface BulkRunOptions {
  concurrency?: number;
  /** Attempt at most this many rows in this call. */
  maxRows?: number;
  /** Put rows that FAILED back in the queue first (the "Retry" button). */
  retryFailed?: boolean;
  /** Claim no new batch after this time (epoch ms): a background job works in slices. */
  deadline?: number;
  /**
   * A row that met a Scalekit fault which will hit the next rows too (429, outage, timeout) stays
   * PENDING, with the fault as its reason, instead of FAILED: the background job's own retry
   * sends it again (a call that may have reached Scalekit is reconciled, never duplicated).
   */
  faultsStayPending?: boolean;
  /** The job's status when rows are left PENDING (default PARTIAL; the background job's QUEUED: it carries on or retries). */
  unfinishedStatus?: Extract<BulkInviteJobStatus, 'PARTIAL' | 'QUEUED'>;
}

/** Should one failure stop the rows after it? Only when the next call would fail the same way. */
function stopsTheRun(error: unknown): boolean {
  return error instanceof ScalekitCallError && error.retryable;
}

/**
 * A row claim no run has renewed for this long belongs to a run that died (a killed worker);
 * another run may take the row. As long as a membership's own SENDING claim
 * (staleClaimAfterMs), so the run that takes the row over finds that claim stale too and
 * reconciles it with what Scalekit holds instead of waiting on it.
 */
export function rowLeaseMs(): number {
  return staleClaimAfterMs();
}
/** Sent answers written back per transaction (memberships, users, audit events, row results). */
const FLUSH_EVERY = 128;
/** Rows claimed per statement. */
const CLAIM_BATCH = 128;

/** The columns of a claimed row the send path reads. */
type ClaimedRow = Pick<BulkInviteRow, 'id' | 'rowNumber' | 'email' | 'name' | 'role'>;
type RowResult = { id: string; status: BulkInviteRowStatus; reason: string | null };

/**
 * Claim up to `limit` PENDING rows of the job for this run in one statement. SKIP LOCKED plus the
 * claimedAt check make it atomic across runs, processes and hosts: two runs never hold one row,
 * so no row is sent twice. A claim expires (rowLeaseMs) only when its run stopped renewing it.
 */
async function claimRows(jobId: string, runId: string, limit: number): Promise<ClaimedRow[]> {
  const rows = await db.$queryRaw<ClaimedRow[]>`
    UPDATE "BulkInviteRow" SET "claimedBy" = ${runId}, "claimedAt" = now(), "updatedAt" = now()
    WHERE id IN (
      SELECT id FROM "BulkInviteRow"
      WHERE "jobId" = ${jobId} AND status = 'PENDING'
        AND ("claimedAt" IS NULL OR "claimedAt" < now() - make_interval(secs => ${rowLeaseMs() / 1000}))
      ORDER BY "rowNumber" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "rowNumber", "email", "name", "role"`;
  return rows.sort((a, b) => a.rowNumber - b.rowNumber);
}

/**
 * Many rows' results in one statement (UPDATE … FROM jsonb_to_recordset(…): one JSON parameter, which
 * Prisma handles for half the CPU of an array per column), each an attempt: a Prisma update
 * per row (or per outcome) was a large part of the send path's database time.
 */
async function writeRowResults(client: Pick<Prisma.TransactionClient, '$executeRaw'>, results: RowResult[]): Promise<void> {
  if (!results.length) return;
  await client.$executeRaw`
    UPDATE "BulkInviteRow" AS r SET "status" = v.status::"BulkInviteRowStatus", "reason" = v.reason, "attempts" = r."attempts" + 1,
      "updatedAt" = ${new Date().toISOString()}::timestamp(3)
    FROM jsonb_to_recordset(${JSON.stringify(results)}::jsonb) AS v(id text, status text, reason text)
    WHERE r.id = v.id`;
}

/** Give back the rows this run claimed and did not finish, for the next run to take at once. */
function releaseRows(runId: string) {
  return db.bulkInviteRow.updateMany({ where: { claimedBy: runId, status: 'PENDING' }, data: { claimedBy: null, claimedAt: null } });
}

/** One row ready for Scalekit; `claim` when this run's batch claim holds its address. */
interface SendItem {
  row: ClaimedRow;
  input: InviteInput;
  claim: ClaimRef | null;
}

/**
 * Send the job's PENDING rows. Any number of runs may work one job at once (two workers, a
 * retried job beside a slow one): each claims its own batches of rows (claimRows), so every row
 * is sent by one run only. Runs in the background job (lib/invitations/bulk-job.ts).
 *
 * The shape, for throughput (docs/benchmarks.md): `concurrency` lanes take rows from one feed
 * and call Scalekit back to back; the feed claims and checks the next CLAIM_BATCH rows (row
 * claims, rate-limit reservation, seat claims: a few statements per batch) while the lanes still
 * have work, so they never wait for a batch boundary; answers are written back FLUSH_EVERY at a
 * time in one transaction of raw multi-row statements, behind the lanes, at most two flushes'
 * worth behind (memory stays flat however large the file).
 */
export async function runBulkInvite(actor: Actor, orgId: string, jobId: string, options: BulkRunOptions = {}): Promise<BulkRunResult> {
  assertCan(actor, orgId, 'members:invite');
  const job = await loadJob(orgId, jobId);
  const org = await loadOrganization(orgId);
  const roles = await organizationRoles(orgId);
  // The invitation rules as they are now, like the domains and roles (an admin may have changed them since the preview).
  const rules = await loadInvitationRules(orgId);
  const concurrency = Math.min(Math.max(options.concurrency ?? BULK_DEFAULT_CONCURRENCY, 1), 32);
  const runId = randomUUID();
  // Each invitation's audit event says where it came from: a file, or the directory.
  const inviteOptions: InviteOptions = { source: job.source === 'directory' ? 'directory' : 'bulk', bulkJobId: job.id };

  if (options.retryFailed) {
    // Back to "not sent yet" rather than retried in place, so a retry cannot loop on a row that fails again.
    await db.bulkInviteRow.updateMany({
      where: { jobId: job.id, status: 'FAILED' },
      data: { status: 'PENDING', claimedBy: null, claimedAt: null },
    });
  }

  let stoppedBy: BulkRunResult['stoppedBy'] = null;
  let limitedBy: BulkRunResult['stoppedBy'] = null;
  let attempted = 0;

  // Sent to Scalekit, waiting to be written back: one transaction per FLUSH_EVERY answers marks the
  // memberships SYNCED, writes their users, audit events and the rows' results together, so a
  // row reads INVITED only when its membership is SYNCED.
  let sentBuffer: Array<{ row: ClaimedRow; sent: SentInvite }> = [];
  /** Answers not written back yet (buffered or in a flush under way): the feed waits when too many. */
  let unwritten = 0;
  const outcomeResult: Record<SentInvite['outcome'], Omit<RowResult, 'id'>> = {
    invited: { status: 'INVITED', reason: null },
    already_invited: { status: 'SKIPPED', reason: 'Already invited.' },
    already_member: { status: 'SKIPPED', reason: 'Already a member.' },
  };
  const flushSent = async () => {
    if (!sentBuffer.length) return;
    const batch = sentBuffer;
    sentBuffer = [];
    try {
      await db.$transaction(async (tx) => {
        await writeSentInvites(
          tx,
          actor,
          org,
          batch.map((b) => b.sent),
          inviteOptions,
        );
        await writeRowResults(
          tx,
          batch.map((b) => ({ id: b.row.id, ...outcomeResult[b.sent.outcome] })),
        );
      });
    } catch (error) {
      // Scalekit has these invitations but the mirror could not record them: FAILED says "retry",
      // and a retry adopts what Scalekit holds instead of sending again.
      log.error({ organizationId: orgId, jobId, rows: batch.length, error: errorForLog(error) }, 'bulk invite: saving sent rows failed');
      await writeRowResults(
        db,
        batch.map((b) => ({
          id: b.row.id,
          status: 'FAILED',
          reason: 'Sent, but saving the result failed; retry this row (it will not be sent twice).',
        })),
      ).catch(() => {});
    } finally {
      unwritten -= batch.length;
    }
  };
  let flushing: Promise<void> = Promise.resolve();
  // Renews this run's claims while a batch is in flight (a slow Scalekit), so no other run takes them.
  const heartbeat = setInterval(() => {
    db.bulkInviteRow
      .updateMany({ where: { claimedBy: runId, status: 'PENDING' }, data: { claimedAt: new Date() } })
      .catch((error: unknown) => log.warn({ jobId, error: errorForLog(error) }, 'bulk invite: renewing row claims failed'));
  }, rowLeaseMs() / 4);
  heartbeat.unref();

  const finish = (row: ClaimedRow, status: BulkInviteRowStatus, reason: string | null) =>
    writeRowResults(db, [{ id: row.id, status, reason }]);

  const failRow = async (row: ClaimedRow, error: unknown) => {
    // The organization filled up while this row waited (its own seat check, or Scalekit's): a rule, not a failure to retry.
    if (error instanceof AppError && error.code === 'seat_limit_reached')
      return finish(row, 'SKIPPED', overSeatLimitReason(org.name, org.maxAllowedUsers));
    if (stopsTheRun(error)) {
      stoppedBy ??= { code: (error as ScalekitCallError).code, message: (error as ScalekitCallError).message };
      if (options.faultsStayPending) return finish(row, 'PENDING', (error as Error).message);
    }
    const known = error instanceof AppError;
    if (!known) log.error({ organizationId: orgId, jobId, row: row.rowNumber, error: errorForLog(error) }, 'bulk invite row failed');
    await finish(row, 'FAILED', known ? (error as Error).message : 'Unexpected error while sending this invitation; retry it.');
  };

  // The common case: a fresh address claimed in a batch, sent to Scalekit, and written back in a batch.
  const sendClaimed = async (row: ClaimedRow, input: InviteInput, claim: ClaimRef) => {
    let sent: SentInvite;
    try {
      sent = await sendToScalekit(actor, org, input, claim, false);
    } catch (error) {
      return failRow(row, error);
    }
    // Pushed after the await: a flush during it swaps the buffer, and this row must land in the new one.
    sentBuffer.push({ row, sent });
    // Written back behind the lanes, one flush at a time: the lane goes on to its next row meanwhile.
    if (sentBuffer.length >= FLUSH_EVERY) flushing = flushing.then(flushSent);
  };

  // An address that already had a row (a retry, a run that died, or someone else inviting it now): the per-row loop waits, adopts or takes over.
  const sendOne = async (row: ClaimedRow, input: InviteInput) => {
    try {
      const result = await claimAndSend(actor, org, input, inviteOptions);
      await writeRowResults(db, [{ id: row.id, ...outcomeResult[result.outcome] }]);
    } catch (error) {
      await failRow(row, error);
    }
  };

  /** One claimed batch through the checks and the seat claims, ready for Scalekit. */
  const prepareBatch = async (claimed: ClaimedRow[]): Promise<SendItem[]> => {
    let batch = claimed;
    // The allowed domains as they are now, not as they were at the preview (org was loaded by this call).
    const outside = batch.filter((row) => !domainAllowed(row.email, org.allowedEmailDomains));
    if (outside.length) {
      const reason = `Domain not allowed: ${org.name} only invites addresses at ${org.allowedEmailDomains.join(', ')} (the setting changed after the preview).`;
      await writeRowResults(
        db,
        outside.map((r) => ({ id: r.id, status: 'SKIPPED', reason })),
      );
      attempted += outside.length;
      const skipped = new Set(outside.map((r) => r.id));
      batch = batch.filter((row) => !skipped.has(row.id));
    }
    // The invitation rules, row by row: a refusal skips the row, a hold opens a request instead (HELD).
    let limits: DailyLimitBudget[] = [];
    if (rules.length && batch.length) {
      const kept: ClaimedRow[] = [];
      for (const row of batch) {
        const decision = evaluateInvitationRules(rules, { actor, email: row.email, role: row.role, source: 'bulk' });
        if (decision.kind === 'allow') {
          limits = decision.limits;
          kept.push(row);
          continue;
        }
        attempted++;
        try {
          if (decision.kind === 'refuse') await finish(row, 'SKIPPED', decision.message);
          else {
            await holdInvitation(actor, orgId, row, decision.rule, 'bulk', job.id);
            await finish(row, 'HELD', heldMessage(decision.rule));
          }
        } catch (error) {
          await failRow(row, error);
        }
      }
      batch = kept;
    }
    // One reservation per batch; rows beyond the budget stay PENDING (not sent, retryable later).
    if (batch.length) {
      const budget = await reserveInvites(actor, orgId, batch.length, dailyLimitChecks(actor, limits));
      if (budget.granted < batch.length) {
        const refusal = ruleLimitError(limits, budget.limitedBy, budget.retryAfterSeconds) ?? inviteRateLimitError(budget, org.name);
        limitedBy = { code: refusal.code, message: refusal.message };
        batch = batch.slice(0, budget.granted);
      }
    }
    const inputs: Array<{ row: ClaimedRow; input: InviteInput }> = [];
    for (const row of batch) {
      try {
        const input = validateInvite({ email: row.email, role: row.role, ...(row.name ? { name: row.name } : {}) });
        // Checked again when sent: the roles, or who runs the file, may have changed since the preview.
        grantableRole(actor, org.id, roles, input.role);
        inputs.push({ row, input });
      } catch (error) {
        attempted++;
        await failRow(row, error);
      }
    }
    const { claims, overSeatLimit, limit } = await claimMany(
      actor,
      org.id,
      inputs.map((i) => i.input),
    );
    if (overSeatLimit.size) {
      const over = inputs.filter((i) => overSeatLimit.has(i.input.email));
      await writeRowResults(
        db,
        over.map((i) => ({ id: i.row.id, status: 'SKIPPED', reason: overSeatLimitReason(org.name, limit) })),
      );
      attempted += over.length;
    }
    // A claim goes to the first row of its address; another row with the same address takes the
    // per-row path, which waits for that one's outcome instead of sending twice.
    const given = new Set<string>();
    return inputs
      .filter((i) => !overSeatLimit.has(i.input.email))
      .map(({ row, input }) => {
        const claim = claims.get(input.email);
        if (!claim || given.has(claim.id)) return { row, input, claim: null };
        given.add(claim.id);
        return { row, input, claim };
      });
  };

  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  let claimedSoFar = 0;
  const nextBatch = async (): Promise<SendItem[] | null> => {
    // Write-backs trail the lanes by two flushes at most: memory stays flat however large the file.
    while (unwritten > 2 * FLUSH_EVERY) await flushing;
    if (stoppedBy || limitedBy || claimedSoFar >= maxRows || (options.deadline !== undefined && Date.now() >= options.deadline))
      return null;
    const claimed = await claimRows(job.id, runId, Math.min(CLAIM_BATCH, maxRows - claimedSoFar));
    if (!claimed.length) return null;
    // Only a run with rows to send says RUNNING: a late continuation of a finished job changes nothing.
    if (claimedSoFar === 0) await db.bulkInviteJob.update({ where: { id: job.id }, data: { status: 'RUNNING' } });
    claimedSoFar += claimed.length;
    return prepareBatch(claimed);
  };

  // The feed: prepared rows in order, refilled (one batch at a time) when it runs low.
  const feed: Array<SendItem | undefined> = [];
  let head = 0;
  let exhausted = false;
  let feedFailure: { error: unknown } | null = null;
  let refilling: Promise<void> | null = null;
  const refill = () =>
    (refilling ??= nextBatch()
      .then(
        (items) => {
          if (items) feed.push(...items);
          else exhausted = true;
        },
        (error: unknown) => {
          exhausted = true;
          feedFailure ??= { error };
        },
      )
      .finally(() => {
        refilling = null;
      }));
  let laneFailed = false;
  const take = async (): Promise<SendItem | null> => {
    for (;;) {
      if (stoppedBy || laneFailed) return null;
      if (head < feed.length) {
        const item = feed[head]!;
        feed[head++] = undefined;
        if (head > 1024) {
          feed.splice(0, head);
          head = 0;
        }
        if (!exhausted && feed.length - head < Math.max(CLAIM_BATCH / 2, concurrency * 2)) void refill();
        return item;
      }
      if (feedFailure) throw feedFailure.error;
      if (exhausted) return null;
      await refill();
    }
  };
  const lane = async () => {
    try {
      for (let item = await take(); item; item = await take()) {
        attempted++;
        if (item.claim) await sendClaimed(item.row, item.input, item.claim);
        else await sendOne(item.row, item.input);
      }
    } catch (error) {
      // The other lanes start nothing more (their calls in flight finish); the error is thrown after the clean-up.
      laneFailed = true;
      throw error;
    }
  };

  try {
    const lanes = await Promise.allSettled(Array.from({ length: concurrency }, lane));
    const failed = lanes.find((l) => l.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } finally {
    // Rows prepared and never sent (a fault stopped the lanes, an error, a batch claimed ahead):
    // Scalekit never saw their claims, so the addresses are free again; the rows go back below.
    await refilling;
    const unsent = feed.slice(head).flatMap((item) => (item?.claim ? [item.claim.id] : []));
    if (unsent.length) await db.membership.deleteMany({ where: { id: { in: unsent }, syncState: 'SENDING' } });
    clearInterval(heartbeat);
    await flushing;
    await flushSent();
    await releaseRows(runId);
  }
  const limited = !stoppedBy && limitedBy !== null;
  stoppedBy ??= limitedBy;
  return { ...(await finishRun(actor, job, attempted, stoppedBy, options.unfinishedStatus ?? 'PARTIAL')), limited };
}

/**
 * The job's status after a run, and its "completed" audit event. Several runs may end at once;
 * the job row is locked while deciding, and only the run that moves it out of RUNNING/QUEUED
 * into a finished state records the event.
 */
async function finishRun(
  actor: Actor,
  job: BulkInviteJob,
  attempted: number,
  stoppedBy: BulkRunResult['stoppedBy'],
  unfinishedStatus: BulkInviteJobStatus,
): Promise<Omit<BulkRunResult, 'limited'>> {
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<Array<{ status: BulkInviteJobStatus }>>`
      SELECT status FROM "BulkInviteJob" WHERE id = ${job.id} FOR UPDATE`;
    const groups = await tx.bulkInviteRow.groupBy({ by: ['status'], where: { jobId: job.id }, _count: { _all: true } });
    const counts: BulkCounts = { total: 0, pending: 0, invited: 0, skipped: 0, failed: 0, held: 0 };
    for (const g of groups) {
      counts[g.status.toLowerCase() as Lowercase<BulkInviteRowStatus>] = g._count._all;
      counts.total += g._count._all;
    }
    const done = counts.pending === 0;
    // This run gave its claims back before getting here: a live claim is another run's, still sending.
    const othersSending =
      !done &&
      (await tx.bulkInviteRow.count({
        where: { jobId: job.id, status: 'PENDING', claimedAt: { gte: new Date(Date.now() - rowLeaseMs()) } },
      })) > 0;
    // Rows left and nothing wrong: another run (or this job's next slice) carries on.
    // A background run stopped by a fault stays QUEUED: its job is retried, and the page must not read "stopped" meanwhile.
    let status: BulkInviteJobStatus = done ? (counts.failed ? 'PARTIAL' : 'COMPLETED') : unfinishedStatus;
    if (othersSending) status = 'RUNNING';
    const wasActive = locked?.status === 'RUNNING' || locked?.status === 'QUEUED';
    const saved = await tx.bulkInviteJob.update({ where: { id: job.id }, data: { status } });
    if (done && attempted > 0 && wasActive) {
      await recordAudit(
        {
          actor,
          organizationId: job.organizationId,
          action: 'bulk_invite.completed',
          target: { type: 'bulk_invite', id: job.id, label: job.fileName },
          metadata: { ...counts, source: job.source },
        },
        tx,
      );
    }
    return { job: saved, counts, attempted, stoppedBy, done };
  });
}

export const RESULT_LABELS: Record<BulkInviteRowStatus, string> = {
  PENDING: 'not sent yet',
  INVITED: 'invited',
  SKIPPED: 'skipped',
  FAILED: 'failed',
  HELD: 'held for approval',
};

/** The job's rows as a downloadable CSV: row, email, name, role, result, reason. */
export async function bulkResultsCsv(actor: Actor, organizationId: string, jobId: string): Promise<{ fileName: string; csv: string }> {
  const { job, rows } = await getBulkJob(actor, organizationId, jobId);
  const csv = toCsv(
    ['row', 'email', 'name', 'role', 'result', 'reason'],
    rows.map((r) => [r.rowNumber, r.email, r.name, r.role, RESULT_LABELS[r.status], r.reason]),
  );
  const base = (job.fileName ?? (job.source === 'directory' ? 'directory-invitations' : 'invitations')).replace(/\.csv$/i, '');
  return { fileName: `${base}-results.csv`, csv };
}
