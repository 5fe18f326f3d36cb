/**
 * Role and scope rules in one place. Every server-side check (guards, services, API)
 * asks these functions; the UI uses them only to decide what to show.
 *
 * People act by their role in the organization. API keys have no role: they act by the
 * scopes chosen when the key was created, and no scope can reach the permissions that
 * would let a key make admins, manage keys, settings or members (see SCOPE_GRANTS).
 */

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', member: 'Member' };

export type Permission =
  | 'members:read'
  | 'invitations:read'
  /** metadata, externalId and sync errors of invitations: what integrations set and admins debug */
  | 'invitations:details'
  | 'members:invite'
  /** inviting someone as admin: whoever can do this can take over the organization */
  | 'members:grant_admin'
  | 'members:manage'
  | 'org:settings'
  | 'audit:read'
  | 'api_keys:manage';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: [
    'members:read',
    'invitations:read',
    'invitations:details',
    'members:invite',
    'members:grant_admin',
    'members:manage',
    'org:settings',
    'audit:read',
    'api_keys:manage',
  ],
  member: ['members:read', 'invitations:read'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: string | null | undefined, permission: Permission): boolean {
  return isRole(role) && GRANTS[role].includes(permission);
}

/** In display order; also the order scopes are stored in. */
export const API_KEY_SCOPES = ['invitations:read', 'invitations:write', 'members:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What the keys page pre-selects: what the invitations API needs. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ['invitations:read', 'invitations:write'];

export const API_KEY_SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  'invitations:read': 'List invitations, with the externalId, metadata and sync errors integrations set (GET /api/invitations).',
  'invitations:write':
    'Invite people as members, resend and revoke invitations (POST /api/invitations, …/resend, DELETE). Never as admins.',
  'members:read': 'Read the member list and seat usage.',
};

/** Permissions only people may hold. The type below makes granting one of them to a scope a compile error. */
type PeopleOnly = 'members:grant_admin' | 'members:manage' | 'org:settings' | 'audit:read' | 'api_keys:manage';
export type ScopePermission = Exclude<Permission, PeopleOnly>;

const SCOPE_GRANTS: Record<ApiKeyScope, readonly ScopePermission[]> = {
  'invitations:read': ['invitations:read', 'invitations:details'],
  'invitations:write': ['members:invite'],
  'members:read': ['members:read'],
};

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}

export function scopesCan(scopes: readonly string[], permission: Permission): boolean {
  return scopes.some((s) => isApiKeyScope(s) && (SCOPE_GRANTS[s] as readonly Permission[]).includes(permission));
}

/** The scope that would grant `permission`, for a refusal that says what the key lacks; null for people-only permissions. */
export function scopeFor(permission: Permission): ApiKeyScope | null {
  return API_KEY_SCOPES.find((s) => (SCOPE_GRANTS[s] as readonly Permission[]).includes(permission)) ?? null;
}
