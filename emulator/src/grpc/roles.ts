import type { ConnectRouter } from '@connectrpc/connect';
import { PermissionType, RolesService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/roles/roles_pb.js';
import * as directory from '../directory.js';
import type { Directory } from '../directory.js';
import { EmulatorError, invalid, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { PERMISSION_NAME, ROLE_NAME } from '../seed.js';
import type { PermissionRecord, RoleRecord, State } from '../state.js';
import { ts } from './convert.js';
import type { guarded as Guarded } from './services.js';

/**
 * scalekit.v1.roles.RolesService: environment and organization roles, permissions and the
 * role hierarchy (SDK src/role.ts, src/permission.ts; openapi/scalekit.yaml /api/v1/roles*,
 * /api/v1/permissions*, /api/v1/organizations/{org_id}/roles*). `guarded` comes from services.ts
 * so every service maps errors the same way.
 *
 * Choices where the documents are silent, listed in docs/emulator-fidelity.md §5:
 * - UpdateRole replaces the permissions only when the request names some: the proto's repeated
 *   field cannot tell "unchanged" from "none", and the SDK's own tests update a role's names
 *   without sending its permissions.
 * - DeleteRole refuses a role that others extend, a default role, or one that members hold
 *   without a reassign role (SDK role.ts: "Cannot delete if dependent roles exist. Users must be
 *   reassigned before deletion.").
 * - DeletePermission takes the permission off every role that had it.
 */

const conflict = (errorCode: string, message: string) => new EmulatorError('ALREADY_EXISTS', errorCode, message);
const precondition = (errorCode: string, message: string) => new EmulatorError('FAILED_PRECONDITION', errorCode, message);

/** openapi v1rolesCreateRole.description: "Maximum 2000 characters"; permissions: "Maximum 100 permissions per role". */
const MAX_DESCRIPTION = 2000;
const MAX_ROLE_PERMISSIONS = 100;

type Scope = string | null;

function requireName(name: string, what = 'role_name'): string {
  if (!name) throw invalid(what === 'role_name' ? 'INVALID_ROLE_NAME' : 'INVALID_PERMISSION_NAME', `${what} is required`);
  return name;
}

function rolesOf(state: State, organizationId: string): Map<string, RoleRecord> {
  let roles = state.organizationRoles.get(organizationId);
  if (!roles) state.organizationRoles.set(organizationId, (roles = new Map()));
  return roles;
}

function requireEnvRole(state: State, name: string): RoleRecord {
  const role = state.roles.get(requireName(name));
  if (!role) throw notFound('ROLE_NOT_FOUND', `role "${name}" not found`);
  return role;
}

function requireOrgRole(state: State, orgId: string, name: string): RoleRecord {
  directory.requireOrganization(state, orgId);
  const role = state.organizationRoles.get(orgId)?.get(requireName(name));
  if (!role) throw notFound('ROLE_NOT_FOUND', `organization ${orgId} has no role "${name}"`);
  return role;
}

function requirePermission(state: State, name: string): PermissionRecord {
  const permission = state.permissions.get(requireName(name, 'permission_name'));
  if (!permission) throw notFound('PERMISSION_NOT_FOUND', `permission "${name}" not found`);
  return permission;
}

/** Roles that directly extend `role`: in its organization, or (an environment role) anywhere it is not shadowed. */
function dependentsOf(state: State, role: RoleRecord): RoleRecord[] {
  const candidates = role.organizationId
    ? [...(state.organizationRoles.get(role.organizationId)?.values() ?? [])]
    : [...state.roles.values(), ...[...state.organizationRoles.values()].flatMap((m) => [...m.values()])];
  return candidates.filter((r) => r.extends === role.name && state.roleIn(r.organizationId, r.extends) === role);
}

/** Memberships holding `role` (an organization role only in its organization; an environment role where no own role shadows it). */
function holdersOf(state: State, role: RoleRecord) {
  const orgIds = role.organizationId ? [role.organizationId] : [...state.memberships.keys()];
  return orgIds
    .filter((orgId) => state.roleIn(orgId, role.name) === role)
    .flatMap((orgId) => [...(state.memberships.get(orgId)?.values() ?? [])])
    .filter((m) => m.roles.includes(role.name));
}

function permissionOut(p: PermissionRecord) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    createTime: ts(p.createdAt),
    updateTime: ts(p.updatedAt),
    isScalekitPermission: false,
  };
}

