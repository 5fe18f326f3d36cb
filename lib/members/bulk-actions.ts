import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import type { Permission } from '@/lib/auth/permissions';
import { grantedPermissions } from '@/lib/auth/permissions';
import { recordAudit } from '@/lib/audit/record';
import { runPool } from '@/lib/concurrency/worker-pool';
import { csvLine } from '@/lib/csv/write';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import type { BulkMemberAction, BulkMemberActionKind, BulkMemberRow, BulkMemberRowStatus, Membership } from '@/lib/generated/prisma/client';
import { resendInvitation, revokeInvitation } from '@/lib/invitations/service';
import { errorForLog, log } from '@/lib/log';
import { effectiveStatus } from '@/lib/members/status';
import { grantableRole, organizationRoles, type RoleDefinition } from '@/lib/roles/catalogue';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import {
  assertCanActOn,
  changeRoles,
  LAST_ADMIN_MESSAGE,
  managesMembers,
  matchingMemberships,
  removeMember,
  type ListMembersInput,
} from './service';

/**
 * Bulk member actions (issue 14 item 3): change the role of, remove, resend or revoke the
 * invitations of many members at once, in the two steps bulk invite uses.
 *
 * 1. preview: every selected membership gets a row that says what will happen to it (PENDING:
 *    will be done) or why not (SKIPPED: already that role, the last admin, an invitation where a
 *    member is needed, someone whose role grants more than the admin's own…). Nothing reaches
 *    Scalekit. The last-admin rule is applied to the selection as a whole: demoting or removing
 *    every admin at once skips the last one.
 * 2. run, in a background job (`members.bulk-action`, lib/jobs/registry.ts): rows are claimed a
 *    batch at a time (FOR UPDATE SKIP LOCKED, so two workers never take one row) and each goes
 *    through the same single-member service call the row menu uses: the same rules checked
 *    again at that moment, the same locks, audit entries and Scalekit calls. A worker that dies
 *    leaves its rows RUNNING; once the claim is older than STALE_CLAIM_MS another takes them
 *    over, and each operation is safe to repeat (a role set twice, a removal of someone already
 *    gone, a resend inside its cooldown). Scalekit 429/5xx put the row back and fail the job, so
 *    pg-boss retries it later with backoff, not the browser.
 */

export const BULK_ACTION_MAX_ROWS = 10_000;
const BULK_ACTION_CONCURRENCY = 8;
/** Rows claimed at a time: role changes go to changeRoles as one batch, the rest one by one. */
const CLAIM_BATCH = 256;
/** A claim this old belongs to a worker that stopped (a row's single call takes seconds at most). */
export const STALE_CLAIM_MS = 5 * 60_000;

export const BULK_ACTION_KINDS = ['CHANGE_ROLE', 'REMOVE', 'RESEND', 'REVOKE'] as const satisfies readonly BulkMemberActionKind[];

const PERMISSION: Record<BulkMemberActionKind, Permission> = {
  CHANGE_ROLE: 'members:manage',
  REMOVE: 'members:manage',
  RESEND: 'members:invite',
  REVOKE: 'members:invite',
};

export const KIND_LABELS: Record<BulkMemberActionKind, string> = {
  CHANGE_ROLE: 'Change role',
  REMOVE: 'Remove from the organization',
  RESEND: 'Resend invitations',
  REVOKE: 'Revoke invitations',
};

export type BulkSelection = { membershipIds: string[] } | { filter: Omit<ListMembersInput, 'cursor' | 'limit'> };

export interface BulkActionRequest {
  kind: BulkMemberActionKind;
  /** The role CHANGE_ROLE gives */
  role?: string;
  selection: BulkSelection;
}

export interface BulkActionCounts {
  total: number;
  pending: number;
  running: number;
  done: number;
  skipped: number;
  failed: number;
}

export interface BulkActionView {
  action: BulkMemberAction;
  counts: BulkActionCounts;
  /** The first rows, in selection order (the results file has them all) */
  rows: BulkMemberRow[];
}

