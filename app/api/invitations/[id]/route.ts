import { orgRoute } from '@/lib/http/org-route';
import { revokeInvitation } from '@/lib/invitations/service';

/** DELETE /api/invitations/:id — revoke a pending or expired invitation (204). */
export const DELETE = orgRoute<{ id: string }>({ mutating: true, scopes: ['members:invite'] }, async ({ actor, params }) => {
  await revokeInvitation(actor, actor.organizationId, params.id);
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
});
