import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import {
  Prisma,
  type AccessReview,
  type AccessReviewDecision,
  type AccessReviewItem,
  type AccessReviewOutcome,
} from '@/lib/generated/prisma/client';
import { errorForLog, log } from '@/lib/log';
import { changeRole, removeMember } from '@/lib/members/service';
import { grantableRole, organizationRoles } from '@/lib/roles/catalogue';
import { snapshotMembers } from './snapshot';

/**
 * Access reviews: an admin (members:manage) confirms or changes every member's access, and the
 * review is kept as evidence (docs/access-reviews.md). The members are copied when the review
 * starts; decisions are saved one by one; Finish applies them through the member services (so
 * the last-admin rule and the role-grant rules hold exactly as on the team page), one row at a
 * time, recording each row's outcome as it goes, so a retry skips what is done.
 */

export const MAX_NOTE_LENGTH = 500;
export const DECISIONS = ['KEEP', 'CHANGE_ROLE', 'REMOVE'] as const satisfies readonly AccessReviewDecision[];

/** How long one Finish may hold the review before another may take over (a crashed one). */
const FINISH_LEASE_MS = 5 * 60_000;

export type ReviewWithItems = AccessReview & { items: AccessReviewItem[] };

export interface ReviewSummary {
  id: string;
  status: AccessReview['status'];
  startedByEmail: string;
  startedAt: Date;
  finishedByEmail: string | null;
  finishedAt: Date | null;
  members: number;
  decided: number;
}

export interface DecisionInput {
  decision: AccessReviewDecision;
  /** For CHANGE_ROLE: the role to give */
  role?: string | null;
  note?: string | null;
}

export interface FinishResult {
  review: ReviewWithItems;
  applied: number;
  unchanged: number;
  failed: number;
  /** Rows that failed in a way a later Finish may get through (Scalekit down): the review stays open */
  retrying: number;
}

function notFound(): AppError {
  return new AppError('review_not_found');
}

async function findReview(organizationId: string, reviewId: string): Promise<AccessReview> {
  if (typeof reviewId !== 'string' || reviewId.length === 0 || reviewId.length > 64) throw notFound();
  const review = await db.accessReview.findFirst({ where: { id: reviewId, organizationId } });
  if (!review) throw notFound();
  return review;
}

async function withItems(review: AccessReview): Promise<ReviewWithItems> {
  const items = await db.accessReviewItem.findMany({ where: { reviewId: review.id }, orderBy: [{ email: 'asc' }, { id: 'asc' }] });
  return { ...review, items };
}

function actorEmail(actor: Actor): { userId: string | null; email: string } {
  return actor.kind === 'user' ? { userId: actor.userId, email: actor.email } : { userId: null, email: actor.label };
}

/**
 * Start a review: every member as they stand now, copied into it. One review per organization
 * may be open at a time (the unique AccessReview.openFor decides, also for two admins starting
 * at the same moment).
 */
export async function startAccessReview(actor: Actor, organizationId: string, now: Date = new Date()): Promise<ReviewWithItems> {
  assertCan(actor, organizationId, 'members:manage');
  const who = actorEmail(actor);
  try {
    const id = await db.$transaction(async (tx) => {
      const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { name: true } });
      if (!org) throw new AppError('organization_not_found');
      const review = await tx.accessReview.create({
        data: {
          organizationId,
          openFor: organizationId,
          organizationName: org.name,
          startedByUserId: who.userId,
          startedByEmail: who.email,
          startedAt: now,
        },
      });
      const members = await snapshotMembers(organizationId, now, tx);
      await tx.accessReviewItem.createMany({ data: members.map((m) => ({ ...m, reviewId: review.id })) });
      await recordAudit(
        {
          actor,
          organizationId,
          action: 'access_review.started',
          target: { type: 'access_review', id: review.id, label: `Access review of ${org.name}` },
          metadata: { members: members.length },
        },
        tx,
      );
      return review.id;
    });
    return await getAccessReview(actor, organizationId, id);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new AppError('review_in_progress');
    throw error;
  }
}

/** The organization's reviews, newest first, with how far each got. */
export async function listAccessReviews(actor: Actor, organizationId: string): Promise<ReviewSummary[]> {
  assertCan(actor, organizationId, 'members:manage');
  const reviews = await db.accessReview.findMany({
    where: { organizationId },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: 200,
  });
  if (reviews.length === 0) return [];
  const counts = await db.accessReviewItem.groupBy({
    by: ['reviewId'],
    where: { reviewId: { in: reviews.map((r) => r.id) } },
    _count: { _all: true, decision: true },
  });
  const byReview = new Map(counts.map((c) => [c.reviewId, c._count]));
  return reviews.map((r) => ({
    id: r.id,
    status: r.status,
    startedByEmail: r.startedByEmail,
    startedAt: r.startedAt,
    finishedByEmail: r.finishedByEmail,
    finishedAt: r.finishedAt,
    members: byReview.get(r.id)?._all ?? 0,
    decided: byReview.get(r.id)?.decision ?? 0,
  }));
}

