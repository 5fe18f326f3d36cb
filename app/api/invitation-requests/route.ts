import { orgRoute } from '@/lib/http/org-route';
import { jsonResponse } from '@/lib/invitations/http';
import { listRequestsQuery, readCreateBody, requestJson } from '@/lib/invitation-requests/http';
import { listRequests, requestInvitation } from '@/lib/invitation-requests/service';

/**
 * GET  /api/invitation-requests?status=&cursor=&limit= — the queue, newest first (keyset pages).
 * POST /api/invitation-requests — ask for someone to be invited (`{ email, role?, name?, reason? }`).
 *
 * API keys need the invitations:write scope for both (the queue is part of inviting: it shows who
 * asked and why, and deciding sends invitations). People: listing needs members:invite; asking,
 * an active membership while the organization takes requests (lib/invitation-requests/service.ts).
 */

export const GET = orgRoute({ mutating: false, scopes: ['members:invite'], query: listRequestsQuery }, async ({ actor, query }) => {
  const page = await listRequests(actor, actor.organizationId, query);
  return jsonResponse({ requests: page.requests.map(requestJson), nextCursor: page.nextCursor });
});

// No route-level permission: any member may ask; the service checks the setting, and for API keys the scope.
export const POST = orgRoute({ mutating: true, scopes: [] }, async ({ request, actor, via }) => {
  const body = await readCreateBody(request);
  const { request: opened, created } = await requestInvitation(actor, actor.organizationId, body, {
    origin: via === 'api_key' ? 'api' : 'form',
  });
  return jsonResponse({ created, request: requestJson(opened) }, created ? 201 : 200);
});
