import { actorFromContext, requirePermission } from '@/lib/auth/guards';
import { auditCsv, auditFiltersFromSearchParams } from '@/lib/audit/query';
import { problemJson } from '@/lib/errors/respond';
import { errorForLog, log } from '@/lib/log';

/**
 * GET /api/orgs/:orgId/audit.csv?action=&q=&from=&to= — the audit log as CSV, for admins of that
 * organization. Streamed, so a long log never sits in memory. A GET that changes nothing, so no
 * CSRF token; the session guard decides who may read.
 */

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ orgId: string }> }): Promise<Response> {
  const { orgId } = await params;
  try {
    const ctx = await requirePermission(orgId, 'audit:read', request);
    const actor = actorFromContext(ctx, orgId, request);
    const filters = auditFiltersFromSearchParams(new URL(request.url).searchParams);
    const lines = await auditCsv(actor, orgId, filters);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await lines.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          log.error({ err: errorForLog(error), orgId }, 'audit export failed mid-stream');
          controller.error(error);
        }
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="audit-${orgId.replace(/[^A-Za-z0-9_-]/g, '')}-${day}.csv"`,
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (error) {
    return problemJson(error, { context: { orgId }, internalMessage: 'The export failed. Try again.' });
  }
}