export async function getAccessReview(actor: Actor, organizationId: string, reviewId: string): Promise<ReviewWithItems> {
  assertCan(actor, organizationId, 'members:manage');
  return withItems(await findReview(organizationId, reviewId));
}

/** Whether a row's outcome is final: applied, or nothing to do. A failed row may be decided again. */
function settled(item: Pick<AccessReviewItem, 'outcome'>): boolean {
  return item.outcome === 'APPLIED' || item.outcome === 'UNCHANGED';
}

/**
 * Record (or change) the decision on one member. Checked now as far as it can be (the role exists
 * and the reviewer may hand it out); Finish checks everything again when it applies it.
 */
export async function decideAccessReviewItem(
  actor: Actor,
  organizationId: string,
  reviewId: string,
  itemId: string,
  input: DecisionInput,
  now: Date = new Date(),
): Promise<AccessReviewItem> {
  assertCan(actor, organizationId, 'members:manage');
  if (!(DECISIONS as readonly string[]).includes(input.decision)) {
    throw new AppError('invalid_input', 'Choose keep, change role or remove.', { field: 'decision' });
  }
  const note = input.note?.trim() || null;
  if (note && note.length > MAX_NOTE_LENGTH) {
    throw new AppError('invalid_input', `A note can be at most ${MAX_NOTE_LENGTH} characters.`, { field: 'note' });
  }
  let newRole: string | null = null;
  if (input.decision === 'CHANGE_ROLE') {
    if (!input.role) throw new AppError('invalid_input', 'Choose the role to give.', { field: 'role' });
    newRole = grantableRole(actor, organizationId, await organizationRoles(organizationId), input.role).name;
  }

  const review = await findReview(organizationId, reviewId);
  if (review.status === 'FINISHED') throw new AppError('review_finished');
  if (review.finishingUntil && review.finishingUntil > now) throw new AppError('review_busy', undefined, { retryable: true });
  if (typeof itemId !== 'string' || itemId.length === 0 || itemId.length > 64) throw notFound();
  const item = await db.accessReviewItem.findFirst({ where: { id: itemId, reviewId } });
  if (!item) throw new AppError('not_found', 'That member is not part of this review.');
  if (settled(item)) throw new AppError('decision_applied');
  if (newRole === item.role) {
    throw new AppError('invalid_input', `${item.email} already has that role: choose another, or keep.`, { field: 'role' });
  }
  // Only a row not yet settled: two tabs racing a Finish cannot rewrite an applied decision.
  const { count } = await db.accessReviewItem.updateMany({
    where: { id: item.id, OR: [{ outcome: null }, { outcome: 'FAILED' }] },
    data: {
      decision: input.decision,
      newRole,
      note,
      decidedAt: now,
      decidedByEmail: actorEmail(actor).email,
      outcome: null,
      outcomeMessage: null,
      retryable: false,
    },
  });
  if (count === 0) throw new AppError('decision_applied');
  return db.accessReviewItem.findUniqueOrThrow({ where: { id: item.id } });
}

/** The order rows are applied in: role changes before removals (a promotion can make a removal possible), the finisher's own row last. */
function applyOrder(actor: Actor): (a: AccessReviewItem, b: AccessReviewItem) => number {
  const self = actor.kind === 'user' ? actor.userId : null;
  const rank = (i: AccessReviewItem) => (i.userId === self ? 3 : i.decision === 'KEEP' ? 0 : i.decision === 'CHANGE_ROLE' ? 1 : 2);
  return (a, b) => rank(a) - rank(b) || a.email.localeCompare(b.email);
}

interface RowOutcome {
  outcome: AccessReviewOutcome;
  message: string;
  retryable: boolean;
}

/** Apply one decision through the member services. Refusals become the row's outcome, not the whole Finish's. */
async function applyItem(actor: Actor, organizationId: string, item: AccessReviewItem): Promise<RowOutcome> {
  try {
    if (item.decision === 'KEEP') return { outcome: 'UNCHANGED', message: 'Kept as is.', retryable: false };
    if (item.decision === 'CHANGE_ROLE') {
      const result = await changeRole(actor, organizationId, item.membershipId, item.newRole!);
      return result.changed
        ? { outcome: 'APPLIED', message: `Role changed from ${result.previousRole} to ${item.newRole}.`, retryable: false }
        : { outcome: 'UNCHANGED', message: `Already had the role ${item.newRole}.`, retryable: false };
    }
    await removeMember(actor, organizationId, item.membershipId);
    return { outcome: 'APPLIED', message: 'Removed from the organization; their sessions here were ended.', retryable: false };
  } catch (error) {
    // Gone already (removed elsewhere, or an earlier Finish got through before recording it).
    if (error instanceof AppError && error.code === 'not_found') {
      return { outcome: 'UNCHANGED', message: 'No longer a member of the organization.', retryable: false };
    }
    if (error instanceof AppError) return { outcome: 'FAILED', message: error.message, retryable: error.retryable || error.status >= 500 };
    log.error({ err: errorForLog(error), organizationId, itemId: item.id }, 'access review: applying a decision failed');
    return { outcome: 'FAILED', message: 'Something went wrong on our side; Finish again to retry.', retryable: true };
  }
}