function permissionsOut(state: State, names: string[]) {
  return names.flatMap((name) => {
    const p = state.permissions.get(name);
    return p ? [permissionOut(p)] : [];
  });
}

/**
 * openapi v1rolesRole.permissions: "Only included when 'include' parameter is specified":
 * 'permissions' the direct ones, 'permissions:all' with the inherited ones, each naming its role.
 */
function roleOut(state: State, r: RoleRecord, include: string | undefined, orgId: Scope = null) {
  if (include && include !== 'permissions' && include !== 'permissions:all') {
    throw invalid('INVALID_INCLUDE', `include must be "permissions" or "permissions:all", got "${include}"`);
  }
  const listed = !include
    ? []
    : include === 'permissions'
      ? r.permissions.map((permission) => ({ permission, roleName: r.name }))
      : state.effectivePermissions(r);
  const orgDefault = orgId ? state.organizationDefaultMember.get(orgId) : undefined;
  return {
    id: r.id,
    name: r.name,
    displayName: r.displayName,
    description: r.description,
    defaultCreator: r.defaultCreator,
    defaultMember: orgDefault !== undefined ? orgDefault === r.name : r.defaultMember,
    extends: r.extends ?? undefined,
    permissions: listed.flatMap(({ permission, roleName }) => {
      const p = state.permissions.get(permission);
      return p
        ? [{ id: p.id, name: p.name, description: p.description, createTime: ts(p.createdAt), updateTime: ts(p.updatedAt), roleName }]
        : [];
    }),
    dependentRolesCount: dependentsOf(state, r).length,
    isOrgRole: r.organizationId !== null,
  };
}

function roleEventData(r: RoleRecord): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    display_name: r.displayName,
    description: r.description,
    ...(r.extends ? { extends: r.extends } : {}),
  };
}

function checkPermissionNames(state: State, names: string[]): string[] {
  const unique = [...new Set(names)];
  for (const name of unique) requirePermission(state, name);
  return unique;
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > MAX_DESCRIPTION) {
    throw invalid('INVALID_DESCRIPTION', `description must be at most ${MAX_DESCRIPTION} characters`);
  }
}

/** `base` must be a role the scope sees, and extending it must not close a loop back to `name`. */
function checkBase(state: State, scope: Scope, name: string, base: string): void {
  if (base === name) throw invalid('INVALID_BASE_ROLE', `role "${name}" cannot extend itself`);
  const seen = new Set<string>();
  for (let r = state.roleIn(scope, base); r; r = r.extends ? state.roleIn(r.organizationId ?? scope, r.extends) : undefined) {
    if (r.name === name || seen.has(r.id)) throw invalid('INVALID_BASE_ROLE', `role "${name}" extending "${base}" would be a cycle`);
    seen.add(r.id);
  }
  if (!state.roleIn(scope, base)) throw notFound('ROLE_NOT_FOUND', `base role "${base}" not found`);
}

interface RoleInput {
  name: string;
  displayName: string;
  description?: string;
  extends?: string;
  permissions: string[];
}

function newRole(state: State, scope: Scope, input: RoleInput | undefined): RoleRecord {
  if (!input) throw invalid('INVALID_ROLE', 'role is required');
  if (!input.name) throw invalid('INVALID_ROLE_NAME', 'role name is required');
  if (!ROLE_NAME.test(input.name)) {
    throw invalid('INVALID_ROLE_NAME', `role name "${input.name}" must be 1-64 letters, digits or underscores`);
  }
  if (state.roleIn(scope, input.name)) throw conflict('ROLE_ALREADY_EXISTS', `role "${input.name}" already exists`);
  checkDescription(input.description);
  if (input.permissions.length > MAX_ROLE_PERMISSIONS) {
    throw invalid('INVALID_PERMISSIONS', `a role has at most ${MAX_ROLE_PERMISSIONS} permissions`);
  }
  const permissions = checkPermissionNames(state, input.permissions);
  if (input.extends) checkBase(state, scope, input.name, input.extends);
  const now = new Date();
  return {
    id: newId('role'),
    name: input.name,
    displayName: input.displayName,
    description: input.description ?? '',
    permissions,
    extends: input.extends || null,
    defaultMember: false,
    defaultCreator: false,
    organizationId: scope,
    createdAt: now,
    updatedAt: now,
  };
}

