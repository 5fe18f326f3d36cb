import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MembershipStatus } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/commons/commons_pb.js';
import {
  displayName,
  effectiveStatus,
  type MembershipRecord,
  type OrganizationRecord,
  type SessionRecord,
  type State,
  type UserRecord,
} from '../state.js';
import { idleExpiresAt, sessionExpired } from '../oauth/session-policy.js';
import { invalid } from '../errors.js';

// State records → the SDK's protobuf message shapes (init objects; connect
// serializes them with the SDK's own descriptors).

export const ts = (d: Date | null | undefined) => (d ? timestampFromDate(d) : undefined);

/**
 * The name of a proto enum value a request must set (SCIM, OKTA, …): INVALID_ARGUMENT `code` for
 * a missing value, a number the enum does not have, or its *_UNSPECIFIED zero.
 */
export function enumName(enumType: Record<number, string>, value: number | undefined, code: string, message: string): string {
  const name = value === undefined ? undefined : enumType[value];
  if (!name || name.endsWith('_UNSPECIFIED')) throw invalid(code, message);
  return name;
}

const STATUS_NUMBER: Record<string, MembershipStatus> = {
  ACTIVE: MembershipStatus.ACTIVE,
  INACTIVE: MembershipStatus.INACTIVE,
  PENDING_INVITE: MembershipStatus.PENDING_INVITE,
  INVITE_EXPIRED: MembershipStatus.INVITE_EXPIRED,
};

export function commonsRole(state: State, name: string) {
  const role = state.roles.get(name);
  return { id: role?.id ?? `role_${name}`, name, displayName: role?.displayName ?? name };
}

export function membership(state: State, m: MembershipRecord) {
  const org = state.organizations.get(m.organizationId);
  return {
    organizationId: m.organizationId,
    membershipStatus: STATUS_NUMBER[effectiveStatus(m)] ?? MembershipStatus.Membership_Status_UNSPECIFIED,
    roles: m.roles.map((r) => commonsRole(state, r)),
    name: org?.name,
    displayName: org?.name,
    metadata: { ...m.metadata },
    inviterEmail: m.inviterEmail ?? undefined,
    createdAt: ts(m.createdAt),
    joinTime: ts(m.acceptedAt),
    acceptedAt: ts(m.acceptedAt),
    expiresAt: ts(m.expiresAt),
    provisioningMethod: m.inviterEmail ? 'invitation' : undefined,
    permissions: state.permissionsFor(m.roles, m.organizationId),
  };
}

export function user(state: State, u: UserRecord) {
  return {
    id: u.id,
    environmentId: state.environment.environmentId,
    createTime: ts(u.createdAt),
    updateTime: ts(u.updatedAt),
    email: u.email,
    externalId: u.externalId ?? undefined,
    memberships: state.membershipsOf(u.id).map((m) => membership(state, m)),
    userProfile: {
      id: u.id,
      givenName: u.firstName,
      familyName: u.lastName,
      firstName: u.firstName,
      lastName: u.lastName,
      name: displayName(u),
      emailVerified: u.emailVerified,
      metadata: {},
      customAttributes: {},
    },
    metadata: { ...u.metadata },
    lastLoginTime: ts(u.lastLoginAt),
  };
}

export function organization(o: OrganizationRecord) {
  return {
    id: o.id,
    createTime: ts(o.createdAt),
    updateTime: ts(o.updatedAt),
    displayName: o.name,
    externalId: o.externalId ?? undefined,
    metadata: { ...o.metadata },
    settings: { features: Object.entries(o.features).map(([name, enabled]) => ({ name, enabled })) },
    slug: o.slug ?? undefined,
    logoUrl: o.logoUrl ?? undefined,
  };
}

export function sessionStatus(s: SessionRecord, now = Date.now()): string {
  if (s.status === 'ACTIVE' && sessionExpired(s, now)) return 'EXPIRED';
  return s.status;
}

export function sessionDetails(s: SessionRecord) {
  return {
    sessionId: s.id,
    userId: s.userId,
    organizationId: s.organizationId,
    authenticatedOrganizations: [...s.authenticatedOrganizations],
    createdAt: ts(s.createdAt),
    updatedAt: ts(s.updatedAt),
    lastActiveAt: ts(s.lastActiveAt),
    absoluteExpiresAt: ts(s.absoluteExpiresAt),
    idleExpiresAt: ts(idleExpiresAt(s)),
    logoutAt: ts(s.logoutAt),
    status: sessionStatus(s),
    device: { userAgent: s.userAgent, ip: s.ip, os: '', osVersion: '', browser: '', browserVersion: '', deviceType: '' },
    authenticatedClients: s.clientIds.map((clientId) => ({ clientId, organizationId: s.organizationId })),
  };
}

export function revokedSession(s: SessionRecord) {
  return {
    sessionId: s.id,
    userId: s.userId,
    createdAt: ts(s.createdAt),
    updatedAt: ts(s.updatedAt),
    absoluteExpiresAt: ts(s.absoluteExpiresAt),
    logoutAt: ts(s.logoutAt),
    lastActiveAt: ts(s.lastActiveAt),
    status: sessionStatus(s),
  };
}
