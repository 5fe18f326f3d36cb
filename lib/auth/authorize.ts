import type { Actor } from '@/lib/auth/actor';
import { ForbiddenError } from '@/lib/errors/app-error';
import {
  can,
  PERMISSION_DESCRIPTIONS,
  SCALEKIT_PERMISSIONS,
  scopeFor,
  scopesCan,
  type GrantedPermission,
  type Permission,
} from '@/lib/auth/permissions';

/** People by the permissions their role grants, API keys by their scopes (they have no role), within the actor's own organization. */
export function actorCan(actor: Actor, permission: Permission): boolean {
  return actor.kind === 'api_key' ? scopesCan(actor.scopes, permission) : can(actor.permissions, permission);
}

/** Why a key is refused, in words that tell its owner what to do. */
function apiKeyRefusal(permission: Permission): string {
  if (permission === 'api_keys:manage') return 'API keys are managed by admins in the Teamgate app, not through an API key.';
  const scope = scopeFor(permission);
  if (scope) return `This API key does not have the "${scope}" scope. An admin can create a key with it on the API keys page.`;
  return 'An API key cannot do that: members, settings and the audit log are managed by admins in the Teamgate app.';
}

/**
 * The one authorization check every service runs before it reads or changes
 * an organization's data: the actor must belong to THAT organization (an id
 * edited in a URL or form lands here and fails) and hold the permission.
 */
export function assertCan(actor: Actor, organizationId: string, permission: Permission): void {
  if (actor.organizationId !== organizationId) throw new ForbiddenError();
  if (!actorCan(actor, permission)) throw new ForbiddenError(actor.kind === 'api_key' ? apiKeyRefusal(permission) : undefined);
}

/** A role as the grant check needs it (lib/roles/catalogue.ts RoleDefinition). */
export interface GrantableRole {
  name: string;
  displayName: string;
  permissions: readonly GrantedPermission[];
  /** False when Scalekit's API (through the SDK) does not say what the role grants: treated as everything. */
  permissionsKnown: boolean;
}

/** What an API key may hand out: roles that can at most see the team and invite. */
const KEY_GRANTABLE: readonly GrantedPermission[] = ['members:read', 'members:invite'];

function sentence(permissions: readonly GrantedPermission[]): string {
  return permissions.map((p) => PERMISSION_DESCRIPTIONS[p]).join(', ');
}

/**
 * Giving someone a role (inviting them with it, or changing theirs): nobody hands out more than
 * they hold, so a member who may invite cannot invite an admin, and no API key gives a role that
 * manages anything. A role whose permissions are unknown counts as granting all of them.
 */
export function assertCanGrantRole(actor: Actor, organizationId: string, role: GrantableRole): void {
  if (actor.organizationId !== organizationId) throw new ForbiddenError();
  const grants = role.permissionsKnown ? role.permissions : SCALEKIT_PERMISSIONS;
  if (actor.kind === 'api_key') {
    const beyond = grants.filter((p) => !KEY_GRANTABLE.includes(p));
    if (beyond.length > 0) {
      throw new ForbiddenError(
        `An API key cannot invite someone as ${role.displayName}: that role can ${sentence(beyond)}. ` +
          'Invite them with a role that manages nothing (such as Member); an admin can change their role in Teamgate.',
      );
    }
    return;
  }
  const missing = grants.filter((p) => !actor.permissions.includes(p));
  if (missing.length > 0) {
    throw new ForbiddenError(
      `You cannot give someone the ${role.displayName} role: it can ${sentence(missing)}, which your own role cannot. Ask an admin.`,
    );
  }
}
