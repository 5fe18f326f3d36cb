import { resolveRequestActor } from '@/lib/api-keys/request-actor';
import { errorResponse, invitationJson, invitationViewFor, jsonResponse } from '@/lib/invitations/http';
import { resendInvitation } from '@/lib/invitations/service';

/** POST /api/invitations/:id/resend — send the invitation email again with a new expiry. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const who = await resolveRequestActor(request, { mutating: true, organizationId: new URL(request.url).searchParams.get('organizationId') });
    if (!who.ok) return who.response;
    const { id } = await params;
    const membership = await resendInvitation(who.actor, who.actor.organizationId, id);
    return jsonResponse({ invitation: invitationJson(membership, invitationViewFor(who.actor)) });
  } catch (error) {
    return errorResponse(error);
  }
}