const SHOWN_ROWS = 200;

function isInvitation(m: Membership, now: Date): boolean {
  const status = effectiveStatus(m, now);
  return status === 'PENDING_INVITE' || status === 'INVITE_EXPIRED';
}

const busy = (m: Membership) => !m.userId || m.syncState === 'SENDING';

/** Why this row will not be done, or null: the checks the single-member call makes, without Scalekit. */
function previewRefusal(
  kind: BulkMemberActionKind,
  actor: Actor,
  organizationId: string,
  m: Membership,
  role: RoleDefinition | null,
  now: Date,
): string | null {
  if (busy(m)) return 'This invitation is still being sent. Try again in a moment.';
  if (kind === 'RESEND' || kind === 'REVOKE') return isInvitation(m, now) ? null : 'Not an invitation: this person has already joined.';
  if (kind === 'REMOVE') {
    if (isInvitation(m, now)) return 'This is an invitation, not a member: revoke it instead.';
    if (actor.kind === 'user' && m.userId === actor.userId) return 'To leave the organization yourself, use Leave on your account page.';
  }
  if (kind === 'CHANGE_ROLE' && m.role === role!.name) return `Already ${role!.displayName}.`;
  try {
    assertCanActOn(actor, organizationId, m);
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  return null;
}

/** Does this row take members:manage away from an active member? */
function takesManagerAway(kind: BulkMemberActionKind, m: Membership, role: RoleDefinition | null): boolean {
  if (!managesMembers(m)) return false;
  if (kind === 'REMOVE') return true;
  return kind === 'CHANGE_ROLE' && !(role!.permissionsKnown && role!.permissions.includes('members:manage'));
}

function normalizeIds(ids: readonly unknown[]): string[] {
  const unique = [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 64))];
  if (unique.length !== ids.length) throw new AppError('invalid_input', 'The selection has a repeated or malformed member id.');
  return unique;
}

async function selectedMemberships(organizationId: string, selection: BulkSelection, now: Date): Promise<Membership[]> {
  if ('membershipIds' in selection) {
    const ids = normalizeIds(selection.membershipIds);
    if (ids.length === 0) throw new AppError('invalid_input', 'Select at least one person.');
    if (ids.length > BULK_ACTION_MAX_ROWS)
      throw new AppError('invalid_input', `Select at most ${BULK_ACTION_MAX_ROWS.toLocaleString('en-US')} people at once.`);
    const found = await db.membership.findMany({ where: { organizationId, id: { in: ids } } });
    if (found.length !== ids.length)
      throw new AppError('not_found', 'Some of the selected people are no longer in this organization. Reload the page and select again.');
    const order = new Map(ids.map((id, i) => [id, i]));
    return found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }
  const matching = await matchingMemberships(organizationId, selection.filter, BULK_ACTION_MAX_ROWS + 1, now);
  if (matching.length === 0) throw new AppError('invalid_input', 'Nobody matches these filters.');
  if (matching.length > BULK_ACTION_MAX_ROWS) {
    throw new AppError(
      'invalid_input',
      `More than ${BULK_ACTION_MAX_ROWS.toLocaleString('en-US')} people match. Narrow the filters first.`,
    );
  }
  return matching;
}

