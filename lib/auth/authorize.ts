import type { Actor } from '@/lib/auth/actor';
import { can, type Permission } from '@/lib/auth/permissions';

/** A request the actor may not make. `status` is what an API answers. */
export class ForbiddenError extends Error {
  readonly status = 403;
  constructor(message = 'You do not have permission to do that in this organization.') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/**
 * The one authorization check every service runs before it reads or changes
 * an organization's data: the actor must belong to THAT organization (an id
 * edited in a URL or form lands here and fails) and hold the permission.
 */
export function assertCan(actor: Actor, organizationId: string, permission: Permission): void {
  if (actor.organizationId !== organizationId || !can(actor.role, permission)) {
    throw new ForbiddenError();
  }
}
