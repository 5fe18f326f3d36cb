import { requireOrgMember } from '@/lib/auth/guards';
import { AppError } from '@/lib/errors/app-error';
import { problemJson } from '@/lib/errors/respond';
import { logoResponse } from '@/lib/http/logo-response';
import { readLogo } from '@/lib/organizations/logo';

/**
 * GET /api/orgs/:orgId/logo?v=<hash> — the organization's logo, for its members (the header, the
 * org switcher, Settings). The bytes come from PostgreSQL; lib/http/logo-response.ts fixes the
 * type and the headers.
 */

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ orgId: string }> }): Promise<Response> {
  const { orgId } = await params;
  try {
    await requireOrgMember(orgId, request);
    const logo = await readLogo(orgId);
    if (!logo) throw new AppError('not_found', 'This organization has no logo.');
    return logoResponse(request, logo);
  } catch (error) {
    return problemJson(error, { context: { orgId } });
  }
}
