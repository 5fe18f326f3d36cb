import type { Metadata } from 'next';
import Link from 'next/link';
import { adminOnlyPage } from '@/components/admins-only';
import { TableColumns } from '@/components/table-columns';
import { Table, TableBody, TableCell, TableRow } from '@/components/ui/table';
import { DECISION_LABELS } from '@/lib/access-reviews/evidence';
import { OutcomeCell, SNAPSHOT_COLUMNS, SnapshotCells } from '../../_components/review-cells';
import { formatDateTime, REVIEW_STATUS, reviewHref } from '../../format';
import { loadReview } from '../../load';
import { PrintButton } from './print-button';

export const metadata: Metadata = { title: 'Access review report' };

/**
 * The review as a document for an auditor: print it, or "Save as PDF" from the print dialog. The
 * app's header, tabs and footer are left out of the printout (print:hidden); rows are not split
 * across pages.
 */
export default adminOnlyPage('members:manage', 'run access reviews', async ({ actor, orgId, segments }) => {
  const { review, roleName } = await loadReview(actor, orgId, segments.reviewId!);
  return (
    <article aria-labelledby="report-heading" className="flex flex-col gap-6 print:gap-4 print:text-[11px]" data-testid="review-report">
      <div className="flex flex-wrap items-center justify-between gap-3 print:hidden">
        <Link className="text-sm underline underline-offset-4" href={reviewHref(orgId, review.id)}>
          Back to the review
        </Link>
        <PrintButton />
      </div>
      <header className="flex flex-col gap-2">
        <h1 id="report-heading" className="text-xl font-semibold tracking-tight">
          Access review report — {review.organizationName}
        </h1>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm" data-testid="report-facts">
          <dt className="text-muted-foreground">Organization</dt>
          <dd>
            {review.organizationName} ({review.organizationId})
          </dd>
          <dt className="text-muted-foreground">Review</dt>
          <dd>
            {review.id} · {REVIEW_STATUS[review.status].label}
          </dd>
          <dt className="text-muted-foreground">Started</dt>
          <dd>
            {formatDateTime(review.startedAt)} by {review.startedByEmail}
          </dd>
          <dt className="text-muted-foreground">Finished</dt>
          <dd>{review.finishedAt ? `${formatDateTime(review.finishedAt)} by ${review.finishedByEmail}` : 'Not finished yet'}</dd>
          <dt className="text-muted-foreground">Members reviewed</dt>
          <dd>{review.items.length}</dd>
        </dl>
        <p className="text-xs text-muted-foreground">Each member is shown as they were when the review started. Times in UTC.</p>
      </header>
      {/* A document, not a screen: cells wrap so the whole table fits the page width. */}
      <Table className="[&_td]:whitespace-normal [&_th]:whitespace-normal">
        <TableColumns columns={[...SNAPSHOT_COLUMNS, 'Decision', 'Result']} />
        <TableBody>
          {review.items.map((item) => (
            <TableRow key={item.id} className="break-inside-avoid" data-testid="report-row" data-email={item.email}>
              <SnapshotCells item={item} roleName={roleName} />
              <TableCell className="max-w-56">
                {item.decision ? DECISION_LABELS[item.decision] : 'No decision'}
                {item.newRole ? ` → ${roleName(item.newRole)}` : ''}
                {item.note ? <span className="block text-xs text-muted-foreground">{item.note}</span> : null}
                <span className="block text-xs text-muted-foreground">
                  {item.decidedByEmail ? `by ${item.decidedByEmail}, ${formatDateTime(item.decidedAt)}` : ''}
                </span>
              </TableCell>
              <OutcomeCell item={item} />
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </article>
  );
});