/** Step 1: check every selected membership and store the action with a row each. Nothing is sent. */
export async function previewBulkMemberAction(actor: Actor, organizationId: string, request: BulkActionRequest): Promise<BulkActionView> {
  if (!BULK_ACTION_KINDS.includes(request.kind)) throw new AppError('invalid_input', 'Choose what to do with the selected people.');
  assertCan(actor, organizationId, PERMISSION[request.kind]);
  if (actor.kind !== 'user') throw new AppError('forbidden', 'Bulk member actions are started by a person signed in to the app.');
  let role: RoleDefinition | null = null;
  if (request.kind === 'CHANGE_ROLE') {
    if (!request.role) throw new AppError('invalid_input', 'Choose the role to give.');
    role = grantableRole(actor, organizationId, await organizationRoles(organizationId), request.role);
  }
  const now = new Date();
  const memberships = await selectedMemberships(organizationId, request.selection, now);

  const refusals = memberships.map((m) => previewRefusal(request.kind, actor, organizationId, m, role, now));
  // The last-admin rule over the whole selection: if every member who can manage members would
  // lose that, the last of them in the selection keeps it.
  const losing = memberships.filter((m, i) => refusals[i] === null && takesManagerAway(request.kind, m, role));
  if (losing.length > 0) {
    const managers = await db.membership.count({ where: { organizationId, status: 'ACTIVE', permissions: { has: 'members:manage' } } });
    if (managers - losing.length <= 0) refusals[memberships.indexOf(losing.at(-1)!)] = LAST_ADMIN_MESSAGE;
  }

  const action = await db.$transaction(async (tx) => {
    const created = await tx.bulkMemberAction.create({
      data: {
        organizationId,
        kind: request.kind,
        role: role?.name ?? null,
        createdByUserId: actor.userId,
        createdByEmail: actor.email,
      },
    });
    for (let i = 0; i < memberships.length; i += 1_000) {
      await tx.bulkMemberRow.createMany({
        data: memberships.slice(i, i + 1_000).map((m, j) => ({
          actionId: created.id,
          position: i + j,
          membershipId: m.id,
          email: m.email,
          roleBefore: m.role,
          status: refusals[i + j] ? ('SKIPPED' as const) : ('PENDING' as const),
          reason: refusals[i + j],
        })),
      });
    }
    return created;
  });
  return viewOf(action);
}

async function findAction(organizationId: string, actionId: string): Promise<BulkMemberAction> {
  const action =
    typeof actionId === 'string' && actionId.length <= 64
      ? await db.bulkMemberAction.findFirst({ where: { id: actionId, organizationId } })
      : null;
  if (!action) throw new AppError('bulk_action_not_found', 'That bulk action does not exist in this organization.');
  return action;
}

async function countRows(actionId: string): Promise<BulkActionCounts> {
  const grouped = await db.bulkMemberRow.groupBy({ by: ['status'], where: { actionId }, _count: { _all: true } });
  const of = (status: BulkMemberRowStatus) => grouped.find((g) => g.status === status)?._count._all ?? 0;
  const counts = { pending: of('PENDING'), running: of('RUNNING'), done: of('DONE'), skipped: of('SKIPPED'), failed: of('FAILED') };
  return { total: counts.pending + counts.running + counts.done + counts.skipped + counts.failed, ...counts };
}

async function viewOf(action: BulkMemberAction): Promise<BulkActionView> {
  const [counts, rows] = await Promise.all([
    countRows(action.id),
    db.bulkMemberRow.findMany({ where: { actionId: action.id }, orderBy: { position: 'asc' }, take: SHOWN_ROWS }),
  ]);
  return { action, counts, rows };
}

export async function getBulkMemberAction(actor: Actor, organizationId: string, actionId: string): Promise<BulkActionView> {
  const action = await findAction(organizationId, actionId);
  assertCan(actor, organizationId, PERMISSION[action.kind]);
  return viewOf(action);
}

