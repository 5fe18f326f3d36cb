import { bulkMemberActionCsv } from '@/lib/members/bulk-actions';
import { orgCsvRoute } from '@/lib/http/org-csv-route';

/**
 * GET /api/orgs/:orgId/bulk-actions.csv?id= — one bulk member action's rows and what came of
 * each (a preview's "will be done", or done / skipped / failed with why). The session must see
 * the team; the service then requires the action's own permission.
 */

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = orgCsvRoute('members:read', 'bulk-action', (actor, orgId, search) =>
  bulkMemberActionCsv(actor, orgId, search.get('id') ?? ''),
);
