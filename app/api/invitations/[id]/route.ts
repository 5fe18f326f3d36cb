import { resolveRequestActor } from '@/lib/api-keys/request-actor';
import { errorResponse } from '@/lib/invitations/http';
import { revokeInvitation } from '@/lib/invitations/service';

/** DELETE /api/invitations/:id — revoke a pending or expired invitation (204). */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const who = await resolveRequestActor(request, { mutating: true, organizationId: new URL(request.url).searchParams.get('organizationId') });
    if (!who.ok) return who.response;
    const { id } = await params;
    await revokeInvitation(who.actor, who.actor.organizationId, id);
    return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
