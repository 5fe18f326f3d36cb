import type { Metadata } from 'next';
import Link from 'next/link';
import { ChevronLeftIcon, DownloadIcon, PrinterIcon } from 'lucide-react';
import { adminOnlyPage } from '@/components/admins-only';
import { TableColumns } from '@/components/table-columns';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableRow } from '@/components/ui/table';
import { DECISION_LABELS } from '@/lib/access-reviews/evidence';
import type { AccessReviewItem } from '@/lib/generated/prisma/client';
import { grantRefusal, organizationRoles } from '@/lib/roles/catalogue';
import { roleOption } from '@/lib/roles/options';
import { DecisionControls } from '../_components/decision-controls';
import { FinishReviewButton } from '../_components/finish-review-button';
import { OutcomeCell, SNAPSHOT_COLUMNS, SnapshotCells } from '../_components/review-cells';
import { evidenceHref, formatDateTime, REVIEW_STATUS, reviewHref } from '../format';
import { loadReview } from '../load';

export const metadata: Metadata = { title: 'Access review' };

/** A decision stays editable until it has been applied (or found to need nothing). */
function editable(item: AccessReviewItem): boolean {
  return item.outcome !== 'APPLIED' && item.outcome !== 'UNCHANGED';
}

/** One review: every member as they stood at its start, the decision on each, and, once applied, each result. */
export default adminOnlyPage('members:manage', 'run access reviews', async ({ actor, orgId, segments }) => {
  const { review, roleName } = await loadReview(actor, orgId, segments.reviewId!);
  const open = review.status === 'IN_PROGRESS';
  const roles = open ? await organizationRoles(orgId).catch(() => []) : [];
  const grantable = roles.filter((r) => grantRefusal(actor, roles, r.name) === null).map(roleOption);
  const decided = review.items.filter((i) => i.decision).length;
  const changes = review.items.filter((i) => i.decision && i.decision !== 'KEEP' && editable(i)).length;
  const applied = review.items.some((i) => i.outcome);
  const status = REVIEW_STATUS[review.status];

  return (
    <section aria-labelledby="review-heading" className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link href={reviewHref(orgId)} className="flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ChevronLeftIcon className="size-4" aria-hidden="true" />
          Access reviews
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="flex flex-col gap-1">
            <div className="flex items-center gap-3">
              <h1 id="review-heading" className="text-xl font-semibold tracking-tight">
                Access review
              </h1>
              <Badge variant={status.variant} data-testid="review-status">
                {status.label}
              </Badge>
            </div>
            <p className="text-sm text-muted-foreground">
              Started by {review.startedByEmail} on {formatDateTime(review.startedAt)}
              {review.finishedAt ? ` · finished by ${review.finishedByEmail} on ${formatDateTime(review.finishedAt)}` : ''}.
            </p>
            <p className="text-sm" data-testid="review-progress">
              {decided} of {review.items.length} members decided
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Button asChild variant="outline">
              <a href={evidenceHref(orgId, review.id)} download>
                <DownloadIcon aria-hidden="true" />
                Evidence CSV
              </a>
            </Button>
            <Button asChild variant="outline">
              <Link href={reviewHref(orgId, review.id, '/print')}>
                <PrinterIcon aria-hidden="true" />
                Printable report
              </Link>
            </Button>
            {open ? (
              decided === review.items.length ? (
                <FinishReviewButton orgId={orgId} reviewId={review.id} changes={changes} />
              ) : (
                <Button disabled title="Decide on every member first">
                  Finish review
                </Button>
              )
            ) : null}
          </div>
        </div>
        {open ? (
          <p className="text-sm text-muted-foreground">
            Decide on each member: keep, change their role, or remove them. Decisions are saved as you make them. Nothing changes until you
            finish the review; the rules of the team page still apply then (the last admin stays, you only give roles you could give).
          </p>
        ) : null}
      </div>

      <Table data-testid="review-table">
        <TableColumns columns={[...SNAPSHOT_COLUMNS, 'Decision', ...(applied ? ['Result'] : [])]} />
        <TableBody>
          {review.items.map((item) => (
            <TableRow key={item.id} data-testid="review-item" data-email={item.email}>
              <SnapshotCells item={item} roleName={roleName} />
              <TableCell className="max-w-64 whitespace-normal">
                {open && editable(item) ? (
                  <DecisionControls
                    orgId={orgId}
                    reviewId={review.id}
                    roles={grantable}
                    row={{
                      id: item.id,
                      email: item.email,
                      role: item.role,
                      decision: item.decision ?? '',
                      newRole: item.newRole,
                      note: item.note,
                    }}
                  />
                ) : (
                  <div className="flex flex-col text-sm" data-testid="review-decision">
                    <span>
                      {item.decision ? DECISION_LABELS[item.decision] : 'No decision'}
                      {item.newRole ? ` → ${roleName(item.newRole)}` : ''}
                    </span>
                    {item.note ? <span className="text-xs text-muted-foreground">{item.note}</span> : null}
                  </div>
                )}
              </TableCell>
              {applied ? <OutcomeCell item={item} /> : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {review.items.length === 0 ? (
        <p className="text-sm text-muted-foreground">This organization had no members when the review started.</p>
      ) : null}
    </section>
  );
});
