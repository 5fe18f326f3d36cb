import type { Actor } from '@/lib/auth/actor';
import { runPool } from '@/lib/concurrency/worker-pool';
import { asAppError, errorBody } from '@/lib/errors/respond';
import { validationError } from '@/lib/errors/zod';
import { idempotent } from '@/lib/http/idempotency';
import { orgRoute, type OrgRouteContext } from '@/lib/http/org-route';
import { invitationJson, invitationViewFor, jsonResponse, readJson } from '@/lib/invitations/http';
import { inviteBatchSchema, roleSchema } from '@/lib/invitations/schemas';
import { listInvitationsQuery } from '@/lib/invitations/listing';
import { inviteMember, listInvitations, type HeldResult } from '@/lib/invitations/service';
import { grantableRole, organizationRoles } from '@/lib/roles/catalogue';

/**
 * POST /api/invitations — invite one person (`{ email, role?, name?, externalId?, metadata? }`)
 * or up to 100 (`{ invitations: [ … ] }`). An invitation an invitation rule holds answers 202 with
 * the request it opened instead (lib/invitation-rules).
 * GET  /api/invitations?status=&email=&emailPrefix=&role=&externalId=&createdAfter=&createdBefore=&cursor=&limit=
 *      — invitations, newest first (the filters: lib/invitations/listing.ts).
 *
 * Machines authenticate with `Authorization: Bearer tg_live_…` (the key's organization; POST
 * needs the invitations:write scope, GET invitations:read — docs/api.md); browsers with the
 * session cookie plus the `x-csrf-token` header (the active organization, or `?organizationId=`
 * for another org the user administers).
 */

const BATCH_CONCURRENCY = 4;

/** An invitation an invitation rule held: the request waiting for an admin, and the rule that held it. */
function heldJson(result: HeldResult) {
  return {
    status: 'held',
    outcome: 'held',
    request: { id: result.request.id, email: result.request.email, role: result.request.role, status: result.request.status },
    rule: { id: result.rule.id, description: result.rule.description },
  } as const;
}

/**
 * Refuse the whole request, before anything is sent, when any item asks for a role the caller
 * may not grant (an API key asking for admin). Items are read with the invite schema's own role
 * rule; an invalid or unknown role is left to each item's own answer.
 */
async function assertRolesGrantable(actor: Actor, items: unknown[]): Promise<void> {
  const roles = await organizationRoles(actor.organizationId);
  for (const item of items) {
    const role = roleSchema.safeParse(item && typeof item === 'object' ? (item as { role?: unknown }).role : undefined);
    if (role.success && roles.some((r) => r.name === role.data)) grantableRole(actor, actor.organizationId, roles, role.data);
  }
}

async function invite({ request, actor, via }: OrgRouteContext<undefined, Record<string, never>>): Promise<Response> {
  const body = await readJson(request);
  const source = via === 'api_key' ? 'api' : 'form';
  const view = invitationViewFor(actor);

  if (body && typeof body === 'object' && !Array.isArray(body) && 'invitations' in body) {
    const batch = inviteBatchSchema.safeParse(body);
    if (!batch.success) throw validationError(batch.error, 'The batch is not valid.');
    const items = batch.data.invitations;
    await assertRolesGrantable(actor, items);
    const results: unknown[] = new Array(items.length);
    await runPool(items, BATCH_CONCURRENCY, async (item, index) => {
      try {
        const r = await inviteMember(actor, actor.organizationId, item, { source });
        results[index] =
          r.outcome === 'held'
            ? { index, ok: true, ...heldJson(r) }
            : { index, ok: true, outcome: r.outcome, invitation: invitationJson(r.membership, view) };
      } catch (error) {
        const e = asAppError(error, { organizationId: actor.organizationId, index }, 'invitations API failed');
        results[index] = { index, ok: false, status: e.status, error: errorBody(e) };
      }
    });
    const summary = { invited: 0, already_invited: 0, already_member: 0, held: 0, failed: 0 };
    for (const r of results as Array<{ ok: boolean; outcome?: keyof typeof summary }>) summary[r.ok ? r.outcome! : 'failed']++;
    return jsonResponse({ results, summary });
  }

  await assertRolesGrantable(actor, [body]);
  const result = await inviteMember(actor, actor.organizationId, body, { source });
  // Accepted, not done: an admin decides on the request (docs/invitation-rules.md).
  if (result.outcome === 'held') return jsonResponse(heldJson(result), 202);
  return jsonResponse(
    { outcome: result.outcome, invitation: invitationJson(result.membership, view) },
    result.outcome === 'invited' ? 201 : 200,
  );
}

// With an Idempotency-Key header, a retried POST replays the first answer (lib/http/idempotency.ts).
export const POST = orgRoute({ mutating: true, scopes: ['members:invite'] }, idempotent(invite));

export const GET = orgRoute({ mutating: false, scopes: ['invitations:read'], query: listInvitationsQuery }, async ({ actor, query }) => {
  const page = await listInvitations(actor, actor.organizationId, query);
  const view = invitationViewFor(actor);
  return jsonResponse({ invitations: page.invitations.map((m) => invitationJson(m, view)), nextCursor: page.nextCursor });
});
