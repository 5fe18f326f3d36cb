import { actorFromContext, requirePermission } from '@/lib/auth/guards';
import { AppError } from '@/lib/errors/app-error';
import { bulkResultsCsv } from '@/lib/invitations/bulk';

/** GET: the per-row results of one bulk invitation as CSV (admins of the org only). */
export async function GET(request: Request, { params }: { params: Promise<{ orgId: string; jobId: string }> }): Promise<Response> {
  const { orgId, jobId } = await params;
  try {
    const ctx = await requirePermission(orgId, 'members:invite', request);
    const { fileName, csv } = await bulkResultsCsv(actorFromContext(ctx, orgId, request), orgId, jobId);
    return new Response(`\uFEFF${csv}`, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`,
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return new Response(error.message, {
      status: error.status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
}
