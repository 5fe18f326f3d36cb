import { auditCsv, auditFiltersFromSearchParams } from '@/lib/audit/query';
import { orgCsvRoute } from '@/lib/http/org-csv-route';

/**
 * GET /api/orgs/:orgId/audit.csv?action=&q=&from=&to= — the audit log as CSV, for those who may
 * read it in that organization. Streamed, so a long log never sits in memory.
 */

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = orgCsvRoute('audit:read', 'audit', (actor, orgId, search) =>
  auditCsv(actor, orgId, auditFiltersFromSearchParams(search)),
);
