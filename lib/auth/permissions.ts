/**
 * Role rules in one place. Every server-side check (guards, services, API)
 * asks these functions; the UI uses them only to decide what to show.
 */

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', member: 'Member' };

export type Permission =
  | 'members:read'
  | 'members:invite'
  | 'members:manage'
  | 'org:settings'
  | 'audit:read'
  | 'api_keys:manage';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['members:read', 'members:invite', 'members:manage', 'org:settings', 'audit:read', 'api_keys:manage'],
  member: ['members:read'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: string | null | undefined, permission: Permission): boolean {
  return isRole(role) && GRANTS[role].includes(permission);
}
