import { orgRoute } from '@/lib/http/org-route';
import { invitationJson, invitationViewFor, jsonResponse } from '@/lib/invitations/http';
import { readDecisionBody, requestJson } from '@/lib/invitation-requests/http';
import { approveRequest } from '@/lib/invitation-requests/service';

/** POST /api/invitation-requests/:id/approve — `{ note? }`: invite the person (as the caller's invitation) and mark it approved. */
export const POST = orgRoute<{ id: string }>({ mutating: true, scopes: ['members:invite'] }, async ({ request, actor, params, via }) => {
  const { note } = await readDecisionBody(request);
  const {
    request: decided,
    outcome,
    membership,
  } = await approveRequest(actor, actor.organizationId, params.id, {
    note,
    source: via === 'api_key' ? 'api' : 'form',
  });
  return jsonResponse({
    outcome,
    request: requestJson(decided),
    invitation: invitationJson(membership, invitationViewFor(actor)),
  });
});