/** Step 2 starts: the action is queued, once; `enqueue` hands it to the job queue. */
export async function confirmBulkMemberAction(
  actor: Actor,
  organizationId: string,
  actionId: string,
  enqueue: (actionId: string) => Promise<unknown>,
): Promise<BulkActionView> {
  const action = await findAction(organizationId, actionId);
  assertCan(actor, organizationId, PERMISSION[action.kind]);
  const queued = await db.bulkMemberAction.updateMany({
    where: { id: action.id, status: 'PREVIEW' },
    data: { status: 'QUEUED', queuedAt: new Date() },
  });
  if (queued.count === 0) {
    if (action.status === 'DISCARDED')
      throw new AppError('bulk_action_discarded', 'This bulk action was discarded. Select the people again.');
    // Already confirmed (a double click, a second tab): nothing more to queue.
    return viewOf(await findAction(organizationId, actionId));
  }
  // Queued after the status change commits, so the worker never sees a PREVIEW action. If the
  // queue cannot be reached, the action goes back to PREVIEW: confirming again is the retry.
  try {
    await enqueue(action.id);
  } catch (error) {
    await db.bulkMemberAction.updateMany({ where: { id: action.id, status: 'QUEUED' }, data: { status: 'PREVIEW', queuedAt: null } });
    throw error;
  }
  await recordAudit({
    actor,
    organizationId,
    action: 'bulk_action.started',
    target: { type: 'bulk_action', id: action.id, label: KIND_LABELS[action.kind] },
    metadata: { kind: action.kind, ...(action.role ? { role: action.role } : {}), rows: (await countRows(action.id)).pending },
  });
  return viewOf(await findAction(organizationId, actionId));
}

export async function discardBulkMemberAction(actor: Actor, organizationId: string, actionId: string): Promise<void> {
  const action = await findAction(organizationId, actionId);
  assertCan(actor, organizationId, PERMISSION[action.kind]);
  const discarded = await db.bulkMemberAction.updateMany({ where: { id: action.id, status: 'PREVIEW' }, data: { status: 'DISCARDED' } });
  if (discarded.count === 0) throw new AppError('bulk_action_started', 'This bulk action has already started; it cannot be discarded.');
}

/** The admin who confirmed, as they are now: a run never acts with rights they have since lost. */
async function actorOf(action: BulkMemberAction): Promise<Actor | null> {
  const m = await db.membership.findFirst({
    where: { organizationId: action.organizationId, userId: action.createdByUserId, status: 'ACTIVE' },
    include: { user: { select: { name: true } } },
  });
  if (!m) return null;
  return {
    kind: 'user',
    userId: action.createdByUserId,
    email: action.createdByEmail,
    name: m.user?.name ?? null,
    organizationId: action.organizationId,
    role: m.role,
    permissions: grantedPermissions(m.permissions),
    sessionId: `bulk-action:${action.id}`,
  };
}

/** What a run needs of a row it claimed. */
type ClaimedRow = Pick<BulkMemberRow, 'id' | 'membershipId' | 'attempts' | 'claimedAt'>;

/** Take up to `limit` rows: PENDING ones, and RUNNING ones whose worker stopped. */
async function claimRows(actionId: string, limit: number): Promise<ClaimedRow[]> {
  const staleBefore = new Date(Date.now() - STALE_CLAIM_MS);
  return db.$queryRaw<ClaimedRow[]>`
    UPDATE "BulkMemberRow" SET "status" = 'RUNNING', "claimedAt" = now(), "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "BulkMemberRow"
      WHERE "actionId" = ${actionId}
        AND ("status" = 'PENDING' OR ("status" = 'RUNNING' AND "claimedAt" < ${staleBefore}))
      ORDER BY "position" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "membershipId", "attempts", "claimedAt"`;
}

async function finishRow(row: ClaimedRow, status: BulkMemberRowStatus, reason: string | null): Promise<void> {
  // Only while this worker's claim stands: a row taken over meanwhile is the other worker's to finish.
  await db.bulkMemberRow.updateMany({
    where: { id: row.id, status: 'RUNNING', claimedAt: row.claimedAt },
    data: { status, reason, finishedAt: new Date() },
  });
}

/** Scalekit is rate limiting, down or slow: worth the job's retry later, not a verdict on the row. */
function scalekitTransient(error: unknown): boolean {
  return error instanceof ScalekitCallError && error.retryable;
}

/** The kinds done one row at a time; role changes go in batches (runRoleChanges). */
type PerRowKind = Exclude<BulkMemberActionKind, 'CHANGE_ROLE'>;

