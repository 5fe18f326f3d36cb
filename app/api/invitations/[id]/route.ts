import { orgRoute } from '@/lib/http/org-route';
import { invitationJson, invitationViewFor, jsonResponse } from '@/lib/invitations/http';
import { getInvitation } from '@/lib/invitations/listing';
import { revokeInvitationOnce } from '@/lib/invitations/revoke-once';

/** GET /api/invitations/:id — one invitation of the caller's organization, whatever it has become (404 otherwise). */
export const GET = orgRoute<{ id: string }>({ mutating: false, scopes: ['invitations:read'] }, async ({ actor, params }) => {
  const membership = await getInvitation(actor, actor.organizationId, params.id);
  return jsonResponse({ invitation: invitationJson(membership, invitationViewFor(actor)) });
});

/** DELETE /api/invitations/:id — revoke a pending or expired invitation (204, also when it was already revoked). */
export const DELETE = orgRoute<{ id: string }>({ mutating: true, scopes: ['members:invite'] }, async ({ actor, params }) => {
  await revokeInvitationOnce(actor, actor.organizationId, params.id);
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
});
