/**
 * The server's decisions behind the "dead end" pages: someone reached a place they cannot use,
 * and the page should say why and what to do instead of a bare 404 or a generic refusal.
 *
 * Each function decides from the database only; it never widens access. What a page may reveal
 * is decided here too: an outsider learns nothing about an organization, a member learns who
 * its admins are (they can see the team page anyway).
 */

import type { SessionContext } from '@/lib/auth/guards';
import { can, requiredPermission, type Permission } from '@/lib/auth/permissions';
import { db } from '@/lib/db';

/** Admins named on the "only admins" page: enough to know whom to ask, not a directory. */
export const ADMINS_SHOWN = 3;

export type AdminPageAccess =
  | { kind: 'allowed' }
  | { kind: 'member'; organization: { id: string; name: string }; admins: Array<{ name: string | null; email: string }> }
  | { kind: 'outsider' };

/**
 * Who may see a page of `orgId` that needs `permission`: those who hold it; other members get the
 * organization's name and up to ADMINS_SHOWN ACTIVE members who hold it, to ask; anyone else
 * (another org's admin, an edited id) is an outsider and gets the same 404 as an unknown organization.
 */
export async function adminPageAccess(
  ctx: SessionContext,
  orgId: string,
  permission: Permission = 'members:manage',
): Promise<AdminPageAccess> {
  const membership = ctx.memberships.find((m) => m.organizationId === orgId);
  if (!membership) return { kind: 'outsider' };
  if (can(membership.permissions, permission)) return { kind: 'allowed' };
  const admins = await db.membership.findMany({
    where: { organizationId: orgId, status: 'ACTIVE', permissions: { has: requiredPermission(permission) } },
    select: { name: true, email: true },
    orderBy: [{ acceptedAt: 'asc' }, { email: 'asc' }],
    take: ADMINS_SHOWN,
  });
  return { kind: 'member', organization: { id: orgId, name: membership.organizationName }, admins };
}

/**
 * Before sending an email to the identity provider: is this a person we know who no longer
 * belongs anywhere (every membership removed, no invitation waiting)? Then /login says so and
 * tells them to ask for a new invitation, instead of the identity provider's refusal.
 *
 * This tells whoever types the address that it once had an account. Scalekit's hosted page
 * tells them the same ("not an active member of any organization"), so nothing new is revealed.
 */
export async function noLongerMember(email: string): Promise<boolean> {
  const address = email.toLowerCase();
  const user = await db.user.findFirst({ where: { email: address }, select: { id: true, lastLoginAt: true } });
  if (!user) return false;
  const [live, removals] = await Promise.all([
    db.membership.count({
      where: { OR: [{ userId: user.id }, { email: address }], status: { in: ['ACTIVE', 'PENDING_INVITE', 'INVITE_EXPIRED'] } },
    }),
    user.lastLoginAt ? Promise.resolve(1) : db.auditEvent.count({ where: { action: 'member.removed', targetLabel: address } }),
  ]);
  // A user row alone is no proof of a removal: Scalekit's user.created webhook can arrive before
  // the membership's. Having signed in once (so a membership existed) or a recorded removal is.
  return live === 0 && removals > 0;
}

/**
 * An invitation link (email + organization) whose invitation an admin revoked: no membership
 * row is left for that address and the audit log's latest invitation event for it is the
 * revocation. Returns the organization's name for the page, or null for any other case (the
 * link then goes on to the identity provider as before).
 */
export async function revokedInvitation(email: string, organizationId: string): Promise<{ organizationName: string } | null> {
  const address = email.toLowerCase();
  const [row, latest] = await Promise.all([
    db.membership.findFirst({ where: { organizationId, email: address }, select: { id: true } }),
    db.auditEvent.findFirst({
      where: { organizationId, targetLabel: address, action: { in: ['invitation.created', 'invitation.resent', 'invitation.revoked'] } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { action: true, organization: { select: { name: true } } },
    }),
  ]);
  if (row || latest?.action !== 'invitation.revoked') return null;
  return { organizationName: latest.organization.name };
}