const isPerRow = (action: BulkMemberAction): action is BulkMemberAction & { kind: PerRowKind } => action.kind !== 'CHANGE_ROLE';

async function runRow(
  action: BulkMemberAction & { kind: PerRowKind },
  actor: Actor,
  row: ClaimedRow,
): Promise<{ status: BulkMemberRowStatus; reason: string | null }> {
  const { organizationId } = action;
  const retried = row.attempts > 1;
  try {
    switch (action.kind) {
      case 'REMOVE':
        await removeMember(actor, organizationId, row.membershipId);
        return { status: 'DONE', reason: 'Removed.' };
      case 'RESEND':
        await resendInvitation(actor, organizationId, row.membershipId);
        return { status: 'DONE', reason: 'Invitation sent again.' };
      case 'REVOKE':
        await revokeInvitation(actor, organizationId, row.membershipId);
        return { status: 'DONE', reason: 'Invitation revoked.' };
    }
  } catch (error) {
    if (scalekitTransient(error)) throw error;
    if (error instanceof AppError && error.status < 500) {
      // A second attempt after a stop: the first may have got through (the member is gone, the
      // invitation revoked or just resent), which is what was asked.
      if (retried && ['not_found', 'invitation_not_found', 'resend_too_soon'].includes(error.code))
        return { status: 'DONE', reason: 'Done.' };
      return { status: 'SKIPPED', reason: error.message };
    }
    log.error({ err: errorForLog(error), organizationId, actionId: action.id, rowId: row.id }, 'bulk member action: row failed');
    return {
      status: 'FAILED',
      reason: error instanceof AppError ? error.message : 'Something went wrong with this one. Run the remaining rows again later.',
    };
  }
}

/** Rows one at a time through the single-member service calls (removals, resends, revokes). Returns the transient error that stopped it, if any. */
async function runEach(
  action: BulkMemberAction & { kind: PerRowKind },
  actor: Actor,
  rows: ClaimedRow[],
  concurrency: number,
): Promise<unknown> {
  let transient: unknown = null;
  await runPool(
    rows,
    concurrency,
    async (row) => {
      try {
        const outcome = await runRow(action, actor, row);
        await finishRow(row, outcome.status, outcome.reason);
      } catch (error) {
        transient ??= error;
      }
    },
    () => transient !== null,
  );
  return transient;
}

/** A batch of role changes through changeRoles (one read, parallel Scalekit calls, one write-back), finished together. */
async function runRoleChanges(action: BulkMemberAction, actor: Actor, rows: ClaimedRow[], concurrency: number): Promise<unknown> {
  const outcomes = await changeRoles(
    actor,
    action.organizationId,
    rows.map((r) => r.membershipId),
    action.role!,
    { concurrency },
  );
  const finished = new Map<string, { status: BulkMemberRowStatus; reason: string | null; rows: ClaimedRow[] }>();
  let transient: unknown = null;
  for (const row of rows) {
    const outcome = outcomes.get(row.membershipId);
    if (!outcome) continue; // not attempted: back to PENDING below
    let status: BulkMemberRowStatus;
    let reason: string | null;
    switch (outcome.kind) {
      case 'changed':
        [status, reason] = ['DONE', `Now ${outcome.roleLabel}.`];
        break;
      case 'unchanged':
        // On a second attempt, the first one most likely made the change.
        [status, reason] = row.attempts > 1 ? ['DONE', 'Done.'] : ['SKIPPED', 'Already had this role.'];
        break;
      case 'refused':
        [status, reason] = outcome.error.status < 500 ? ['SKIPPED', outcome.error.message] : ['FAILED', outcome.error.message];
        break;
      case 'transient':
        transient ??= outcome.error;
        continue;
    }
    const key = `${status}\u0000${reason}`;
    const group = finished.get(key) ?? { status, reason, rows: [] };
    group.rows.push(row);
    finished.set(key, group);
  }
  for (const group of finished.values()) {
    // Only while this run's claim stands (one claim time for the whole batch).
    await db.bulkMemberRow.updateMany({
      where: { id: { in: group.rows.map((r) => r.id) }, status: 'RUNNING', claimedAt: rows[0]!.claimedAt },
      data: { status: group.status, reason: group.reason, finishedAt: new Date() },
    });
  }
  return transient;
}

