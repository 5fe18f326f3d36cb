import { z } from 'zod';
import { orgRoute } from '@/lib/http/org-route';
import { jsonResponse } from '@/lib/invitations/http';
import { readCreateBody, requestJson } from '@/lib/invitation-requests/http';
import { listRequests, requestInvitation } from '@/lib/invitation-requests/service';

/**
 * GET  /api/invitation-requests?status=&cursor=&limit= — the queue, newest first (keyset pages).
 * POST /api/invitation-requests — ask for someone to be invited (`{ email, role?, name?, reason? }`).
 *
 * API keys need the invitations:write scope for both (the queue is part of inviting: it shows who
 * asked and why, and deciding sends invitations). People: listing needs members:invite; asking,
 * an active membership while the organization takes requests (lib/invitation-requests/service.ts).
 */

const STATUS_MESSAGE = 'status must be PENDING, APPROVED, DENIED, CANCELLED or DECIDED.';
const LIMIT_MESSAGE = 'limit must be a number from 1 to 100.';

const listQuery = z
  .object({
    status: z.enum(['PENDING', 'APPROVED', 'DENIED', 'CANCELLED', 'DECIDED'], { error: STATUS_MESSAGE }).optional(),
    cursor: z.string().max(200, 'The cursor is not valid.').optional(),
    limit: z.coerce.number({ error: LIMIT_MESSAGE }).int(LIMIT_MESSAGE).min(1, LIMIT_MESSAGE).max(100, LIMIT_MESSAGE).optional(),
  })
  .strict();

export const GET = orgRoute({ mutating: false, scopes: ['members:invite'], query: listQuery }, async ({ actor, query }) => {
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
