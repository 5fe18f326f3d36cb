import { orgRoute } from '@/lib/http/org-route';
import { invitationJson, invitationViewFor, jsonResponse } from '@/lib/invitations/http';
import { resendInvitation } from '@/lib/invitations/service';

/** POST /api/invitations/:id/resend — send the invitation email again with a new expiry. */
export const POST = orgRoute<{ id: string }>({ mutating: true, scopes: ['members:invite'] }, async ({ actor, params }) => {
  const membership = await resendInvitation(actor, actor.organizationId, params.id);
  return jsonResponse({ invitation: invitationJson(membership, invitationViewFor(actor)) });
});