interface RoleChanges {
  displayName?: string;
  description?: string;
  extends?: string;
  permissions: string[];
}

function applyRoleChanges(state: State, role: RoleRecord, changes: RoleChanges | undefined): void {
  if (!changes) throw invalid('INVALID_ROLE', 'role is required');
  checkDescription(changes.description);
  const permissions = changes.permissions.length ? checkPermissionNames(state, changes.permissions) : undefined;
  if (changes.extends) checkBase(state, role.organizationId, role.name, changes.extends);
  if (changes.displayName !== undefined) role.displayName = changes.displayName;
  if (changes.description !== undefined) role.description = changes.description;
  if (changes.extends !== undefined) role.extends = changes.extends || null;
  if (permissions) role.permissions = permissions;
  role.updatedAt = new Date();
}

function deleteRole(dir: Directory, role: RoleRecord, reassignTo: string | undefined): void {
  const { state } = dir;
  const dependents = dependentsOf(state, role);
  if (dependents.length) {
    throw precondition(
      'ROLE_HAS_DEPENDENTS',
      `roles ${dependents.map((r) => `"${r.name}"`).join(', ')} extend "${role.name}"; remove that first`,
    );
  }
  const isOrgDefault = [...state.organizationDefaultMember].some(
    ([orgId, name]) => name === role.name && state.roleIn(orgId, name) === role,
  );
  if (role.defaultCreator || role.defaultMember || isOrgDefault) {
    throw precondition('ROLE_IS_DEFAULT', `"${role.name}" is a default role; set another default first`);
  }
  const holders = holdersOf(state, role);
  if (holders.length) {
    if (!reassignTo)
      throw precondition('ROLE_HAS_USERS', `${holders.length} member(s) have "${role.name}"; name a role to reassign them to`);
    for (const m of holders) {
      if (reassignTo === role.name || !state.roleIn(m.organizationId, reassignTo)) {
        throw notFound('ROLE_NOT_FOUND', `reassign role "${reassignTo}" not found`);
      }
    }
    for (const m of holders) m.roles = [...new Set(m.roles.map((r) => (r === role.name ? reassignTo : r)))];
  }
  if (role.organizationId) state.organizationRoles.get(role.organizationId)?.delete(role.name);
  else state.roles.delete(role.name);
  dir.webhooks.emit('role.deleted', roleEventData(role));
  dir.changed();
}

