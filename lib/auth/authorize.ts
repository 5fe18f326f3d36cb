import type { Actor } from '@/lib/auth/actor';
import { ForbiddenError } from '@/lib/errors/app-error';
import { can, scopeFor, scopesCan, type Permission, type Role } from '@/lib/auth/permissions';

/** People by their role, API keys by their scopes (they have no role), within the actor's own organization. */
export function actorCan(actor: Actor, permission: Permission): boolean {
  return actor.kind === 'api_key' ? scopesCan(actor.scopes, permission) : can(actor.role, permission);
}

/** Why a key is refused, in words that tell its owner what to do. */
function apiKeyRefusal(permission: Permission): string {
  if (permission === 'members:grant_admin') {
    return 'An API key cannot invite admins. Invite the person as a member; an admin can promote them in Teamgate.';
  }
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

/** Giving someone a role (by inviting them with it): admin takes its own permission, which no API key holds. */
export function assertCanGrantRole(actor: Actor, organizationId: string, role: Role): void {
  if (role === 'admin') assertCan(actor, organizationId, 'members:grant_admin');
}
