/**
 * Role and scope rules in one place. Every server-side check (guards, services, API)
 * asks these functions; the UI uses them only to decide what to show.
 *
 * People act by the permissions their Scalekit role grants in the organization. API keys have
 * no role: they act by the scopes chosen when the key was created, and no scope can reach the
 * permissions that would let a key manage members, keys or settings (see SCOPE_GRANTS).
 */

/**
 * The permission names Teamgate reads from Scalekit, each with what it allows here. Create them in
 * the Scalekit environment and attach them to roles (docs/roles.md); a membership's effective
 * permissions at Scalekit (OrganizationMembership.permissions, the access token's `permissions`
 * claim) decide what its holder may do. In display order; also the order they are stored in.
 */
export const PERMISSION_DESCRIPTIONS = {
  'members:read': 'see the team and the invitations',
  'members:invite': 'invite people, resend and revoke invitations',
  'members:manage': 'change roles and remove members',
  'org:settings': 'change the organization settings',
  'api_keys:manage': 'create and revoke API keys',
  'audit:read': 'read the audit log',
} as const;
export type GrantedPermission = keyof typeof PERMISSION_DESCRIPTIONS;
export const SCALEKIT_PERMISSIONS = Object.keys(PERMISSION_DESCRIPTIONS) as readonly GrantedPermission[];

/** What a service checks: the granted permissions, plus two that are derived from them. */
export type Permission =
  | GrantedPermission
  /** listing invitations: whoever sees the team sees who is invited */
  | 'invitations:read'
  /** metadata, externalId and sync errors of invitations: what integrations set and admins debug */
  | 'invitations:details';

const DERIVED: Record<Exclude<Permission, GrantedPermission>, GrantedPermission> = {
  'invitations:read': 'members:read',
  'invitations:details': 'members:manage',
};

/**
 * Scalekit environments start with an `admin` and a `member` role that carry none of Teamgate's
 * permission names until someone adds them. Until then these two keep the meaning they have always
 * had here, so pointing Teamgate at a fresh environment does not lock every admin out.
 */
const BUILT_IN_GRANTS: Record<string, readonly GrantedPermission[]> = {
  admin: SCALEKIT_PERMISSIONS,
  member: ['members:read'],
};

/** The role an invitation gets when none is named, and the mirror's when Scalekit names none. */
export const DEFAULT_ROLE = 'member';

/** Scalekit's rule for role names (openapi/scalekit.yaml v1rolesCreateRole.name: alphanumeric with underscores, 1-64). */
export const ROLE_NAME_PATTERN = /^[A-Za-z0-9_]{1,64}$/;

export function isGrantedPermission(value: unknown): value is GrantedPermission {
  return typeof value === 'string' && (SCALEKIT_PERMISSIONS as readonly string[]).includes(value);
}

/**
 * What a membership may do in Teamgate: the Teamgate names among Scalekit's effective permissions
 * for it, in canonical order; when Scalekit lists none of them, the built-in grants of the role name
 * (nothing for any other role: an unknown role grants no power).
 */
export function resolvePermissions(role: string, fromScalekit: readonly string[] | null | undefined): GrantedPermission[] {
  const known = SCALEKIT_PERMISSIONS.filter((p) => fromScalekit?.includes(p));
  if (known.length > 0) return known;
  return [...(BUILT_IN_GRANTS[role] ?? [])];
}

/** Stored permissions (Membership.permissions) as the type, dropping anything Teamgate does not know. */
export function grantedPermissions(stored: readonly string[]): GrantedPermission[] {
  return SCALEKIT_PERMISSIONS.filter((p) => stored.includes(p));
}

/** The granted permission that `permission` stands for (itself, or what a derived one comes from). */
export function requiredPermission(permission: Permission): GrantedPermission {
  return permission in DERIVED ? DERIVED[permission as keyof typeof DERIVED] : (permission as GrantedPermission);
}

export function can(permissions: readonly string[] | null | undefined, permission: Permission): boolean {
  return permissions?.includes(requiredPermission(permission)) ?? false;
}

/** What a member holding `permissions` can do, as a sentence for the dashboard and the header. */
export function describeAbilities(permissions: readonly string[]): string {
  const abilities = SCALEKIT_PERMISSIONS.filter((p) => p !== 'members:read' && permissions.includes(p)).map(
    (p) => PERMISSION_DESCRIPTIONS[p],
  );
  if (abilities.length === 0)
    return permissions.includes('members:read') ? 'See your team; an admin manages it.' : 'Use the product; an admin manages the team.';
  const text = abilities.join('; ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/** "Sales lead" for a role Scalekit names `sales_lead` without a display name. */
export function roleLabel(name: string, displayName?: string | null): string {
  if (displayName) return displayName;
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/** In display order; also the order scopes are stored in. */
export const API_KEY_SCOPES = ['invitations:read', 'invitations:write', 'members:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What the keys page pre-selects: what the invitations API needs. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ['invitations:read', 'invitations:write'];

export const API_KEY_SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  'invitations:read':
    'List and read invitations, with the externalId, metadata and sync errors integrations set (GET /api/invitations, GET /api/invitations/:id).',
  'invitations:write':
    'Invite people, resend and revoke invitations (POST /api/invitations, …/resend, DELETE), only with roles that manage nothing (such as Member).',
  'members:read': 'Read the member list and seat usage.',
};

/** Permissions only people may hold. The type below makes granting one of them to a scope a compile error. */
type PeopleOnly = 'members:manage' | 'org:settings' | 'audit:read' | 'api_keys:manage';
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
