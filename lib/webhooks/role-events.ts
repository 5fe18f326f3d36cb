import { systemActor } from '@/lib/auth/actor';
import { resolvePermissions } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { resyncOrganization } from '@/lib/organizations/resync';
import { markRolesStale } from '@/lib/roles/catalogue';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import type { WebhookOutcome } from '@/lib/webhooks/outcome';

/**
 * role.* and permission.* events: what a role grants changed at Scalekit, so the members holding
 * it must be given the new permissions, and the cached role lists read again.
 *
 * The payloads name the role or permission but carry no permissions (RoleEventData,
 * PermissionEventData), so the new state is read from Scalekit before the event is recorded:
 * a failure is a 500 that Scalekit retries, and reading twice is harmless (nothing here depends
 * on order: it is always the current state that is applied).
 * - An environment role: its effective permissions (ListEffectiveRolePermissions) go to every
 *   holder, in every organization.
 * - An organization role, or a deleted role (Scalekit moves its holders to another role): the
 *   organizations concerned are re-synced from ListOrganizationUsers, whose memberships carry
 *   the permissions Scalekit computed.
 * - A permission: every environment role is read again.
 */

export type RoleChangePlan =
  { kind: 'holders'; updates: Array<{ role: string; permissions: string[] }> } | { kind: 'resynced'; organizations: string[] };

async function effectivePermissions(role: string): Promise<string[] | null> {
  try {
    const { permissions } = await getScalekit().permission.listEffectiveRolePermissions(role);
    return permissions.map((p) => p.name);
  } catch (error) {
    if (error instanceof ScalekitNotFoundException) return null;
    throw error;
  }
}

async function resyncHolders(where: Prisma.MembershipWhereInput, organizationId: string | null): Promise<RoleChangePlan> {
  const organizations = organizationId
    ? [organizationId]
    : (await db.membership.findMany({ where, distinct: ['organizationId'], select: { organizationId: true } })).map(
        (m) => m.organizationId,
      );
  const known = await db.organization.findMany({ where: { id: { in: organizations } }, select: { id: true } });
  for (const { id } of known) await resyncOrganization(systemActor('Scalekit webhook', id), id);
  return { kind: 'resynced', organizations: known.map((o) => o.id) };
}

/** Reads from Scalekit what the role's holders now hold; re-syncs organizations where that cannot be read. Before the transaction. */
export async function readRoleChange(role: string, organizationId: string | null, deleted: boolean): Promise<RoleChangePlan> {
  const permissions = organizationId || deleted ? null : await effectivePermissions(role);
  if (permissions === null) return resyncHolders({ role }, organizationId);
  return { kind: 'holders', updates: [{ role, permissions }] };
}

/** A permission changed: every environment role is read again. */
export async function readPermissionChange(): Promise<RoleChangePlan> {
  const { roles } = await getScalekit().role.listRoles();
  const updates: Array<{ role: string; permissions: string[] }> = [];
  for (const role of roles) {
    const permissions = await effectivePermissions(role.name);
    if (permissions) updates.push({ role: role.name, permissions });
  }
  return { kind: 'holders', updates };
}

/** In the event's transaction: the holders' new permissions, and the cached role lists marked stale. */
export async function applyRoleChange(
  tx: Prisma.TransactionClient,
  plan: RoleChangePlan,
  organizationId: string | null,
): Promise<WebhookOutcome> {
  if (plan.kind === 'holders') {
    // Organization roles share no name with environment roles (Scalekit refuses it), so the name alone finds the holders.
    const orgRoles = new Set(
      (await tx.organizationRole.findMany({ where: { isOrgRole: true }, select: { name: true } })).map((r) => r.name),
    );
    for (const { role, permissions } of plan.updates) {
      if (orgRoles.has(role)) continue;
      await tx.membership.updateMany({ where: { role }, data: { permissions: resolvePermissions(role, permissions) } });
    }
  }
  await markRolesStale(organizationId, tx);
  return 'applied';
}
