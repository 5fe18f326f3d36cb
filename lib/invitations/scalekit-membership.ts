import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { ScalekitClient } from '@scalekit-sdk/node';
import type { CreateUserAndMembershipResponse } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/users/users_pb';
import type { CreateUserRequest } from '@scalekit-sdk/node/lib/types/user';
import type { MembershipStatus } from '@/lib/generated/prisma/client';
import { DEFAULT_ROLE, resolvePermissions, type GrantedPermission } from '@/lib/auth/permissions';
import { log } from '@/lib/log';

/**
 * Reading Scalekit's User / OrganizationMembership messages into the shape
 * of our mirror row. Kept apart from the service so webhook and re-sync code
 * can read Scalekit the same way. Also the one create call the SDK's wrapper
 * cannot make as we need it (createUserAndMembershipAs, below).
 */

// scalekit.v1.commons.MembershipStatus numbers (commons_pb.d.ts). Numbers
// rather than the generated enum so this module needs no deep SDK import.
const STATUS_BY_NUMBER: Record<number, MembershipStatus> = {
  1: 'ACTIVE',
  2: 'INACTIVE',
  3: 'PENDING_INVITE',
  4: 'INVITE_EXPIRED',
};

export interface ScalekitMembershipLike {
  organizationId: string;
  membershipStatus: number;
  roles: Array<{ name: string }>;
  /** Scalekit's effective permissions for the membership (OrganizationMembership.permissions) */
  permissions?: string[];
  inviterEmail?: string;
  createdAt?: Timestamp;
  acceptedAt?: Timestamp;
  expiresAt?: Timestamp;
}

export interface ScalekitUserLike {
  id: string;
  email: string;
  externalId?: string;
  userProfile?: { firstName?: string; lastName?: string };
  memberships: ScalekitMembershipLike[];
  /** Scalekit's last successful authentication of the user, environment-wide (User.last_login_time) */
  lastLoginTime?: Timestamp;
}

export interface MirroredMembership {
  userId: string;
  status: MembershipStatus;
  roles: string[];
  /** The role the mirror keeps (mirrorRole) */
  role: string;
  /** What it grants in Teamgate (resolvePermissions) */
  permissions: GrantedPermission[];
  inviterEmail: string | null;
  invitedAt: Date | null;
  expiresAt: Date | null;
  acceptedAt: Date | null;
}

function date(ts: Timestamp | undefined): Date | null {
  return ts ? timestampDate(ts) : null;
}

export function membershipStatus(value: number): MembershipStatus {
  // UNSPECIFIED (0) is never stored; a pending invitation is the cautious reading.
  return STATUS_BY_NUMBER[value] ?? 'PENDING_INVITE';
}

export function isInvitationStatus(status: MembershipStatus): boolean {
  return status === 'PENDING_INVITE' || status === 'INVITE_EXPIRED';
}

/**
 * The role the mirror shows when Scalekit lists several: the first. What the member may do comes
 * from the membership's permissions (the union over all its roles), not from this name.
 */
export function mirrorRole(roles: readonly string[]): string {
  return roles[0] ?? DEFAULT_ROLE;
}

/** The user's membership in `organizationId`, or null when Scalekit lists none. */
export function membershipIn(user: ScalekitUserLike, organizationId: string): MirroredMembership | null {
  const m = user.memberships.find((x) => x.organizationId === organizationId);
  if (!m) return null;
  const roles = m.roles.map((r) => r.name).filter(Boolean);
  const role = mirrorRole(roles);
  return {
    userId: user.id,
    status: membershipStatus(m.membershipStatus),
    roles,
    role,
    permissions: resolvePermissions(role, m.permissions),
    inviterEmail: m.inviterEmail || null,
    invitedAt: date(m.createdAt),
    expiresAt: date(m.expiresAt),
    acceptedAt: date(m.acceptedAt),
  };
}

/** The mirror's User columns from a Scalekit user. */
export function userFields(user: ScalekitUserLike): {
  email: string;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  externalId: string | null;
  lastLoginAt?: Date;
} {
  const firstName = user.userProfile?.firstName || null;
  const lastName = user.userProfile?.lastName || null;
  return {
    email: user.email.toLowerCase(),
    firstName,
    lastName,
    name: [firstName, lastName].filter(Boolean).join(' ') || null,
    externalId: user.externalId || null,
    ...(user.lastLoginTime ? { lastLoginAt: timestampDate(user.lastLoginTime) } : {}),
  };
}

/** "Ada Lovelace" → first "Ada", last "Lovelace"; one word is a first name. */
export function splitName(name: string | undefined): { firstName?: string; lastName?: string } {
  if (!name) return {};
  const parts = name.trim().split(/\s+/);
  const firstName = parts.shift();
  return { firstName, lastName: parts.length ? parts.join(' ') : undefined };
}

interface UserClientInternals {
  coreClient?: { connectExec?: (rpc: unknown, request: unknown) => Promise<CreateUserAndMembershipResponse> };
  client?: { createUserAndMembership?: unknown };
}

let warnedNoInviter = false;

/**
 * CreateUserAndMembership with the inviter's email on the new membership, so Scalekit's
 * invitation email names who sent it and Scalekit's own record (webhooks, re-syncs) carries it.
 * The wire message has the field (CreateUser.membership.inviter_email), but the SDK 2.11
 * wrapper user.createUserAndMembership(orgId, options) builds the request without a membership
 * at all. So the request is sent through the SDK's own connect client and executor (its
 * authentication, retries, timeout and error classes stay in play), with exactly the fields
 * the wrapper sends plus the membership. Should a later SDK move those internals, the call
 * falls back to the wrapper: the invitation still goes out, only without the inviter, and
 * lib/invitations/inviter.int.test.ts fails to say so.
 */
export async function createUserAndMembershipAs(
  scalekit: ScalekitClient,
  organizationId: string,
  options: CreateUserRequest,
  inviterEmail: string | null,
): Promise<CreateUserAndMembershipResponse> {
  const internals = scalekit.user as unknown as UserClientInternals;
  const exec = internals.coreClient?.connectExec;
  const rpc = internals.client?.createUserAndMembership;
  if (!inviterEmail || typeof exec !== 'function' || typeof rpc !== 'function') {
    if (inviterEmail && !warnedNoInviter) {
      warnedNoInviter = true;
      log.warn('this @scalekit-sdk/node cannot send inviter_email; invitations are sent without the inviter');
    }
    return scalekit.user.createUserAndMembership(organizationId, options);
  }
  const response = await exec.call(internals.coreClient, rpc, {
    organizationId,
    user: {
      email: options.email,
      externalId: options.externalId,
      userProfile: options.userProfile ? { firstName: options.userProfile.firstName, lastName: options.userProfile.lastName } : undefined,
      metadata: options.metadata,
      membership: { inviterEmail },
    },
    sendInvitationEmail: options.sendInvitationEmail,
  });
  if (!response.user) throw new Error('Failed to create user');
  return response;
}
