import { db } from '@/lib/db';
import type { MembershipStatus, Prisma } from '@/lib/generated/prisma/client';

/**
 * What an access review records about each member when it starts: a copy, so the evidence shows
 * the access the reviewer judged, whatever changes afterwards.
 *
 * Last sign-in and its method are the membership's own (Membership.lastSignInAt /
 * lastSignInMethod, kept by lib/members/sign-ins.ts): the latest sign-in to THIS organization,
 * as the team page shows it.
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

type Client = Pick<Prisma.TransactionClient, 'membership' | 'session' | 'apiKey'>;

/** Members (not invitations: they hold no access yet, and are revoked rather than removed) of the organization. */
export async function snapshotMembers(organizationId: string, now: Date = new Date(), client: Client = db): Promise<MemberSnapshot[]> {
  const members = await client.membership.findMany({
    where: { organizationId, status: { in: ['ACTIVE', 'INACTIVE'] }, userId: { not: null } },
    select: { id: true, userId: true, email: true, name: true, role: true, status: true, lastSignInAt: true, lastSignInMethod: true },
    orderBy: [{ email: 'asc' }],
  });
  const userIds = members.map((m) => m.userId!);
  const [sessions, keys] = await Promise.all([
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
      lastSignInAt: m.lastSignInAt,
      signInMethod: m.lastSignInMethod,
      openSessions: sessionCounts.get(userId) ?? 0,
      apiKeys: keysBy.get(userId) ?? [],
    };
  });
}