export function registerRolesService(router: ConnectRouter, dir: Directory, guarded: typeof Guarded): void {
  const { state } = dir;
  const out = (r: RoleRecord, include?: string, orgId: Scope = null) => roleOut(state, r, include, orgId);
  const saved = (r: RoleRecord, event: 'role.created' | 'role.updated') => {
    dir.webhooks.emit(event, roleEventData(r));
    dir.changed();
    return { role: out(r, undefined, r.organizationId) };
  };

  router.service(
    RolesService,
    guarded({
      // Environment roles
      async createRole(req) {
        const role = newRole(state, null, req.role);
        state.roles.set(role.name, role);
        return saved(role, 'role.created');
      },
      async getRole(req) {
        return { role: out(requireEnvRole(state, req.roleName), req.include) };
      },
      async listRoles(req) {
        return { roles: [...state.roles.values()].map((r) => out(r, req.include)) };
      },
      async updateRole(req) {
        const role = requireEnvRole(state, req.roleName);
        applyRoleChanges(state, role, req.role);
        return saved(role, 'role.updated');
      },
      async deleteRole(req) {
        deleteRole(dir, requireEnvRole(state, req.roleName), req.reassignRoleName || req.reassignRoleId || undefined);
        return {};
      },
      async deleteRoleBase(req) {
        const role = requireEnvRole(state, req.roleName);
        role.extends = null;
        role.updatedAt = new Date();
        saved(role, 'role.updated');
        return {};
      },
      async getRoleUsersCount(req) {
        return { count: BigInt(holdersOf(state, requireEnvRole(state, req.roleName)).length) };
      },
      async listDependentRoles(req) {
        return { roles: dependentsOf(state, requireEnvRole(state, req.roleName)).map((r) => out(r, undefined, r.organizationId)) };
      },
      async updateDefaultRoles(req) {
        // The deprecated UpdateDefaultRole messages carry the same choice by id or name.
        const creatorName = req.defaultCreatorRole ?? (req.defaultCreator?.name || req.defaultCreator?.id.replace(/^role_/, ''));
        const memberName = req.defaultMemberRole ?? (req.defaultMember?.name || req.defaultMember?.id.replace(/^role_/, ''));
        if (!creatorName && !memberName) throw invalid('INVALID_DEFAULT_ROLES', 'default_creator_role or default_member_role is required');
        const creator = creatorName ? requireEnvRole(state, creatorName) : undefined;
        const member = memberName ? requireEnvRole(state, memberName) : undefined;
        for (const r of state.roles.values()) {
          if (creator) r.defaultCreator = r === creator;
          if (member) r.defaultMember = r === member;
        }
        dir.changed();
        const current = [...state.roles.values()];
        const defaultCreator = current.find((r) => r.defaultCreator);
        const defaultMember = current.find((r) => r.defaultMember);
        return { defaultCreator: defaultCreator && out(defaultCreator), defaultMember: defaultMember && out(defaultMember) };
      },

      // Organization roles: the organization's own, next to the environment's
      async createOrganizationRole(req) {
        directory.requireOrganization(state, req.orgId);
        const role = newRole(state, req.orgId, req.role);
        rolesOf(state, req.orgId).set(role.name, role);
        return saved(role, 'role.created');
      },
      async getOrganizationRole(req) {
        return { role: out(requireOrgRole(state, req.orgId, req.roleName), req.include, req.orgId) };
      },
      async listOrganizationRoles(req) {
        directory.requireOrganization(state, req.orgId);
        const own = [...(state.organizationRoles.get(req.orgId)?.values() ?? [])];
        const env = [...state.roles.values()].filter((r) => !own.some((o) => o.name === r.name));
        return { roles: [...env, ...own].map((r) => out(r, req.include, req.orgId)) };
      },
      async updateOrganizationRole(req) {
        const role = requireOrgRole(state, req.orgId, req.roleName);
        applyRoleChanges(state, role, req.role);
        return saved(role, 'role.updated');
      },
      async deleteOrganizationRole(req) {
        deleteRole(dir, requireOrgRole(state, req.orgId, req.roleName), req.reassignRoleName || undefined);
        return {};
      },
      async deleteOrganizationRoleBase(req) {
        const role = requireOrgRole(state, req.orgId, req.roleName);
        role.extends = null;
        role.updatedAt = new Date();
        saved(role, 'role.updated');
        return {};
      },
      async getOrganizationRoleUsersCount(req) {
        return { count: BigInt(holdersOf(state, requireOrgRole(state, req.orgId, req.roleName)).length) };
      },
      async updateDefaultOrganizationRoles(req) {
        directory.requireOrganization(state, req.orgId);
        const role = state.roleIn(req.orgId, requireName(req.defaultMemberRole, 'default_member_role'));
        if (!role) throw notFound('ROLE_NOT_FOUND', `role "${req.defaultMemberRole}" not found`);
        state.organizationDefaultMember.set(req.orgId, role.name);
        dir.changed();
        return { defaultMember: out(role, undefined, req.orgId) };
      },

      // Permissions
      async createPermission(req) {
        const input = req.permission;
        if (!input?.name) throw invalid('INVALID_PERMISSION_NAME', 'permission name is required');
        if (!PERMISSION_NAME.test(input.name)) {
          throw invalid('INVALID_PERMISSION_NAME', `permission name "${input.name}" must be 1-64 letters, digits, underscores or colons`);
        }
        if (state.permissions.has(input.name)) throw conflict('PERMISSION_ALREADY_EXISTS', `permission "${input.name}" already exists`);
        checkDescription(input.description);
        const now = new Date();
        const permission: PermissionRecord = {
          id: newId('perm'),
          name: input.name,
          description: input.description,
          createdAt: now,
          updatedAt: now,
        };
        state.permissions.set(permission.name, permission);
        dir.webhooks.emit('permission.created', { id: permission.id, name: permission.name, description: permission.description });
        dir.changed();
        return { permission: permissionOut(permission) };
      },
      async getPermission(req) {
        return { permission: permissionOut(requirePermission(state, req.permissionName)) };
      },
      async listPermissions(req) {
        // Every permission here is the environment's own: none is Scalekit's (PermissionType.SCALEKIT).
        const all = req.type === PermissionType.SCALEKIT ? [] : [...state.permissions.values()];
        const page = directory.paginate(all, req.pageSize ?? 0, req.pageToken ?? '', `permissions:${req.type}`);
        return {
          permissions: page.items.map(permissionOut),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
      async updatePermission(req) {
        const permission = requirePermission(state, req.permissionName);
        if (!req.permission) throw invalid('INVALID_PERMISSION', 'permission is required');
        if (req.permission.name && req.permission.name !== permission.name) {
          throw invalid('INVALID_PERMISSION_NAME', 'a permission cannot be renamed');
        }
        checkDescription(req.permission.description);
        permission.description = req.permission.description;
        permission.updatedAt = new Date();
        dir.webhooks.emit('permission.updated', { id: permission.id, name: permission.name, description: permission.description });
        dir.changed();
        return { permission: permissionOut(permission) };
      },
      async deletePermission(req) {
        const permission = requirePermission(state, req.permissionName);
        const everyRole = [...state.roles.values(), ...[...state.organizationRoles.values()].flatMap((m) => [...m.values()])];
        for (const r of everyRole) r.permissions = r.permissions.filter((p) => p !== permission.name);
        state.permissions.delete(permission.name);
        dir.webhooks.emit('permission.deleted', { id: permission.id, name: permission.name, description: permission.description });
        dir.changed();
        return {};
      },

      // A role's permissions (environment roles: these RPCs take no organization)
      async listRolePermissions(req) {
        return { permissions: permissionsOut(state, requireEnvRole(state, req.roleName).permissions) };
      },
      async addPermissionsToRole(req) {
        const role = requireEnvRole(state, req.roleName);
        if (!req.permissionNames.length) throw invalid('INVALID_PERMISSIONS', 'permission_names is required');
        const added = checkPermissionNames(state, req.permissionNames).filter((p) => !role.permissions.includes(p));
        if (role.permissions.length + added.length > MAX_ROLE_PERMISSIONS) {
          throw invalid('INVALID_PERMISSIONS', `a role has at most ${MAX_ROLE_PERMISSIONS} permissions`);
        }
        role.permissions.push(...added);
        saved(role, 'role.updated');
        // openapi: "Returns the complete list of all permissions now assigned to the role".
        return { permissions: permissionsOut(state, role.permissions) };
      },
      async removePermissionFromRole(req) {
        const role = requireEnvRole(state, req.roleName);
        const permission = requirePermission(state, req.permissionName);
        if (!role.permissions.includes(permission.name)) {
          throw notFound('PERMISSION_NOT_ASSIGNED', `role "${role.name}" does not have permission "${permission.name}"`);
        }
        role.permissions = role.permissions.filter((p) => p !== permission.name);
        saved(role, 'role.updated');
        return {};
      },
      async listEffectiveRolePermissions(req) {
        const role = requireEnvRole(state, req.roleName);
        return {
          permissions: permissionsOut(
            state,
            state.effectivePermissions(role).map((e) => e.permission),
          ),
        };
      },
    }),
  );
}
