'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { DECISIONS, decideAccessReviewItem, finishAccessReview, MAX_NOTE_LENGTH, startAccessReview } from '@/lib/access-reviews/service';
import { roleSchema } from '@/lib/invitations/schemas';
import { adminAction, orgIdSchema, rowIdSchema, type ActionResult } from '../admin-action';

/**
 * The access review pages' server actions. adminAction re-checks that the caller may manage
 * members in this organization; the service checks again and looks the review and its rows up
 * inside the organization, so an id edited in the browser reaches nothing of another one.
 */

const reviewInput = z.object({ orgId: orgIdSchema, reviewId: rowIdSchema('That access review does not exist in this organization.') });
const decisionInput = reviewInput.extend({
  itemId: rowIdSchema('That member is not part of this review.'),
  decision: z.enum(DECISIONS, { error: 'Choose keep, change role or remove.' }),
  role: roleSchema.nullish(),
  note: z.string().max(MAX_NOTE_LENGTH, `A note can be at most ${MAX_NOTE_LENGTH} characters.`).nullish(),
});

function revalidateReviews(orgId: string, reviewId?: string): void {
  revalidatePath(`/orgs/${orgId}/access-reviews`);
  if (reviewId) revalidatePath(`/orgs/${orgId}/access-reviews/${reviewId}`);
}

const start = adminAction('members:manage', z.object({ orgId: orgIdSchema }), async ({ orgId }, actor) => {
  const review = await startAccessReview(actor, orgId);
  revalidateReviews(orgId);
  return {
    message: `Access review started: ${review.items.length} ${review.items.length === 1 ? 'member' : 'members'} to review.`,
    reviewId: review.id,
  };
});

const decide = adminAction('members:manage', decisionInput, async ({ orgId, reviewId, itemId, decision, role, note }, actor) => {
  const item = await decideAccessReviewItem(actor, orgId, reviewId, itemId, { decision, role, note });
  return { message: `Saved the decision on ${item.email}.` };
});

const finish = adminAction('members:manage', reviewInput, async ({ orgId, reviewId }, actor) => {
  const result = await finishAccessReview(actor, orgId, reviewId);
  revalidateReviews(orgId, reviewId);
  revalidatePath(`/orgs/${orgId}/team`);
  const done = `${result.applied} applied, ${result.unchanged} unchanged, ${result.failed} failed`;
  return {
    message:
      result.retrying > 0
        ? `${done}; ${result.retrying} could not be applied right now. Finish again to retry them.`
        : `Review finished: ${done}.`,
  };
});

export async function startAccessReviewAction(orgId: string): Promise<ActionResult<{ reviewId: string }>> {
  return start({ orgId });
}

export async function decideAccessReviewAction(input: {
  orgId: string;
  reviewId: string;
  itemId: string;
  decision: string;
  role?: string | null;
  note?: string | null;
}): Promise<ActionResult> {
  return decide(input);
}

export async function finishAccessReviewAction(orgId: string, reviewId: string): Promise<ActionResult> {
  return finish({ orgId, reviewId });
}
