import { newSecret, seededId } from './ids.js';
import { sendInvitation } from './mailer.js';
import type {
  DomainTypeName,
  EnvironmentSettings,
  MembershipStatusName,
  Seed,
  SeedClient,
  SeedDirectory,
  SeedOrganization,
  SeedPermission,
  SeedRole,
  SsoConnection,
} from './seed.js';

// Everything the emulator knows, in plain objects so it can be snapshotted to a
// JSON file and rebuilt from the seed on reset.

export interface UserRecord {
  id: string;
  email: string;
  externalId: string | null;
  firstName: string;
  lastName: string;
  metadata: Record<string, string>;
  socialIdentities: string[];
  emailVerified: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}

export interface MembershipRecord {
  organizationId: string;
  userId: string;
  /** Stored status; an expired PENDING_INVITE reads as INVITE_EXPIRED (see effectiveStatus). */
  status: MembershipStatusName;
  roles: string[];
  metadata: Record<string, string>;
  inviterEmail: string | null;
  createdAt: Date;
  acceptedAt: Date | null;
  expiresAt: Date | null;
  resentCount: number;
  resentAt: Date | null;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  externalId: string | null;
  metadata: Record<string, string>;
  maxAllowedUsers: number | null;
  allowedEmailDomains: string[];
  ssoConnection: SsoConnection | null;
  features: Record<string, boolean>;
  /**
   * Optional so records from directory.ts, the seed and older --persist files need no change;
   * absent reads as null (no slug / logo, the APPLICATION session policy).
   */
  slug?: string | null;
  logoUrl?: string | null;
  sessionPolicy?: SessionPolicyRecord | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * An organization's CUSTOM session policy (OrganizationService.UpdateOrganizationSessionPolicy),
 * in minutes: Scalekit answers every unit as MINUTES (openapi/scalekit.yaml
 * organizationsOrganizationSessionPolicySettings: "Responses always return 'minutes'").
 */
export interface SessionPolicyRecord {
  absoluteSessionTimeoutMinutes: number;
  idleSessionTimeoutEnabled: boolean;
  idleSessionTimeoutMinutes: number | null;
}

export type ClientSecretStatusName = 'ACTIVE' | 'INACTIVE';

export interface OrganizationClientSecretRecord {
  id: string;
  /** sha256 of the plain secret, which is shown once (CreateOrganizationClientSecretResponse.plain_secret) */
  secretHash: string;
  secretSuffix: string;
  status: ClientSecretStatusName;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
}

/** An organization's M2M client (ClientService *OrganizationClient*, /api/v1/organizations/{id}/clients). */
export interface OrganizationClientRecord {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  scopes: string[];
  audience: string[];
  customClaims: { key: string; value: string }[];
  /** access-token lifetime in seconds (OrganizationClient.expiry), 0 = the environment default */
  expiry: number;
  secrets: OrganizationClientSecretRecord[];
  createdAt: Date;
  updatedAt: Date;
}

/** An API key (ApiTokenService, authenticate/m2m/api-keys.mdx). The opaque key itself is never stored. */
export interface ApiTokenRecord {
  id: string;
  organizationId: string;
  userId: string | null;
  /** sha256 of the opaque key */
  tokenHash: string;
  tokenSuffix: string;
  customClaims: Record<string, string>;
  description: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  invalidatedAt: Date | null;
}

export type SessionStatus = 'ACTIVE' | 'REVOKED' | 'LOGGED_OUT' | 'EXPIRED';

export interface SessionRecord {
  id: string;
  userId: string;
  organizationId: string;
  authenticatedOrganizations: string[];
  clientIds: string[];
  amr: string[];
  status: SessionStatus;
  userAgent: string;
  ip: string;
  createdAt: Date;
  updatedAt: Date;
  lastActiveAt: Date;
  absoluteExpiresAt: Date;
  /** Idle timeout from the organization's session policy (oauth/session-policy.ts); absent = none. */
  idleTimeoutSeconds?: number | null;
  logoutAt: Date | null;
}

/**
 * Who signed in, into which organization and session, through which client, with which scope and
 * sign-in methods: what an authorization code and a refresh token both carry into the tokens issued
 * from them (oauth/tokens.ts issueUserTokens).
 */
export interface SessionGrant {
  clientId: string;
  userId: string;
  organizationId: string;
  sessionId: string;
  scope: string;
  amr: string[];
}

export interface RefreshTokenRecord extends SessionGrant {
  used: boolean;
  expiresAt: Date;
}

export interface AuthCodeRecord extends SessionGrant {
  redirectUri: string;
  nonce: string | null;
  codeChallenge: string | null;
  expiresAt: Date;
  used: boolean;
}

export interface EmailRecord {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
  code: string | null;
  sentAt: string;
}

export interface WebhookEventRecord {
  id: string;
  type: string;
  url: string;
  clientId: string;
  payload: unknown;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  delivered: boolean;
  createdAt: string;
  deliveredAt: string | null;
}

export type DomainVerificationStatus = 'PENDING' | 'VERIFIED' | 'FAILED' | 'AUTO_VERIFIED';
export type DomainVerificationMethod = 'ADMIN' | 'DNS' | 'NOT_APPLICABLE';

export interface DomainRecord {
  id: string;
  organizationId: string;
  domain: string;
  domainType: DomainTypeName;
  verificationStatus: DomainVerificationStatus;
  verificationMethod: DomainVerificationMethod;
  txtRecordKey: string;
  txtRecordSecret: string;
  createdAt: Date;
  updatedAt: Date;
}

export type ConnectionStatusName = 'DRAFT' | 'IN_PROGRESS' | 'COMPLETED';

export interface ConnectionRecord {
  id: string;
  organizationId: string;
  /** ConnectionProvider / ConnectionType enum names (OKTA, SAML, …) */
  provider: string;
  type: string;
  status: ConnectionStatusName;
  enabled: boolean;
  providerKey: string;
  keyId: string | null;
  uiButtonTitle: string;
  /** A seeded SSO connection, which the hosted login offers while the connection is enabled. */
  hostedLogin: SsoConnection | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DirectoryGroupRecord {
  id: string;
  displayName: string;
  externalId: string;
  updatedAt: Date;
}

export interface DirectoryUserRecord {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  preferredUsername: string;
  active: boolean;
  groupIds: string[];
  attributes: Record<string, unknown>;
  updatedAt: Date;
}

export interface DirectoryRecord {
  id: string;
  organizationId: string;
  name: string;
  /** DirectoryType / DirectoryProvider enum names (SCIM, OKTA, …) */
  type: string;
  provider: string;
  enabled: boolean;
  status: ConnectionStatusName;
  groups: DirectoryGroupRecord[];
  users: DirectoryUserRecord[];
  lastSyncedAt: Date | null;
  /**
   * The SCIM bearer tokens an admin generated in the admin portal (oauth/portal.ts), stored hashed:
   * Directory.secrets answers their suffixes (proto scalekit.v1.directories.Secret). Optional so
   * seeded directories and older --persist files need no change.
   */
  secrets?: DirectorySecretRecord[];
  createdAt: Date;
  updatedAt: Date;
}

export interface DirectorySecretRecord {
  id: string;
  /** sha256 of the plain token, which the portal shows once */
  secretHash: string;
  secretSuffix: string;
  createdAt: Date;
}

/** A single-use admin portal link (OrganizationService.GeneratePortalLink; oauth/portal.ts). Never persisted. */
export interface PortalLinkRecord {
  id: string;
  organizationId: string;
  expiresAt: Date;
  used: boolean;
}

/** The portal session a link opens (6 hours, guides/admin-portal.mdx). Never persisted. */
export interface PortalSessionRecord {
  organizationId: string;
  expiresAt: Date;
}

export type PasswordlessTypeName = 'OTP' | 'LINK' | 'LINK_OTP';

/** One headless passwordless request (SendPasswordlessEmail). Short-lived, so never persisted. */
export interface PasswordlessRequestRecord {
  authRequestId: string;
  email: string;
  template: 'SIGNIN' | 'SIGNUP';
  state: string | null;
  magiclinkAuthUri: string | null;
  templateVariables: Record<string, string>;
  passwordlessType: PasswordlessTypeName;
  expiresInSeconds: number;
  code: string | null;
  linkToken: string | null;
  expiresAt: Date;
  attemptsLeft: number;
  verified: boolean;
}

export const DOMAIN_TXT_RECORD_KEY = '_scalekit-domain-verification';

export function newDomainRecord(
  organizationId: string,
  domain: string,
  domainType: DomainTypeName,
  verification: { status: DomainVerificationStatus; method: DomainVerificationMethod },
  id: string,
  now = new Date(),
): DomainRecord {
  return {
    id,
    organizationId,
    domain,
    domainType,
    verificationStatus: verification.status,
    verificationMethod: verification.method,
    txtRecordKey: DOMAIN_TXT_RECORD_KEY,
    txtRecordSecret: `scalekit-verification=${newSecret(18)}`,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * What an API- or dashboard-added domain is (organization-domains.mdx: "Admin-verified by default,
 * no DNS verification is required"); allowed email domains have nothing to verify (NOT_APPLICABLE).
 */
export function adminVerification(domainType: DomainTypeName) {
  return domainType === 'ALLOWED_EMAIL_DOMAIN'
    ? { status: 'AUTO_VERIFIED' as const, method: 'NOT_APPLICABLE' as const }
    : { status: 'VERIFIED' as const, method: 'ADMIN' as const };
}

const SEED_VERIFICATION = {
  DNS_PENDING: { status: 'PENDING', method: 'DNS' },
  DNS_VERIFIED: { status: 'VERIFIED', method: 'DNS' },
  DNS_FAILED: { status: 'FAILED', method: 'DNS' },
} as const;

function seedDomains(o: SeedOrganization, now: Date): DomainRecord[] {
  const entries = [
    ...o.allowedEmailDomains.map((domain) => ({ domain, type: 'ALLOWED_EMAIL_DOMAIN' as const, verification: 'ADMIN' as const })),
    ...(o.ssoConnection?.domains ?? []).map((domain) => ({ domain, type: 'ORGANIZATION_DOMAIN' as const, verification: 'ADMIN' as const })),
    ...o.domains,
  ];
  const seen = new Set<string>();
  const records: DomainRecord[] = [];
  for (const e of entries) {
    const domain = e.domain.toLowerCase();
    if (seen.has(`${e.type}:${domain}`)) continue;
    seen.add(`${e.type}:${domain}`);
    const verification = e.verification === 'ADMIN' ? adminVerification(e.type) : SEED_VERIFICATION[e.verification];
    const id = ('id' in e && e.id) || seededId('dom', `${o.id}:${e.type}:${domain}`);
    records.push(newDomainRecord(o.id, domain, e.type, verification, id, now));
  }
  return records;
}

function seedDirectory(organizationId: string, d: SeedDirectory, now: Date): DirectoryRecord {
  return {
    id: d.id,
    organizationId,
    name: d.name ?? d.provider,
    type: d.type,
    provider: d.provider,
    enabled: d.enabled,
    status: 'COMPLETED',
    groups: d.groups.map((g) => ({ id: g.id, displayName: g.displayName, externalId: g.externalId ?? g.id, updatedAt: now })),
    users: d.users.map((u) => ({
      id: u.id,
      email: u.email.toLowerCase(),
      givenName: u.givenName,
      familyName: u.familyName,
      preferredUsername: u.preferredUsername ?? u.email.toLowerCase(),
      active: u.active,
      groupIds: [...u.groups],
      attributes: structuredClone(u.attributes),
      updatedAt: now,
    })),
    lastSyncedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

export interface PermissionRecord {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An environment role (organizationId null) or an organization-specific one. */
export interface RoleRecord {
  id: string;
  name: string;
  displayName: string;
  description: string;
  /** Direct permissions, by name; inherited ones come from `extends` (see effectivePermissions). */
  permissions: string[];
  extends: string | null;
  defaultMember: boolean;
  defaultCreator: boolean;
  organizationId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function roleRecord(
  r: Omit<SeedRole, 'defaultCreator'> & { defaultCreator?: boolean },
  organizationId: string | null,
  now: Date,
): RoleRecord {
  return {
    id: organizationId ? seededId('role', `${organizationId}:${r.name}`) : `role_${r.name}`,
    name: r.name,
    displayName: r.displayName,
    description: r.description,
    permissions: [...r.permissions],
    extends: r.extends ?? null,
    defaultMember: r.defaultMember,
    defaultCreator: r.defaultCreator ?? false,
    organizationId,
    createdAt: now,
    updatedAt: now,
  };
}

function permissionRecord(p: SeedPermission, now: Date): PermissionRecord {
  return { id: seededId('perm', p.name), name: p.name, description: p.description, createdAt: now, updatedAt: now };
}

export class State {
  environment!: EnvironmentSettings;
  // Roles and permissions
  /** Environment roles by name, in creation order. */
  roles = new Map<string, RoleRecord>();
  /** organizationId → that organization's own roles by name. */
  organizationRoles = new Map<string, Map<string, RoleRecord>>();
  /** organizationId → its default member role, when set with UpdateDefaultOrganizationRoles. */
  organizationDefaultMember = new Map<string, string>();
  permissions = new Map<string, PermissionRecord>();

  // The app's clients, and where hosted pages and emails send people
  clients = new Map<string, SeedClient>();
  /** The emulator's own URL once it listens (hosted links in emails); see mailer.ts UNSTARTED_ORIGIN. */
  publicUrl = '';

  // Organizations and people
  organizations = new Map<string, OrganizationRecord>();
  users = new Map<string, UserRecord>();
  usersByEmail = new Map<string, string>();
  /** organizationId → userId → membership, in creation order (the list order). */
  memberships = new Map<string, Map<string, MembershipRecord>>();
  mailbox: EmailRecord[] = [];

  // Sign-in
  sessions = new Map<string, SessionRecord>();
  /** keyed by sha256 of the token, so a persisted file holds no usable token */
  refreshTokens = new Map<string, RefreshTokenRecord>();
  authCodes = new Map<string, AuthCodeRecord>();
  passwordlessRequests = new Map<string, PasswordlessRequestRecord>();
  /** email → send times (ms), for Scalekit's per-address passwordless email rate limit */
  passwordlessSends = new Map<string, number[]>();

  // Webhook events, in emission order
  events: WebhookEventRecord[] = [];

  // Enterprise setup and machine access
  domains = new Map<string, DomainRecord>();
  connections = new Map<string, ConnectionRecord>();
  directories = new Map<string, DirectoryRecord>();
  /** organizations' M2M clients by client id */
  organizationClients = new Map<string, OrganizationClientRecord>();
  /** API keys by token id (apit_…) */
  apiTokens = new Map<string, ApiTokenRecord>();
  /** Admin portal links by id and portal sessions by sha256 of their token (oauth/portal.ts); in memory only. */
  portalLinks = new Map<string, PortalLinkRecord>();
  portalSessions = new Map<string, PortalSessionRecord>();

  constructor(seed: Seed, environmentOverrides: Partial<EnvironmentSettings> = {}) {
    this.load(seed, environmentOverrides);
  }

  load(seed: Seed, environmentOverrides: Partial<EnvironmentSettings> = {}): void {
    const now = new Date();
    this.environment = { ...seed.environment, ...environmentOverrides };
    this.permissions = new Map(seed.permissions.map((p) => [p.name, permissionRecord(p, now)]));
    this.roles = new Map(seed.roles.map((r) => [r.name, roleRecord(r, null, now)]));
    this.organizationRoles = new Map(
      seed.organizations.map((o) => [o.id, new Map(o.roles.map((r) => [r.name, roleRecord(r, o.id, now)]))]),
    );
    this.organizationDefaultMember = new Map();
    this.clients = new Map(seed.clients.map((c) => [c.id, structuredClone(c)]));
    this.organizations = new Map(
      seed.organizations.map((o) => [
        o.id,
        {
          id: o.id,
          name: o.name,
          externalId: o.externalId ?? null,
          metadata: { ...o.metadata },
          maxAllowedUsers: o.maxAllowedUsers ?? null,
          allowedEmailDomains: [...o.allowedEmailDomains],
          ssoConnection: o.ssoConnection ? structuredClone(o.ssoConnection) : null,
          features: {},
          createdAt: now,
          updatedAt: now,
        },
      ]),
    );
    this.users = new Map();
    this.usersByEmail = new Map();
    this.memberships = new Map([...this.organizations.keys()].map((id) => [id, new Map()]));
    this.domains = new Map(seed.organizations.flatMap((o) => seedDomains(o, now)).map((d) => [d.id, d]));
    this.directories = new Map(
      seed.organizations.flatMap((o) => o.directories.map((d) => seedDirectory(o.id, d, now))).map((d) => [d.id, d]),
    );
    this.connections = new Map();
    for (const o of seed.organizations) {
      if (!o.ssoConnection) continue;
      const c = o.ssoConnection;
      this.connections.set(c.id, {
        id: c.id,
        organizationId: o.id,
        provider: c.provider,
        type: 'OIDC',
        status: 'COMPLETED',
        enabled: true,
        providerKey: c.provider.toLowerCase(),
        keyId: null,
        uiButtonTitle: c.displayName,
        hostedLogin: structuredClone(c),
        createdAt: now,
        updatedAt: now,
      });
    }
    this.passwordlessRequests = new Map();
    this.passwordlessSends = new Map();
    this.organizationClients = new Map();
    this.apiTokens = new Map();
    this.portalLinks = new Map();
    this.portalSessions = new Map();
    const expiry = new Date(now.getTime() + this.environment.invitationExpirySeconds * 1000);
    for (const u of seed.users) {
      this.putUser({
        id: u.id,
        email: u.email,
        externalId: u.externalId ?? null,
        firstName: u.firstName,
        lastName: u.lastName,
        metadata: { ...u.metadata },
        socialIdentities: [...u.socialIdentities],
        emailVerified: u.memberships.some((m) => m.status === 'ACTIVE'),
        createdAt: now,
        updatedAt: now,
        lastLoginAt: null,
      });
      for (const m of u.memberships) {
        const pending = m.status === 'PENDING_INVITE' || m.status === 'INVITE_EXPIRED';
        this.memberships.get(m.organizationId)!.set(u.id, {
          organizationId: m.organizationId,
          userId: u.id,
          status: m.status === 'INVITE_EXPIRED' ? 'PENDING_INVITE' : m.status,
          roles: m.roles.length ? [...m.roles] : this.defaultRoleNames(),
          metadata: {},
          inviterEmail: m.inviterEmail ?? null,
          createdAt: now,
          acceptedAt: m.status === 'ACTIVE' ? now : null,
          // A seeded INVITE_EXPIRED is a pending invite whose expiry has passed.
          expiresAt: pending ? (m.status === 'INVITE_EXPIRED' ? new Date(now.getTime() - 1000) : expiry) : null,
          resentCount: 0,
          resentAt: null,
        });
      }
    }
    this.sessions = new Map();
    this.refreshTokens = new Map();
    this.authCodes = new Map();
    this.mailbox = [];
    this.events = [];
    // A seeded invitation was "sent" like any other: the invitee finds its email in the mailbox.
    for (const members of this.memberships.values()) {
      for (const m of members.values()) {
        if (effectiveStatus(m, now.getTime()) === 'PENDING_INVITE') {
          sendInvitation(this, this.users.get(m.userId)!, this.organizations.get(m.organizationId)!, m.inviterEmail, m.expiresAt!);
        }
      }
    }
  }

  putUser(user: UserRecord): void {
    this.users.set(user.id, user);
    this.usersByEmail.set(user.email.toLowerCase(), user.id);
  }

  removeUser(userId: string): void {
    const user = this.users.get(userId);
    if (!user) return;
    this.users.delete(userId);
    this.usersByEmail.delete(user.email.toLowerCase());
    for (const members of this.memberships.values()) members.delete(userId);
  }

  /** An organization's domains, connections, directories, M2M clients and API keys go with it. */
  removeOrganizationResources(organizationId: string): void {
    this.organizationRoles.delete(organizationId);
    this.organizationDefaultMember.delete(organizationId);
    for (const map of [this.domains, this.connections, this.directories, this.organizationClients, this.apiTokens]) {
      for (const [id, r] of map) if (r.organizationId === organizationId) map.delete(id);
    }
  }

  userByEmail(email: string): UserRecord | undefined {
    const id = this.usersByEmail.get(email.trim().toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  membershipsOf(userId: string): MembershipRecord[] {
    const result: MembershipRecord[] = [];
    for (const members of this.memberships.values()) {
      const m = members.get(userId);
      if (m) result.push(m);
    }
    return result;
  }

  defaultRoleNames(): string[] {
    const defaults = [...this.roles.values()].filter((r) => r.defaultMember).map((r) => r.name);
    return defaults.length ? defaults : [];
  }

  /** A role as an organization sees it: its own roles first, then the environment's. */
  roleIn(organizationId: string | null, name: string): RoleRecord | undefined {
    return (organizationId ? this.organizationRoles.get(organizationId)?.get(name) : undefined) ?? this.roles.get(name);
  }

  /**
   * A role's direct and inherited permissions, each with the role it comes from, following
   * `extends` up the hierarchy (docs: authenticate/authz/create-roles-permissions.mdx, "Inherit
   * permissions through roles"; openapi RolesService_ListEffectiveRolePermissions).
   */
  effectivePermissions(role: RoleRecord): { permission: string; roleName: string }[] {
    const result: { permission: string; roleName: string }[] = [];
    const seen = new Set<string>();
    const visited = new Set<RoleRecord>();
    for (let r: RoleRecord | undefined = role; r && !visited.has(r); r = r.extends ? this.roleIn(r.organizationId, r.extends) : undefined) {
      visited.add(r);
      for (const p of r.permissions) {
        if (seen.has(p)) continue;
        seen.add(p);
        result.push({ permission: p, roleName: r.name });
      }
    }
    return result;
  }

  /** The effective permissions of a member's roles (what the access token's `permissions` claim holds). */
  permissionsFor(roleNames: string[], organizationId: string | null = null): string[] {
    const set = new Set<string>();
    for (const name of roleNames) {
      const role = this.roleIn(organizationId, name);
      if (role) for (const { permission } of this.effectivePermissions(role)) set.add(permission);
    }
    return [...set];
  }
}

export function effectiveStatus(m: MembershipRecord, now = Date.now()): MembershipStatusName {
  if (m.status === 'PENDING_INVITE' && m.expiresAt && m.expiresAt.getTime() <= now) return 'INVITE_EXPIRED';
  return m.status;
}

/** Seats taken: what Scalekit counts against max_allowed_users. */
export function seatsUsed(state: State, organizationId: string, now = Date.now()): number {
  let used = 0;
  for (const m of state.memberships.get(organizationId)?.values() ?? []) {
    const status = effectiveStatus(m, now);
    if (status === 'ACTIVE' || status === 'PENDING_INVITE') used++;
  }
  return used;
}

export function displayName(user: UserRecord): string {
  return [user.firstName, user.lastName].filter(Boolean).join(' ');
}
