import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { MembershipStatus } from '@/lib/generated/prisma/client';

/**
 * Reading Scalekit's User / OrganizationMembership messages into the shape
 * of our mirror row. Kept apart from the service so webhook and re-sync code
 * can read Scalekit the same way.
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
}

export interface MirroredMembership {
  userId: string;
  status: MembershipStatus;
  roles: string[];
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

/** The user's membership in `organizationId`, or null when Scalekit lists none. */
export function membershipIn(user: ScalekitUserLike, organizationId: string): MirroredMembership | null {
  const m = user.memberships.find((x) => x.organizationId === organizationId);
  if (!m) return null;
  return {
    userId: user.id,
    status: membershipStatus(m.membershipStatus),
    roles: m.roles.map((r) => r.name).filter(Boolean),
    inviterEmail: m.inviterEmail || null,
    invitedAt: date(m.createdAt),
    expiresAt: date(m.expiresAt),
    acceptedAt: date(m.acceptedAt),
  };
}

/** The mirror's User columns from a Scalekit user. */
export function userFields(user: ScalekitUserLike): { email: string; firstName: string | null; lastName: string | null; name: string | null; externalId: string | null } {
  const firstName = user.userProfile?.firstName || null;
  const lastName = user.userProfile?.lastName || null;
  return {
    email: user.email.toLowerCase(),
    firstName,
    lastName,
    name: [firstName, lastName].filter(Boolean).join(' ') || null,
    externalId: user.externalId || null,
  };
}

/** "Ada Lovelace" → first "Ada", last "Lovelace"; one word is a first name. */
export function splitName(name: string | undefined): { firstName?: string; lastName?: string } {
  if (!name) return {};
  const parts = name.trim().split(/\s+/);
  const firstName = parts.shift();
  return { firstName, lastName: parts.length ? parts.join(' ') : undefined };
}