export interface BulkRunOptions {
  concurrency?: number;
}

/**
 * The job's work: claim and run rows until none is left, then mark the action DONE. Throws on a
 * transient Scalekit failure after putting the unfinished rows back, so the job is retried.
 */
export async function runBulkMemberAction(actionId: string, options: BulkRunOptions = {}): Promise<BulkActionCounts> {
  const action = await db.bulkMemberAction.findUnique({ where: { id: actionId } });
  if (!action || action.status !== 'QUEUED')
    return action ? countRows(action.id) : { total: 0, pending: 0, running: 0, done: 0, skipped: 0, failed: 0 };
  const actor = await actorOf(action);
  const concurrency = options.concurrency ?? BULK_ACTION_CONCURRENCY;
  for (;;) {
    const rows = await claimRows(action.id, CLAIM_BATCH);
    if (rows.length === 0) break;
    if (!actor) {
      for (const row of rows)
        await finishRow(row, 'FAILED', 'Not done: the admin who started this is no longer a member of the organization.');
      continue;
    }
    const transient = isPerRow(action)
      ? await runEach(action, actor, rows, concurrency)
      : await runRoleChanges(action, actor, rows, concurrency);
    if (transient) {
      // Every row of this batch not finished goes back for the retry, attempted or not.
      await db.bulkMemberRow.updateMany({
        where: { actionId: action.id, id: { in: rows.map((r) => r.id) }, status: 'RUNNING' },
        data: { status: 'PENDING', claimedAt: null },
      });
      throw transient;
    }
  }
  const counts = await countRows(action.id);
  // RUNNING rows may belong to another worker still at it: that worker finishes the action.
  if (counts.pending === 0 && counts.running === 0) {
    const finished = await db.bulkMemberAction.updateMany({
      where: { id: action.id, status: 'QUEUED' },
      data: { status: 'DONE', finishedAt: new Date() },
    });
    if (finished.count === 1) {
      await recordAudit({
        actor: actor ?? { kind: 'system', label: 'bulk-action', organizationId: action.organizationId, role: 'admin', permissions: [] },
        organizationId: action.organizationId,
        action: 'bulk_action.completed',
        target: { type: 'bulk_action', id: action.id, label: KIND_LABELS[action.kind] },
        metadata: { done: counts.done, skipped: counts.skipped, failed: counts.failed },
      });
    }
  }
  return counts;
}

const RESULTS_HEADER = ['email', 'role_before', 'result', 'reason'] as const;

/**
 * Each row of the action and what came of it, as CSV lines (the results file): read a thousand
 * rows at a time, so a large action never sits in memory. In a preview, PENDING reads "will be done".
 */
export async function bulkMemberActionCsv(actor: Actor, organizationId: string, actionId: string): Promise<AsyncIterator<string>> {
  const action = await findAction(organizationId, actionId);
  assertCan(actor, organizationId, PERMISSION[action.kind]);
  const label = (s: BulkMemberRowStatus) => (action.status === 'PREVIEW' && s === 'PENDING' ? 'will be done' : s.toLowerCase());
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(RESULTS_HEADER);
    for (let after = -1; ;) {
      const rows = await db.bulkMemberRow.findMany({
        where: { actionId: action.id, position: { gt: after } },
        orderBy: { position: 'asc' },
        take: 1_000,
      });
      for (const r of rows) yield csvLine([r.email, r.roleBefore, label(r.status), r.reason ?? '']);
      if (rows.length < 1_000) return;
      after = rows.at(-1)!.position;
    }
  }
  return lines();
}
