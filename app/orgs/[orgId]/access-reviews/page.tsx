import type { Metadata } from 'next';
import Link from 'next/link';
import { adminOnlyPage } from '@/components/admins-only';
import { PageSection } from '@/components/page-section';
import { EmptyTableNotice, TableColumns } from '@/components/table-columns';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableRow } from '@/components/ui/table';
import { listAccessReviews } from '@/lib/access-reviews/service';
import { StartReviewButton } from './_components/start-review-button';
import { formatDateTime, REVIEW_STATUS, reviewHref } from './format';

export const metadata: Metadata = { title: 'Access reviews' };

/** The organization's access reviews, newest first; one may be in progress at a time. */
export default adminOnlyPage('members:manage', 'run access reviews', async ({ actor, orgId }) => {
  const reviews = await listAccessReviews(actor, orgId);
  const open = reviews.find((r) => r.status === 'IN_PROGRESS');
  return (
    <PageSection
      id="reviews-heading"
      title="Access reviews"
      description="Confirm who should still have access and with which role. Each member is listed as they are when the review starts; your decisions are saved as you make them, and finishing applies them and keeps the review as evidence (CSV and a printable report) for SOC 2 and ISO 27001 audits."
      actions={
        open ? (
          <Button asChild>
            <Link href={reviewHref(orgId, open.id)}>Continue the open review</Link>
          </Button>
        ) : (
          <StartReviewButton orgId={orgId} />
        )
      }
    >
      {reviews.length === 0 ? (
        <EmptyTableNotice testId="reviews-empty">No access reviews yet. Start one to review every member&apos;s access.</EmptyTableNotice>
      ) : (
        <Table data-testid="reviews-table">
          <TableColumns columns={['Started', 'Started by', 'Status', 'Decided', 'Finished', 'Finished by']} actions="" />
          <TableBody>
            {reviews.map((r) => (
              <TableRow key={r.id} data-testid="review-row">
                <TableCell>{formatDateTime(r.startedAt)}</TableCell>
                <TableCell>{r.startedByEmail}</TableCell>
                <TableCell>
                  <Badge variant={REVIEW_STATUS[r.status].variant}>{REVIEW_STATUS[r.status].label}</Badge>
                </TableCell>
                <TableCell>
                  {r.decided} of {r.members}
                </TableCell>
                <TableCell>{formatDateTime(r.finishedAt)}</TableCell>
                <TableCell>{r.finishedByEmail ?? '—'}</TableCell>
                <TableCell className="text-right">
                  <Link className="text-sm underline underline-offset-4" href={reviewHref(orgId, r.id)}>
                    {r.status === 'IN_PROGRESS' ? 'Continue' : 'View'}
                    <span className="sr-only"> the review started {formatDateTime(r.startedAt)}</span>
                  </Link>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </PageSection>
  );
});
