import type { Actor } from '@/lib/auth/actor';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import { revokeInvitation } from './resend-revoke';

/**
 * DELETE /api/invitations/:id as an idempotent call: revoking deletes the row, so a client
 * retrying a DELETE whose answer it lost would otherwise get 404 and not know whether its own
 * call worked. When this organization's audit log records that this very invitation was revoked
 * (written in the revoke's own transaction), the repeat is answered as done. Another
 * organization's id is still 404: the lookup is scoped to the caller's organization.
 */
export async function revokeInvitationOnce(actor: Actor, organizationId: string, id: string): Promise<'revoked' | 'already_revoked'> {
  try {
    await revokeInvitation(actor, organizationId, id);
    return 'revoked';
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'invitation_not_found' || typeof id !== 'string' || id.length > 64) throw error;
    const revoked = await db.auditEvent.findFirst({
      where: { organizationId, action: 'invitation.revoked', targetType: 'membership', targetId: id },
      select: { id: true },
    });
    if (!revoked) throw error;
    return 'already_revoked';
  }
}
