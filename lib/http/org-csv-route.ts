import type { Actor } from '@/lib/auth/actor';
import { actorFromContext, requirePermission } from '@/lib/auth/guards';
import type { Permission } from '@/lib/auth/permissions';
import { csvDownload, datedFileName } from '@/lib/csv/response';
import { problemJson } from '@/lib/errors/respond';

/**
 * GET handler of an organization's CSV export (`/api/orgs/:orgId/…/<name>.csv`): the session must
 * hold `permission` in that organization; `lines` reads the query (and the route's other path
 * segments, `params`) and may refuse it (a 400 or 404 before
 * any byte of the file); the file is streamed as `<name>-<org>-<date>.csv`. A GET that changes
 * nothing, so no CSRF token.
 */
export function orgCsvRoute<P extends { orgId: string } = { orgId: string }>(
  permission: Permission,
  name: string,
  lines: (actor: Actor, orgId: string, search: URLSearchParams, params: P) => Promise<AsyncIterator<string>>,
) {
  return async function GET(request: Request, { params }: { params: Promise<P> }): Promise<Response> {
    const segments = await params;
    const { orgId } = segments;
    try {
      const ctx = await requirePermission(orgId, permission, request);
      const actor = actorFromContext(ctx, orgId, request);
      return csvDownload(await lines(actor, orgId, new URL(request.url).searchParams, segments), datedFileName(name, orgId), { orgId });
    } catch (error) {
      return problemJson(error, { context: { orgId }, internalMessage: 'The export failed. Try again.' });
    }
  };
}
