import type { Actor } from '@/lib/auth/actor';
import { assertCanGrantRole, type GrantableRole } from '@/lib/auth/authorize';
import { grantedPermissions, resolvePermissions, roleLabel, type GrantedPermission } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/errors/app-error';
import { errorForLog, log } from '@/lib/log';
import { getScalekit } from '@/lib/scalekit/client';
import { describeScalekitError } from '@/lib/scalekit/errors';

/**
 * The roles an organization can hand out, from Scalekit (RolesService.ListOrganizationRoles: the
 * environment's roles and the organization's own), kept in OrganizationRole so the team page and
 * the invite form read them without a Scalekit call and keep working while Scalekit is down.
 *
 * What a role grants comes from ListEffectiveRolePermissions for environment roles. The SDK (2.11)
 * cannot ask ListOrganizationRoles / GetOrganizationRole for permissions (it does not forward the
 * documented `include` parameter), so an organization role's permissions are read from a member
 * who holds it (Scalekit computes OrganizationMembership.permissions); until one does, they are
 * unknown and the grant check treats the role as granting everything (lib/auth/authorize.ts).
 */

export interface RoleDefinition extends GrantableRole {
  description: string | null;
  /** Scalekit's default role for new members of this organization */
  isDefault: boolean;
  isOrgRole: boolean;
}

/** How long a cached list is used before the next read refreshes it from Scalekit. */
export const ROLE_CACHE_MS = 5 * 60_000;

function definitionOf(row: {
  name: string;
  displayName: string;
  description: string | null;
  permissions: string[];
  permissionsKnown: boolean;
  isDefault: boolean;
  isOrgRole: boolean;
}): RoleDefinition {
  return {
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    permissions: grantedPermissions(row.permissions),
    permissionsKnown: row.permissionsKnown,
    isDefault: row.isDefault,
    isOrgRole: row.isOrgRole,
  };
}

async function cachedRoles(organizationId: string) {
  return db.organizationRole.findMany({ where: { organizationId }, orderBy: { position: 'asc' } });
}

/** What the organization's members holding `role` were granted by Scalekit: the org-role fallback. */
async function permissionsHeldAs(organizationId: string, role: string): Promise<GrantedPermission[] | null> {
  const holder = await db.membership.findFirst({
    where: { organizationId, role, status: 'ACTIVE', syncState: 'SYNCED', NOT: { permissions: { isEmpty: true } } },
    select: { permissions: true },
    orderBy: { updatedAt: 'desc' },
  });
  return holder ? grantedPermissions(holder.permissions) : null;
}

/** Reads the organization's roles from Scalekit and replaces the cached list. Throws AppError when Scalekit fails. */
export async function refreshOrganizationRoles(organizationId: string, now: Date = new Date()): Promise<RoleDefinition[]> {
  const scalekit = getScalekit();
  let definitions: RoleDefinition[];
  try {
    const { roles } = await scalekit.role.listOrganizationRoles(organizationId);
    definitions = await Promise.all(
      roles.map(async (role): Promise<RoleDefinition> => {
        let permissions: GrantedPermission[] | null;
        if (role.isOrgRole) {
          permissions = await permissionsHeldAs(organizationId, role.name);
        } else {
          const effective = await scalekit.permission.listEffectiveRolePermissions(role.name);
          permissions = resolvePermissions(
            role.name,
            effective.permissions.map((p) => p.name),
          );
        }
        return {
          name: role.name,
          displayName: roleLabel(role.name, role.displayName),
          description: role.description || null,
          permissions: permissions ?? [],
          permissionsKnown: permissions !== null,
          isDefault: role.defaultMember,
          isOrgRole: role.isOrgRole,
        };
      }),
    );
  } catch (error) {
    log.warn({ err: errorForLog(error), organizationId }, 'roles: reading Scalekit failed');
    const failure = describeScalekitError(error);
    throw new AppError(failure.code, `${failure.message} The list of roles could not be read.`, { retryable: failure.retryable });
  }

  await db.$transaction([
    db.organizationRole.deleteMany({ where: { organizationId, name: { notIn: definitions.map((d) => d.name) } } }),
    ...definitions.map((d, position) =>
      db.organizationRole.upsert({
        where: { organizationId_name: { organizationId, name: d.name } },
        create: { organizationId, ...d, permissions: [...d.permissions], position, syncedAt: now },
        update: { ...d, permissions: [...d.permissions], position, syncedAt: now },
      }),
    ),
  ]);
  return definitions;
}

/**
 * The organization's roles in Scalekit's order: the cached list while it is fresh, otherwise read
 * again. When Scalekit cannot be reached a stale list is still used (roles change rarely); with no
 * list at all the Scalekit error is thrown.
 */
export async function organizationRoles(organizationId: string, now: Date = new Date()): Promise<RoleDefinition[]> {
  const cached = await cachedRoles(organizationId);
  const fresh = cached.length > 0 && cached.every((r) => now.getTime() - r.syncedAt.getTime() < ROLE_CACHE_MS);
  if (fresh) return cached.map(definitionOf);
  try {
    return await refreshOrganizationRoles(organizationId, now);
  } catch (error) {
    if (cached.length === 0) throw error;
    log.warn({ organizationId }, 'roles: using the cached list while Scalekit is unavailable');
    return cached.map(definitionOf);
  }
}

/** The role named `name` among `roles`, or an unknown_role error that lists the roles there are. */
export function findRole(roles: readonly RoleDefinition[], name: string): RoleDefinition {
  const role = roles.find((r) => r.name === name);
  if (role) return role;
  const names = roles.map((r) => r.name).join(', ');
  throw new AppError('unknown_role', `There is no role "${name}" in this organization. Choose one of: ${names}.`, { field: 'role' });
}

/** Why the actor may not hand out the role `name` (a sentence for a preview row), or null when they may. */
export function grantRefusal(actor: Actor, roles: readonly RoleDefinition[], name: string): string | null {
  try {
    grantableRole(actor, actor.organizationId, roles, name);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}

/** The role `name` of the organization, when the actor may hand it out (lib/auth/authorize.ts assertCanGrantRole). */
export function grantableRole(actor: Actor, organizationId: string, roles: readonly RoleDefinition[], name: string): RoleDefinition {
  const role = findRole(roles, name);
  assertCanGrantRole(actor, organizationId, role);
  return role;
}

/**
 * A role.* or permission.* webhook: the cached lists are out of date. Environment-level events
 * (no organization) touch every organization's list.
 */
export async function markRolesStale(organizationId: string | null, tx: Prisma.TransactionClient = db): Promise<number> {
  const { count } = await tx.organizationRole.updateMany({
    where: organizationId ? { organizationId } : {},
    data: { syncedAt: new Date(0) },
  });
  return count;
}

/**
 * Display names of roles from the cached lists only (no Scalekit call): for headers and badges.
 * A role not cached yet is named from its identifier (roleLabel).
 */
export async function roleDisplayNames(
  memberships: ReadonlyArray<{ organizationId: string; role: string }>,
): Promise<(organizationId: string, role: string) => string> {
  const rows = memberships.length
    ? await db.organizationRole.findMany({
        where: { OR: memberships.map((m) => ({ organizationId: m.organizationId, name: m.role })) },
        select: { organizationId: true, name: true, displayName: true },
      })
    : [];
  const names = new Map(rows.map((r) => [`${r.organizationId}\u0000${r.name}`, r.displayName]));
  return (organizationId, role) => names.get(`${organizationId}\u0000${role}`) ?? roleLabel(role);
}
