import type { Prisma } from '@/lib/generated/prisma/client';
import { db } from '@/lib/db';

/**
 * Last sign-in per organization, on the membership of the organization signed into
 * (Membership.lastSignInAt / lastSignInMethod), for the team page's column, its "inactive for N
 * days" filter and its sort.
 *
 * Per organization, because Scalekit's own last login is per user (User.last_login_time in the
 * SDK's users_pb.d.ts; OrganizationMembership has none): someone who works in Beta every day but
 * has not opened Acme for months is inactive in Acme. That user-wide time is mirrored on
 * User.lastLoginAt (lib/users/mirror-user.ts keeps the later of Scalekit's and ours).
 *
 * Two writers, both one UPDATE through the (organizationId, userId) unique index that only moves
 * the time forward, so a retried or late write changes nothing:
 * - the sign-in callback, with the method it derived from the ID token's `amr`;
 * - Scalekit's user.login webhook, whose session names the organization: a sign-in the app did not
 *   complete itself (another application on the same environment). Scalekit sends it at the code
 *   exchange, a moment before the callback records the same sign-in, so an event within
 *   SAME_SIGN_IN_WINDOW_MS of the recorded time is that sign-in and changes nothing; a later one
 *   moves the time and clears the method, which Scalekit's event does not carry.
 */

export const SAME_SIGN_IN_WINDOW_MS = 2 * 60 * 1000;

type Client = Pick<Prisma.TransactionClient, 'membership'>;

/** The callback's record of a sign-in to `organizationId`. True when it moved the time forward. */
export async function recordSignIn(
  input: { organizationId: string; userId: string; at: Date; method: string | null },
  client: Client = db,
): Promise<boolean> {
  return moveForward(client, input, input.at, input.method);
}

/** A sign-in Scalekit reported (user.login). True when it was newer than what the app recorded. */
export async function recordScalekitSignIn(
  input: { organizationId: string; userId: string; at: Date },
  client: Client = db,
): Promise<boolean> {
  return moveForward(client, input, new Date(input.at.getTime() - SAME_SIGN_IN_WINDOW_MS), null);
}

/** Sets the sign-in to `at` and `method` where the recorded one is missing or older than `olderThan`. */
async function moveForward(
  client: Client,
  sign: { organizationId: string; userId: string; at: Date },
  olderThan: Date,
  method: string | null,
): Promise<boolean> {
  const { count } = await client.membership.updateMany({
    where: { organizationId: sign.organizationId, userId: sign.userId, OR: [{ lastSignInAt: null }, { lastSignInAt: { lt: olderThan } }] },
    data: { lastSignInAt: sign.at, lastSignInMethod: method },
  });
  return count > 0;
}
