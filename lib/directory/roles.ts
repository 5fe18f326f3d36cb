import { DEFAULT_ROLE } from '@/lib/auth/permissions';
import type { RoleDefinition } from '@/lib/roles/catalogue';

/**
 * The role a directory user gets: the mapped role of their groups that grants the most (a user in
 * "Admins" and "Everyone" gets admin), else the organization's default role. Scalekit documents
 * this shape of rule ("Users without an explicit role mapping are assigned the organization's
 * default member role"; "deleting one group recalculates the user's role from their remaining
 * group memberships", developer-docs authenticate/manage-users-orgs/scim-provisioning.mdx:93-105).
 */
export function roleFor(groupIds: readonly string[], mapping: ReadonlyMap<string, string>, roles: readonly RoleDefinition[]): string {
  const known = new Map(roles.map((r, position) => [r.name, { r, position }]));
  let best: { r: RoleDefinition; position: number } | null = null;
  for (const id of groupIds) {
    const name = mapping.get(id);
    const candidate = name ? known.get(name) : undefined;
    if (!candidate) continue;
    const weight = (x: RoleDefinition) => (x.permissionsKnown ? x.permissions.length : Number.MAX_SAFE_INTEGER);
    if (!best || weight(candidate.r) > weight(best.r) || (weight(candidate.r) === weight(best.r) && candidate.position < best.position)) {
      best = candidate;
    }
  }
  return best?.r.name ?? roles.find((r) => r.isDefault)?.name ?? DEFAULT_ROLE;
}
