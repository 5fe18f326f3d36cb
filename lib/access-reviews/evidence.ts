import type { Actor } from '@/lib/auth/actor';
import { roleLabel } from '@/lib/auth/permissions';
import { describeAuthMethod } from '@/lib/auth/auth-method';
import { csvLine } from '@/lib/csv/write';
import type { AccessReviewDecision, AccessReviewItem } from '@/lib/generated/prisma/client';
import { STATUS_LABELS } from '@/lib/members/status';
import { organizationRoles } from '@/lib/roles/catalogue';
import { getAccessReview, type ReviewWithItems } from './service';

/**
 * The review as an auditor reads it (SOC 2 / ISO 27001 evidence): every line names the
 * organization, the review and who started and finished it, so one line taken out of the file
 * still says what it is; then the member as they stood at the start, the decision, and its result.
 */
export const EVIDENCE_CSV_HEADER = [
  'organization',
  'organization_id',
  'review_id',
  'review_status',
  'started_by',
  'started_at',
  'finished_by',
  'finished_at',
  'email',
  'name',
  'role_at_review',
  'status_at_review',
  'last_sign_in_at',
  'sign_in_method',
  'open_sessions',
  'api_keys',
  'decision',
  'new_role',
  'note',
  'decided_by',
  'decided_at',
  'result',
  'result_detail',
  'applied_at',
] as const;

export const DECISION_LABELS: Record<AccessReviewDecision, string> = { KEEP: 'Keep', CHANGE_ROLE: 'Change role', REMOVE: 'Remove' };

/** "Applied", "Unchanged", "Failed", "Will retry", or "Not applied yet". */
export function outcomeLabel(item: Pick<AccessReviewItem, 'outcome' | 'retryable'>): string {
  switch (item.outcome) {
    case 'APPLIED':
      return 'Applied';
    case 'UNCHANGED':
      return 'Unchanged';
    case 'FAILED':
      return item.retryable ? 'Failed, will retry' : 'Failed';
    default:
      return 'Not applied yet';
  }
}

/** Display names of the organization's roles, falling back to the name itself (a role deleted since). */
export async function roleNamer(organizationId: string): Promise<(name: string | null) => string> {
  const names = new Map((await organizationRoles(organizationId).catch(() => [])).map((r) => [r.name, r.displayName]));
  return (name) => (name ? (names.get(name) ?? roleLabel(name)) : '');
}

function iso(date: Date | null): string {
  return date ? date.toISOString() : '';
}

export function evidenceLines(review: ReviewWithItems, roleName: (name: string | null) => string): string[] {
  const head = [
    review.organizationName,
    review.organizationId,
    review.id,
    review.status === 'FINISHED' ? 'Finished' : 'In progress',
    review.startedByEmail,
    iso(review.startedAt),
    review.finishedByEmail ?? '',
    iso(review.finishedAt),
  ];
  return [
    csvLine(EVIDENCE_CSV_HEADER),
    ...review.items.map((item) =>
      csvLine([
        ...head,
        item.email,
        item.name ?? '',
        roleName(item.role),
        STATUS_LABELS[item.status],
        iso(item.lastSignInAt),
        item.signInMethod ? describeAuthMethod(item.signInMethod) : '',
        item.openSessions,
        item.apiKeys.join('; '),
        item.decision ? DECISION_LABELS[item.decision] : '',
        roleName(item.newRole),
        item.note ?? '',
        item.decidedByEmail ?? '',
        iso(item.decidedAt),
        outcomeLabel(item),
        item.outcomeMessage ?? '',
        iso(item.appliedAt),
      ]),
    ),
  ];
}

/** The evidence file of one review, for whoever may run reviews. */
export async function accessReviewEvidenceCsv(actor: Actor, organizationId: string, reviewId: string): Promise<AsyncIterator<string>> {
  const review = await getAccessReview(actor, organizationId, reviewId);
  const lines = evidenceLines(review, await roleNamer(organizationId));
  async function* stream(): AsyncGenerator<string> {
    yield* lines;
  }
  return stream();
}