/**
 * Finish: apply every decision not yet applied, row by row, and close the review. Safe to call
 * again: rows already applied are skipped, a finished review is returned as it is, and a Finish
 * already running elsewhere is refused (review_busy) rather than run twice. Rows that failed in a
 * way that may pass later keep the review open, for the next Finish.
 */
export async function finishAccessReview(
  actor: Actor,
  organizationId: string,
  reviewId: string,
  now: () => Date = () => new Date(),
): Promise<FinishResult> {
  assertCan(actor, organizationId, 'members:manage');
  const review = await findReview(organizationId, reviewId);
  if (review.status === 'FINISHED') return summarise(await withItems(review));
  const undecided = await db.accessReviewItem.count({ where: { reviewId, decision: null } });
  if (undecided > 0) {
    throw new AppError(
      'review_incomplete',
      `${undecided} ${undecided === 1 ? 'member has' : 'members have'} no decision yet. Decide on every member, then finish.`,
    );
  }
  const started = now();
  const { count } = await db.accessReview.updateMany({
    where: { id: reviewId, status: 'IN_PROGRESS', OR: [{ finishingUntil: null }, { finishingUntil: { lt: started } }] },
    data: { finishingUntil: new Date(started.getTime() + FINISH_LEASE_MS) },
  });
  if (count === 0) {
    const current = await findReview(organizationId, reviewId);
    if (current.status === 'FINISHED') return summarise(await withItems(current));
    throw new AppError('review_busy', undefined, { retryable: true });
  }

  try {
    const todo = await db.accessReviewItem.findMany({
      where: { reviewId, OR: [{ outcome: null }, { outcome: 'FAILED', retryable: true }] },
    });
    for (const item of todo.sort(applyOrder(actor))) {
      const result = await applyItem(actor, organizationId, item);
      await db.$transaction(async (tx) => {
        await tx.accessReviewItem.update({
          where: { id: item.id },
          data: { outcome: result.outcome, outcomeMessage: result.message, retryable: result.retryable, appliedAt: now() },
        });
        if (result.outcome === 'APPLIED') {
          await recordAudit(
            {
              actor,
              organizationId,
              action: 'access_review.change_applied',
              target: { type: 'membership', id: item.membershipId, label: item.email },
              metadata: { reviewId, decision: item.decision!, ...(item.newRole ? { from: item.role, to: item.newRole } : {}) },
            },
            tx,
          );
        }
      });
    }
    const retrying = await db.accessReviewItem.count({ where: { reviewId, outcome: 'FAILED', retryable: true } });
    if (retrying === 0) {
      const who = actorEmail(actor);
      await db.$transaction(async (tx) => {
        const outcomes = await tx.accessReviewItem.groupBy({ by: ['outcome'], where: { reviewId }, _count: { _all: true } });
        await tx.accessReview.update({
          where: { id: reviewId },
          data: {
            status: 'FINISHED',
            openFor: null,
            finishingUntil: null,
            finishedAt: now(),
            finishedByUserId: who.userId,
            finishedByEmail: who.email,
          },
        });
        await recordAudit(
          {
            actor,
            organizationId,
            action: 'access_review.finished',
            target: { type: 'access_review', id: reviewId, label: `Access review of ${review.organizationName}` },
            metadata: Object.fromEntries(outcomes.map((o) => [String(o.outcome).toLowerCase(), o._count._all])),
          },
          tx,
        );
      });
    }
  } finally {
    await db.accessReview.updateMany({ where: { id: reviewId, status: 'IN_PROGRESS' }, data: { finishingUntil: null } });
  }
  return summarise(await withItems(await findReview(organizationId, reviewId)));
}

function summarise(review: ReviewWithItems): FinishResult {
  const count = (f: (i: AccessReviewItem) => boolean) => review.items.filter(f).length;
  return {
    review,
    applied: count((i) => i.outcome === 'APPLIED'),
    unchanged: count((i) => i.outcome === 'UNCHANGED'),
    failed: count((i) => i.outcome === 'FAILED' && !i.retryable),
    retrying: count((i) => i.outcome === 'FAILED' && i.retryable),
  };
}
