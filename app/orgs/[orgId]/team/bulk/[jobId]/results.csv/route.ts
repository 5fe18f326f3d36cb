import { ForbiddenError } from '@/lib/auth/authorize';
import { actorFromContext, requireAdmin, UnauthenticatedError } from '@/lib/auth/guards';
import { bulkResultsCsv } from '@/lib/invitations/bulk';
import { InvitationError } from '@/lib/invitations/errors';

/** GET: the per-row results of one bulk invitation as CSV (admins of the org only). */
export async function GET(request: Request, { params }: { params: Promise<{ orgId: string; jobId: string }> }): Promise<Response> {
  const { orgId, jobId } = await params;
  try {
    const ctx = await requireAdmin(orgId, request);
    const { fileName, csv } = await bulkResultsCsv(actorFromContext(ctx, orgId, request), orgId, jobId);
    return new Response(`\uFEFF${csv}`, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`,
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (error) {
    const status = error instanceof UnauthenticatedError ? 401 : error instanceof ForbiddenError ? 403 : error instanceof InvitationError ? error.status : 500;
    if (status === 500) throw error;
    return new Response(error instanceof Error ? error.message : 'Not available.', { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  }
}
