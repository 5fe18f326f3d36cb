import { orgRoute } from '@/lib/http/org-route';
import { jsonResponse } from '@/lib/invitations/http';
import { readDecisionBody, requestJson } from '@/lib/invitation-requests/http';
import { denyRequest } from '@/lib/invitation-requests/service';

/** POST /api/invitation-requests/:id/deny — `{ note? }`: nothing is sent to the person; the member who asked is told. */
export const POST = orgRoute<{ id: string }>({ mutating: true, scopes: ['members:invite'] }, async ({ request, actor, params }) => {
  const { note } = await readDecisionBody(request);
  const decided = await denyRequest(actor, actor.organizationId, params.id, { note });
  return jsonResponse({ request: requestJson(decided) });
});
