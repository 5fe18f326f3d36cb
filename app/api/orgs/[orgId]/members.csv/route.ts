import { membersCsv } from '@/lib/members/export';
import type { InactiveDays, MemberSort, MemberStatusFilter } from '@/lib/members/service';
import { orgCsvRoute } from '@/lib/http/org-csv-route';

/**
 * GET /api/orgs/:orgId/members.csv?q=&status=&role=&inactive=&sort= — the team as the team page
 * shows it (same filters, same order), as CSV, for anyone who may see the team.
 */

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = orgCsvRoute('members:read', 'members', (actor, orgId, search) =>
  membersCsv(actor, orgId, {
    q: search.get('q') || undefined,
    // An unknown status is the listing's 400, in its words.
    status: (search.get('status') || undefined) as MemberStatusFilter | undefined,
    role: search.get('role') || undefined,
    // Unknown values are the listing's 400s too (NaN is not one of the offered day counts).
    inactiveDays: search.get('inactive') ? (Number(search.get('inactive')) as InactiveDays) : undefined,
    sort: (search.get('sort') || undefined) as MemberSort | undefined,
  }),
);
