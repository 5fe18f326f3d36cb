import type { Prisma } from '@/lib/generated/prisma/client';
import { recordScalekitSignIn } from '@/lib/members/sign-ins';
import type { WebhookOutcome } from '@/lib/webhooks/outcome';
import type { UserAuthEventData } from '@/lib/webhooks/payloads';

/**
 * user.login and user.logout (UserAuthEventData: the user and Scalekit's session). A sign-in
 * through the app records its own sign-in; this also catches one the app did not see, on the user
 * and on the membership of the session's organization (lib/members/sign-ins.ts). A logout on
 * Scalekit's side (the user signed out of another app on the same environment, an admin ended the
 * session in Scalekit's dashboard) ends the app session that was opened from that Scalekit
 * session, and only that one: Session.scalekitSessionId is the `sid` of the tokens it holds.
 */

export async function applyUserLogin(tx: Prisma.TransactionClient, data: UserAuthEventData, occurredAt: Date): Promise<WebhookOutcome> {
  const { count } = await tx.user.updateMany({
    where: { id: data.user.id, OR: [{ lastLoginAt: null }, { lastLoginAt: { lt: occurredAt } }] },
    data: { lastLoginAt: occurredAt },
  });
  const organizationId = data.user_session.organization_id;
  const membership = organizationId ? await recordScalekitSignIn({ organizationId, userId: data.user.id, at: occurredAt }, tx) : false;
  return count || membership ? 'applied' : 'ignored';
}

export async function applyUserLogout(tx: Prisma.TransactionClient, data: UserAuthEventData): Promise<WebhookOutcome> {
  const { count } = await tx.session.updateMany({
    where: { scalekitSessionId: data.user_session.session_id, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: 'scalekit_logout' },
  });
  return count ? 'applied' : 'ignored';
}
