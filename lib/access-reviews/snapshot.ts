import { db } from '@/lib/db';
import type { MembershipStatus, Prisma } from '@/lib/generated/prisma/client';

/**
 * What an access review records about each member when it starts: a copy, so the evidence shows
 * the access the reviewer judged, whatever changes afterwards.
 *
 * Last sign-in comes from User.lastLoginAt (any organization: the app keeps no per-membership
 * record yet) and the method from the member's newest session row. Both are read in
 * `signInsOf` alone, so switching to per-membership sign-in records is a change to that one function.
 */

export interface MemberSnapshot {
  membershipId: string;
  userId: string | null;
  email: string;
  name: string | null;
  role: string;
  status: MembershipStatus;
  lastSignInAt: Date | null;
  signInMethod: string | null;
  /** Live sessions of the person: any of them can switch into this organization */
  openSessions: number;
  /** Live API keys they created in this organization, as "name (prefix…)" */
  apiKeys: string[];
}

type Client = Pick<Prisma.TransactionClient, 'membership' | 'user' | 'session' | 'apiKey'>;

/** Members (not invitations: they hold no access yet, and are revoked rather than removed) of the organization. */
export async function snapshotMembers(organizationId: string, now: Date = new Date(), client: Client = db): Promise<MemberSnapshot[]> {
  const members = await client.membership.findMany({
    where: { organizationId, status: { in: ['ACTIVE', 'INACTIVE'] }, userId: { not: null } },
    select: { id: true, userId: true, email: true, name: true, role: true, status: true },
    orderBy: [{ email: 'asc' }],
  });
  const userIds = members.map((m) => m.userId!);
  const [signIns, sessions, keys] = await Promise.all([
    signInsOf(userIds, client),
    client.session.groupBy({
      by: ['userId'],
      where: { userId: { in: userIds }, revokedAt: null, expiresAt: { gt: now } },
      _count: { _all: true },
    }),
    client.apiKey.findMany({
      where: {
        organizationId,
        createdByUserId: { in: userIds },
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      },
      select: { createdByUserId: true, name: true, prefix: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  const sessionCounts = new Map(sessions.map((s) => [s.userId, s._count._all]));
  const keysBy = new Map<string, string[]>();
  for (const key of keys) {
    const list = keysBy.get(key.createdByUserId!) ?? [];
    list.push(`${key.name} (${key.prefix}…)`);
    keysBy.set(key.createdByUserId!, list);
  }
  return members.map((m) => {
    const userId = m.userId!;
    return {
      membershipId: m.id,
      userId,
      email: m.email,
      name: m.name,
      role: m.role,
      status: m.status,
      lastSignInAt: signIns.get(userId)?.at ?? null,
      signInMethod: signIns.get(userId)?.method ?? null,
      openSessions: sessionCounts.get(userId) ?? 0,
      apiKeys: keysBy.get(userId) ?? [],
    };
  });
}

/** When and how each person last signed in, as far as the app knows. */
async function signInsOf(userIds: string[], client: Client): Promise<Map<string, { at: Date | null; method: string | null }>> {
  if (userIds.length === 0) return new Map();
  const [users, newest] = await Promise.all([
    client.user.findMany({ where: { id: { in: userIds } }, select: { id: true, lastLoginAt: true } }),
    client.session.findMany({
      where: { userId: { in: userIds }, authMethod: { not: null } },
      select: { userId: true, authMethod: true },
      orderBy: [{ userId: 'asc' }, { createdAt: 'desc' }],
      distinct: ['userId'],
    }),
  ]);
  const methods = new Map(newest.map((s) => [s.userId, s.authMethod]));
  return new Map(users.map((u) => [u.id, { at: u.lastLoginAt, method: methods.get(u.id) ?? null }]));
}
