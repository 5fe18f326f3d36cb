import { accessReviewEvidenceCsv } from '@/lib/access-reviews/evidence';
import { orgCsvRoute } from '@/lib/http/org-csv-route';

/**
 * GET /api/orgs/:orgId/access-reviews/:reviewId/evidence.csv — one access review as audit
 * evidence (docs/access-reviews.md), for whoever may manage members.
 */

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = orgCsvRoute<{ orgId: string; reviewId: string }>(
  'members:manage',
  'access-review',
  (actor, orgId, _search, { reviewId }) => accessReviewEvidenceCsv(actor, orgId, reviewId),
);
