import { EmulatorError, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import { sendInvitation } from './mailer.js';
import {
  displayName,
  effectiveStatus,
  seatsUsed,
  type MembershipRecord,
  type OrganizationRecord,
  type SessionRecord,
  type State,
  type UserRecord,
} from './state.js';
import type { WebhookDispatcher } from './webhooks.js';

// Users, organizations and memberships: the rules Scalekit applies, independent
// of how the request arrived (gRPC from the SDK or a hosted page).

export interface Directory {
  state: State;
  webhooks: WebhookDispatcher;
  /** Called after every change so persistence can snapshot. */
  changed: () => void;
}

export type UserRef = { case: 'id'; value: string } | { case: 'externalId'; value: string } | { case: undefined; value?: undefined };

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// ---- lookups --------------------------------------------------------------

export function requireOrganization(state: State, id: string): OrganizationRecord {
  if (!id) throw invalid('INVALID_ORGANIZATION_ID', 'organization_id is required');
  const org = state.organizations.get(id);
  if (!org) throw notFound('ORGANIZATION_NOT_FOUND', `organization ${id} not found`);
  return org;
}

/**
 * One organization's record of a kind (a directory, an SSO connection) by id: INVALID_{KIND}_ID
 * without an id, and {KIND}_NOT_FOUND (DIRECTORY_NOT_FOUND, CONNECTION_NOT_FOUND) for an id that
 * is another organization's too, so an id from elsewhere reveals nothing.
 */
export function requireOrganizationRecord<T extends { organizationId: string }>(
  state: State,
  table: Map<string, T>,
  kind: 'directory' | 'connection',
  organizationId: string,
  id: string,
): T {
  requireOrganization(state, organizationId);
  const code = kind.toUpperCase();
  if (!id) throw invalid(`INVALID_${code}_ID`, `${kind} id is required`);
  const record = table.get(id);
  if (!record || record.organizationId !== organizationId) {
    throw notFound(`${code}_NOT_FOUND`, `${kind} ${id} not found in organization ${organizationId}`);
  }
  return record;
}

export function findOrganization(state: State, ref: UserRef): OrganizationRecord {
  if (ref.case === 'id') return requireOrganization(state, ref.value);
  if (ref.case === 'externalId') {
    for (const org of state.organizations.values()) if (org.externalId === ref.value) return org;
    throw notFound('ORGANIZATION_NOT_FOUND', `organization with external_id ${ref.value} not found`);
  }
  throw invalid('INVALID_ORGANIZATION_ID', 'an organization id or external_id is required');
}

export function requireUser(state: State, ref: UserRef): UserRecord {
  if (ref.case === 'id' && ref.value) {
    const user = state.users.get(ref.value);
    if (!user) throw notFound('USER_NOT_FOUND', `user ${ref.value} not found`);
    return user;
  }
  if (ref.case === 'externalId' && ref.value) {
    for (const user of state.users.values()) if (user.externalId === ref.value) return user;
    throw notFound('USER_NOT_FOUND', `user with external_id ${ref.value} not found`);
  }
  throw invalid('INVALID_USER_ID', 'a user id or external_id is required');
}

export function requireMembership(state: State, organizationId: string, userId: string): MembershipRecord {
  const m = state.memberships.get(organizationId)?.get(userId);
  if (!m) throw notFound('MEMBERSHIP_NOT_FOUND', `user ${userId} is not a member of organization ${organizationId}`);
  return m;
}

/** Roles a membership of `organizationId` may hold: the environment's and that organization's own. */
function validateRoles(state: State, organizationId: string, roles: string[]): string[] {
  const unique = [...new Set(roles.map((r) => r.trim()).filter(Boolean))];
  for (const role of unique) {
    if (!state.roleIn(organizationId, role)) throw invalid('INVALID_ROLE', `role "${role}" does not exist`);
  }
  return unique;
}

/**
 * A new membership without roles gets the organization's default member role when one is set
 * (UpdateDefaultOrganizationRoles: "which role is automatically assigned to new users when they
 * join the organization", openapi RolesService_UpdateDefaultOrganizationRoles), else the environment's.
 */
function defaultRolesFor(state: State, organizationId: string): string[] {
  const own = state.organizationDefaultMember.get(organizationId);
  return own ? [own] : state.defaultRoleNames();
}

function ensureSeat(state: State, org: OrganizationRecord): void {
  if (org.maxAllowedUsers === null) return;
  // Seats taken never exceed the memberships there are, so only an organization with at least
  // as many memberships as its limit needs the scan that counts them (linear in its memberships).
  if ((state.memberships.get(org.id)?.size ?? 0) < org.maxAllowedUsers) return;
  if (seatsUsed(state, org.id) >= org.maxAllowedUsers) {
    throw new EmulatorError(
      'FAILED_PRECONDITION',
      'SEAT_LIMIT_REACHED',
      `organization ${org.id} has reached its limit of ${org.maxAllowedUsers} users`,
    );
  }
}

// ---- webhook payloads -----------------------------------------------------
// Shapes from the examples and schemas of Scalekit's OpenAPI `webhooks` section
// (developer-docs openapi/scalekit.yaml; vendored in test/contract/scalekit/webhooks.json):
// OrganizationEventData, OrgMembershipEventData and UserAuthEventData.

/** OrganizationEventData; `deleted_at` only on organization.deleted. */
export function organizationEventData(org: OrganizationRecord, deletedAt?: Date) {
  const features = { sso: false, dir_sync: false, ...org.features };
  return {
    id: org.id,
    display_name: org.name,
    // The schema types external_id as a string, so an organization without one omits it.
    ...(org.externalId ? { external_id: org.externalId } : {}),
    // Scalekit's examples all carry region_code "US"; the emulator has one region.
    region_code: 'US',
    create_time: org.createdAt.toISOString(),
    update_time: org.updatedAt.toISOString(),
    ...(deletedAt ? { deleted_at: deletedAt.toISOString() } : {}),
    // The examples send null for an organization without metadata.
    metadata: Object.keys(org.metadata).length ? { ...org.metadata } : null,
    settings: { features: Object.entries(features).map(([name, enabled]) => ({ name, enabled })) },
  };
}

/** The `user` of OrgMembershipEventData and UserAuthEventData, as in the examples. */
export function userEventData(user: UserRecord) {
  return {
    id: user.id,
    email: user.email,
    ...(user.externalId ? { external_id: user.externalId } : {}),
    create_time: user.createdAt.toISOString(),
    update_time: user.updatedAt.toISOString(),
    ...(user.lastLoginAt ? { last_login_time: user.lastLoginAt.toISOString() } : {}),
    metadata: { ...user.metadata },
    user_profile: {
      // The emulator keeps no separate profile record: a stable usp_ id derived from the user's.
      id: `usp_${user.id.slice(user.id.indexOf('_') + 1)}`,
      given_name: user.firstName,
      family_name: user.lastName,
      name: displayName(user),
      email_verified: user.emailVerified,
      custom_attributes: null,
      external_identities: null,
      gender: '',
      groups: null,
      locale: '',
      metadata: {},
      phone_number: '',
      phone_number_verified: false,
      picture: '',
      preferred_username: '',
    },
  };
}

/** OrgMembershipEventData: the organization and the user. Scalekit sends no membership status or roles. */
export function membershipEventData(org: OrganizationRecord, user: UserRecord) {
  return { organization: organizationEventData(org), user: userEventData(user) };
}

/** UserAuthEventData for user.login and user.logout. */
export function sessionEventData(user: UserRecord, s: SessionRecord) {
  const expired = s.status === 'ACTIVE' && s.absoluteExpiresAt.getTime() <= Date.now();
  return {
    user: userEventData(user),
    user_session: {
      session_id: s.id,
      user_id: s.userId,
      ...(s.organizationId ? { organization_id: s.organizationId } : {}),
      status: expired ? 'EXPIRED' : s.status,
      created_at: s.createdAt.toISOString(),
      updated_at: s.updatedAt.toISOString(),
      last_active_at: s.lastActiveAt.toISOString(),
      absolute_expires_at: s.absoluteExpiresAt.toISOString(),
      // The emulator has no idle timeout: a session idles out when it expires.
      idle_expires_at: s.absoluteExpiresAt.toISOString(),
      expired_at: expired ? s.absoluteExpiresAt.toISOString() : null,
      logout_at: s.logoutAt?.toISOString() ?? null,
      authenticated_organizations: [...s.authenticatedOrganizations],
      device: {
        user_agent: s.userAgent,
        ip: s.ip,
        browser: '',
        browser_version: '',
        device_type: '',
        os: '',
        os_version: '',
      },
    },
  };
}

function emitMembership(dir: Directory, type: string, organizationId: string, user: UserRecord): void {
  const org = dir.state.organizations.get(organizationId);
  if (org) dir.webhooks.emit(type, membershipEventData(org, user));
}

// ---- memberships ----------------------------------------------------------

interface NewMembership {
  roles: string[];
  metadata: Record<string, string>;
  inviterEmail: string | null;
  /** Unset means true, as documented for Scalekit. */
  sendInvitationEmail: boolean | undefined;
  /** A public sign-up that created the user's own organization: user.signup instead of a membership event. */
  signup?: boolean;
}

/** `seatChecked`: the caller checked the seat already (a scan of the organization's memberships). */
function addMembership(
  dir: Directory,
  org: OrganizationRecord,
  user: UserRecord,
  input: NewMembership,
  seatChecked = false,
): MembershipRecord {
  const { state } = dir;
  const existing = state.memberships.get(org.id)?.get(user.id);
  if (existing) {
    throw new EmulatorError('ALREADY_EXISTS', 'MEMBERSHIP_ALREADY_EXISTS', `${user.email} is already a member of ${org.id}`);
  }
  const roles = input.roles.length ? validateRoles(state, org.id, input.roles) : defaultRolesFor(state, org.id);
  if (!seatChecked) ensureSeat(state, org);
  const now = new Date();
  const invite = input.sendInvitationEmail !== false;
  const membership: MembershipRecord = {
    organizationId: org.id,
    userId: user.id,
    // Without an invitation email there is nothing to accept: the user is
    // provisioned directly (how Scalekit treats send_invitation_email=false).
    status: invite ? 'PENDING_INVITE' : 'ACTIVE',
    roles,
    metadata: { ...input.metadata },
    inviterEmail: input.inviterEmail,
    createdAt: now,
    acceptedAt: invite ? null : now,
    expiresAt: invite ? new Date(now.getTime() + state.environment.invitationExpirySeconds * 1000) : null,
    resentCount: 0,
    resentAt: null,
  };
  state.memberships.get(org.id)!.set(user.id, membership);
  if (invite) sendInvitation(state, user, org, membership.inviterEmail, membership.expiresAt!);
  // An invitation is user.organization_invitation; a member provisioned directly (no email to
  // accept) has joined, which is user.organization_membership_created ("Triggered when a user
  // joins an organization", OpenAPI webhooks section). A sign-up that made its own organization
  // is user.signup.
  const type = input.signup ? 'user.signup' : invite ? 'user.organization_invitation' : 'user.organization_membership_created';
  dir.webhooks.emit(type, membershipEventData(org, user));
  return membership;
}

export interface CreateUserInput extends NewMembership {
  organizationId: string;
  email: string;
  externalId?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  userMetadata?: Record<string, string> | undefined;
}

/** CreateUserAndMembership: a new user, or an existing one (same email) joining another org. */
export function createUserAndMembership(dir: Directory, input: CreateUserInput): UserRecord {
  const { state } = dir;
  const org = requireOrganization(state, input.organizationId);
  const email = normalizeEmail(input.email ?? '');
  if (!email) throw invalid('INVALID_EMAIL', 'user.email is required');
  if (!isValidEmail(email)) throw invalid('INVALID_EMAIL', `"${input.email}" is not a valid email address`);
  let user = state.userByEmail(email);
  if (user && state.memberships.get(org.id)?.has(user.id)) {
    throw new EmulatorError('ALREADY_EXISTS', 'MEMBERSHIP_ALREADY_EXISTS', `${email} is already a member of ${org.id}`);
  }
  if (input.externalId) {
    for (const other of state.users.values()) {
      if (other.externalId === input.externalId && other !== user) {
        throw new EmulatorError('ALREADY_EXISTS', 'EXTERNAL_ID_ALREADY_EXISTS', `external_id ${input.externalId} is already in use`);
      }
    }
  }
  // Check the seat before creating anything, so a refusal changes nothing.
  if (input.roles.length) validateRoles(state, org.id, input.roles);
  ensureSeat(state, org);
  if (!user) {
    const now = new Date();
    user = {
      id: newId('usr'),
      email,
      externalId: input.externalId ?? null,
      firstName: input.firstName ?? '',
      lastName: input.lastName ?? '',
      metadata: { ...(input.userMetadata ?? {}) },
      socialIdentities: [],
      emailVerified: false,
      createdAt: now,
      updatedAt: now,
      lastLoginAt: null,
    };
    state.putUser(user);
  }
  // Scalekit documents no user.created event: the membership event carries the new user.
  addMembership(dir, org, user, input, true);
  dir.changed();
  return user;
}

export function createMembership(dir: Directory, organizationId: string, ref: UserRef, input: NewMembership): UserRecord {
  const org = requireOrganization(dir.state, organizationId);
  const user = requireUser(dir.state, ref);
  addMembership(dir, org, user, input);
  dir.changed();
  return user;
}

/**
 * UpdateMembership. The SDK wrapper always sends `roles: []` and `metadata: {}`
 * when the caller omitted them, so empty means "leave unchanged", never "remove
 * every role" (a member without a role is not a state the app can show).
 */
export function updateMembership(
  dir: Directory,
  organizationId: string,
  ref: UserRef,
  roles: string[],
  metadata: Record<string, string>,
): UserRecord {
  const { state } = dir;
  requireOrganization(state, organizationId);
  const user = requireUser(state, ref);
  const m = requireMembership(state, organizationId, user.id);
  if (roles.length) m.roles = validateRoles(state, organizationId, roles);
  if (Object.keys(metadata).length) m.metadata = { ...m.metadata, ...metadata };
  emitMembership(dir, 'user.organization_membership_updated', organizationId, user);
  dir.changed();
  return user;
}

export function setRoles(dir: Directory, organizationId: string, userId: string, roles: string[]): MembershipRecord {
  const { state } = dir;
  requireOrganization(state, organizationId);
  const user = requireUser(state, { case: 'id', value: userId });
  const m = requireMembership(state, organizationId, userId);
  m.roles = validateRoles(state, organizationId, roles);
  emitMembership(dir, 'user.organization_membership_updated', organizationId, user);
  dir.changed();
  return m;
}

/**
 * DeleteMembership. Scalekit deletes the user with their last membership whatever `cascade`
 * says: "When a user is removed from an organization and has no other organizational
 * memberships, Scalekit will automatically delete their user account" (developer-docs
 * src/content/docs/authenticate/manage-organizations/remove-users-from-organization.mdx:141),
 * and "Scalekit immediately terminates the user's active session upon removal" (:143).
 * A later invitation of the same email therefore creates a new user with a new usr_ id.
 */
export function removeMembership(dir: Directory, organizationId: string, ref: UserRef): void {
  const { state } = dir;
  const org = requireOrganization(state, organizationId);
  const user = requireUser(state, ref);
  requireMembership(state, organizationId, user.id);
  const data = membershipEventData(org, user);
  state.memberships.get(organizationId)!.delete(user.id);
  endSessionsFor(state, user.id, organizationId);
  dir.webhooks.emit('user.organization_membership_deleted', data);
  if (state.membershipsOf(user.id).length === 0) {
    endSessionsFor(state, user.id, null);
    state.removeUser(user.id);
  }
  dir.changed();
}

export function resendInvite(dir: Directory, organizationId: string, userId: string): MembershipRecord {
  const { state } = dir;
  const org = requireOrganization(state, organizationId);
  const user = requireUser(state, { case: 'id', value: userId });
  const m = requireMembership(state, organizationId, user.id);
  const status = effectiveStatus(m);
  if (status !== 'PENDING_INVITE' && status !== 'INVITE_EXPIRED') {
    throw new EmulatorError('FAILED_PRECONDITION', 'INVITE_NOT_PENDING', `${user.email} has no pending invitation (status ${status})`);
  }
  const now = new Date();
  // "If the invitation has expired, a new invitation will be automatically created and sent. If
  // the invitation is still valid, a reminder email will be sent instead" (openapi/scalekit.yaml,
  // UserService_ResendInvite): only an expired invitation gets a new expiry.
  if (status === 'INVITE_EXPIRED' || !m.expiresAt) {
    m.status = 'PENDING_INVITE';
    m.expiresAt = new Date(now.getTime() + state.environment.invitationExpirySeconds * 1000);
  }
  m.resentAt = now;
  m.resentCount++;
  sendInvitation(state, user, org, m.inviterEmail, m.expiresAt);
  // Scalekit documents no event for a resent invitation; the membership changed (count, maybe expiry).
  dir.webhooks.emit('user.organization_membership_updated', membershipEventData(org, user));
  dir.changed();
  return m;
}

/**
 * A verified email proves the invitee owns the address: every live invitation
 * for it becomes an ACTIVE membership. Expired ones stay expired.
 */
export function acceptInvitations(dir: Directory, user: UserRecord, onlyOrganizationId?: string): MembershipRecord[] {
  const accepted: MembershipRecord[] = [];
  const now = new Date();
  for (const m of dir.state.membershipsOf(user.id)) {
    if (effectiveStatus(m) !== 'PENDING_INVITE') continue;
    // "Join" on one invitation in the hosted organization switcher accepts that one alone.
    if (onlyOrganizationId !== undefined && m.organizationId !== onlyOrganizationId) continue;
    m.status = 'ACTIVE';
    m.acceptedAt = now;
    m.expiresAt = null;
    accepted.push(m);
  }
  if (!user.emailVerified) {
    user.emailVerified = true;
    user.updatedAt = now;
  }
  // The invitee has joined: user.organization_membership_created ("Triggered when a user joins an
  // organization", OpenAPI webhooks section), sent after the user is marked verified.
  for (const m of accepted) emitMembership(dir, 'user.organization_membership_created', m.organizationId, user);
  if (accepted.length) dir.changed();
  return accepted;
}

// ---- directory sync (SCIM) ---------------------------------------------------
// The emulator has no SCIM server for an IdP to push to; POST /_emulator/scim/provision and
// /_emulator/scim/deprovision stand in for the IdP's SCIM POST and DELETE.

/**
 * A SCIM-provisioned user joins directly, with no invitation to accept:
 * user.organization_membership_created. A deprovisioned (INACTIVE) member provisioned again is
 * active again: user.organization_membership_updated.
 */
export function scimProvision(
  dir: Directory,
  organizationId: string,
  input: { email: string; firstName?: string | undefined; lastName?: string | undefined; externalId?: string | undefined },
): UserRecord {
  const { state } = dir;
  requireOrganization(state, organizationId);
  const existing = state.userByEmail(input.email);
  const m = existing && state.memberships.get(organizationId)?.get(existing.id);
  if (existing && m) {
    if (m.status === 'INACTIVE') {
      m.status = 'ACTIVE';
      m.acceptedAt = new Date();
      emitMembership(dir, 'user.organization_membership_updated', organizationId, existing);
      dir.changed();
    }
    return existing;
  }
  return createUserAndMembership(dir, {
    organizationId,
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    externalId: input.externalId,
    roles: [],
    metadata: {},
    inviterEmail: null,
    sendInvitationEmail: false,
  });
}

/**
 * SCIM DELETE: "Scalekit automatically removes the user's membership from the organization by
 * marking the memberships.membership_status as INACTIVE", "the user immediately loses access" and
 * "your application receives webhook notifications about the membership change" (developer-docs
 * src/content/docs/authenticate/manage-organizations/remove-users-from-organization.mdx:156-159).
 * The membership stays (so the user is not deleted); the docs do not name the event, and the
 * membership still exists, so it is user.organization_membership_updated.
 */
export function scimDeprovision(dir: Directory, organizationId: string, email: string): MembershipRecord {
  const { state } = dir;
  requireOrganization(state, organizationId);
  const user = state.userByEmail(email);
  if (!user) throw notFound('USER_NOT_FOUND', `no user with email ${email}`);
  const m = requireMembership(state, organizationId, user.id);
  if (m.status !== 'INACTIVE') {
    m.status = 'INACTIVE';
    m.expiresAt = null;
    endSessionsFor(state, user.id, organizationId);
    emitMembership(dir, 'user.organization_membership_updated', organizationId, user);
    dir.changed();
  }
  return m;
}

// ---- users ----------------------------------------------------------------

export interface UserUpdate {
  externalId?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  metadata: Record<string, string>;
}

export function updateUser(dir: Directory, ref: UserRef, update: UserUpdate): UserRecord {
  const user = requireUser(dir.state, ref);
  if (update.externalId !== undefined) user.externalId = update.externalId || null;
  if (update.firstName !== undefined) user.firstName = update.firstName;
  if (update.lastName !== undefined) user.lastName = update.lastName;
  if (Object.keys(update.metadata).length) user.metadata = { ...user.metadata, ...update.metadata };
  user.updatedAt = new Date();
  // Scalekit documents no user.updated event (OpenAPI webhooks section): nothing is sent.
  dir.changed();
  return user;
}

export function deleteUser(dir: Directory, ref: UserRef): void {
  const { state } = dir;
  const user = requireUser(state, ref);
  // Scalekit documents no user.deleted event and says nothing of what DeleteUser sends; every
  // membership ends with the user, so each is reported as user.organization_membership_deleted.
  for (const m of state.membershipsOf(user.id)) {
    emitMembership(dir, 'user.organization_membership_deleted', m.organizationId, user);
  }
  endSessionsFor(state, user.id, null);
  state.removeUser(user.id);
  dir.changed();
}

function endSessionsFor(state: State, userId: string, organizationId: string | null): void {
  const now = new Date();
  for (const s of state.sessions.values()) {
    if (s.userId !== userId || s.status !== 'ACTIVE') continue;
    if (organizationId && s.organizationId !== organizationId) continue;
    s.status = 'REVOKED';
    s.logoutAt = now;
    s.updatedAt = now;
  }
}

/**
 * Ends one session and sends user.logout (OpenAPI webhooks section, UserAuthEventData):
 * LOGGED_OUT from the end-session endpoint, REVOKED from SessionService. Returns false when
 * the session had already ended.
 */
export function endSession(dir: Directory, s: SessionRecord, status: 'LOGGED_OUT' | 'REVOKED', now = new Date()): boolean {
  if (s.status !== 'ACTIVE') return false;
  s.status = status;
  s.logoutAt = now;
  s.updatedAt = now;
  const user = dir.state.users.get(s.userId);
  if (user) dir.webhooks.emit('user.logout', sessionEventData(user, s));
  return true;
}

/** user.login, when the code exchange issues a session's tokens (OpenAPI webhooks section). */
export function loggedIn(dir: Directory, s: SessionRecord): void {
  const user = dir.state.users.get(s.userId);
  if (user) dir.webhooks.emit('user.login', sessionEventData(user, s));
}

export function matchesQuery(user: UserRecord, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return (
    user.email.includes(q) ||
    user.id.toLowerCase() === q ||
    (user.externalId ?? '').toLowerCase() === q ||
    displayName(user).toLowerCase().includes(q)
  );
}

// ---- organizations ---------------------------------------------------------

export function createOrganization(
  dir: Directory,
  input: { name: string; externalId?: string | undefined; metadata: Record<string, string> },
): OrganizationRecord {
  const name = input.name.trim();
  if (!name) throw invalid('INVALID_DISPLAY_NAME', 'organization display_name is required');
  if (name.length > 200) throw invalid('INVALID_DISPLAY_NAME', 'organization display_name is longer than 200 characters');
  if (input.externalId) {
    for (const org of dir.state.organizations.values()) {
      if (org.externalId === input.externalId) {
        throw new EmulatorError('ALREADY_EXISTS', 'EXTERNAL_ID_ALREADY_EXISTS', `external_id ${input.externalId} is already in use`);
      }
    }
  }
  const now = new Date();
  const org: OrganizationRecord = {
    id: newId('org'),
    name,
    externalId: input.externalId || null,
    metadata: { ...input.metadata },
    maxAllowedUsers: null,
    allowedEmailDomains: [],
    ssoConnection: null,
    features: {},
    createdAt: now,
    updatedAt: now,
  };
  dir.state.organizations.set(org.id, org);
  dir.state.memberships.set(org.id, new Map());
  dir.webhooks.emit('organization.created', organizationEventData(org));
  dir.changed();
  return org;
}

export function organizationUpdated(dir: Directory, org: OrganizationRecord): void {
  org.updatedAt = new Date();
  dir.webhooks.emit('organization.updated', organizationEventData(org));
  dir.changed();
}

/**
 * Removes a record that nothing else points at (a directory sync, an organization's M2M client)
 * from its table and saves: the whole of a Delete RPC that sends no webhook.
 */
export function deleteRecord<T extends { id: string }>(dir: Directory, table: Map<string, T>, record: T): void {
  table.delete(record.id);
  dir.changed();
}

/**
 * DeleteOrganization, as developer-docs src/content/docs/authenticate/manage-users-orgs/
 * delete-users-and-organizations.mdx:124-129 lists it: members' sessions end, memberships go,
 * and a user who belonged only to this organization is deleted too. One organization.deleted
 * event; no per-member events (Scalekit documents none for this).
 */
export function deleteOrganization(dir: Directory, org: OrganizationRecord): void {
  const { state } = dir;
  const members = [...(state.memberships.get(org.id)?.values() ?? [])].map((m) => m.userId);
  for (const userId of members) endSessionsFor(state, userId, org.id);
  state.memberships.delete(org.id);
  for (const userId of members) {
    if (state.users.has(userId) && state.membershipsOf(userId).length === 0) {
      endSessionsFor(state, userId, null);
      state.removeUser(userId);
    }
  }
  state.removeOrganizationResources(org.id);
  state.organizations.delete(org.id);
  dir.webhooks.emit('organization.deleted', organizationEventData(org, new Date()));
  dir.changed();
}

// ---- pagination -----------------------------------------------------------

export interface Page<T> {
  items: T[];
  nextPageToken: string;
  prevPageToken: string;
  totalSize: number;
}

/**
 * Offset tokens bound to the listing they came from: a token from one
 * organization's list is refused by another's instead of silently skipping.
 */
export function paginate<T>(items: T[], pageSize: number, pageToken: string, scope: string): Page<T> {
  if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > 100) {
    throw invalid('INVALID_PAGE_SIZE', `page_size must be between 1 and 100 (0 means the default of 10), got ${pageSize}`);
  }
  const size = pageSize || 10;
  let offset = 0;
  if (pageToken) {
    let decoded: { s?: unknown; o?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8'));
    } catch {
      throw invalid('INVALID_PAGE_TOKEN', 'page_token is not a token this API issued');
    }
    if (decoded.s !== scope || typeof decoded.o !== 'number' || !Number.isInteger(decoded.o) || decoded.o < 0) {
      throw invalid('INVALID_PAGE_TOKEN', 'page_token does not belong to this listing');
    }
    offset = decoded.o;
  }
  const token = (o: number) => Buffer.from(JSON.stringify({ s: scope, o })).toString('base64url');
  return {
    items: items.slice(offset, offset + size),
    nextPageToken: offset + size < items.length ? token(offset + size) : '',
    prevPageToken: offset > 0 ? token(Math.max(0, offset - size)) : '',
    totalSize: items.length,
  };
}
