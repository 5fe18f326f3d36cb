import { db } from '@/lib/db';
import { Prisma, type Organization } from '@/lib/generated/prisma/client';
import { countSeats } from '@/lib/members/service';
import { AppError } from '@/lib/errors/app-error';

export function seatLimitError(org: Pick<Organization, 'name'>, limit: number | null): AppError {
  return new AppError(
    'seat_limit_reached',
    `${org.name} has used all ${limit ?? 'its'} seats. Raise the seat limit in Settings or remove someone first.`,
  );
}

// Generous: under a burst, claims of one organization queue on its seat lock one after another.
const SEAT_TRANSACTION = { maxWait: 15_000, timeout: 20_000 } as const;

/**
 * Run `claim` with the number of free seats, such that the count and the claim inserts it makes
 * cannot interleave with another claim of the same organization (any instance): a transaction
 * holding pg_advisory_xact_lock('seats:<org>'). Each statement after the lock sees every claim
 * committed before it, so the last free seat goes to one caller only. Organizations without a
 * limit skip the lock.
 */
export async function claimSeats<T>(
  organizationId: string,
  claim: (tx: Prisma.TransactionClient, free: number, limit: number | null) => Promise<T>,
): Promise<T> {
  // Read fresh, not from the caller's copy: a limit set a moment ago must already take the lock.
  const org = await db.organization.findUnique({ where: { id: organizationId }, select: { maxAllowedUsers: true } });
  if (org?.maxAllowedUsers == null) return claim(db, Number.POSITIVE_INFINITY, null);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`seats:${organizationId}`}))`;
    // Re-reads the limit too, under the lock.
    const seats = await countSeats(organizationId, new Date(), tx);
    return claim(tx, seats.limit === null ? Number.POSITIVE_INFINITY : Math.max(0, seats.limit - seats.used), seats.limit);
  }, SEAT_TRANSACTION);
}

/**
 * The cheap early answer for a full organization, before any budget is spent on an invite that
 * cannot take a seat. Not the guarantee (that is claimSeats): an address that already has a row
 * needs no new seat and goes on to be reported as already invited or a member.
 */
export async function assertSeatAvailable(org: Organization, email: string): Promise<void> {
  if (org.maxAllowedUsers === null) return;
  const [{ used, limit }, existing] = await Promise.all([
    countSeats(org.id),
    db.membership.findUnique({ where: { organizationId_email: { organizationId: org.id, email } }, select: { id: true } }),
  ]);
  if (!existing && limit !== null && used >= limit) throw seatLimitError(org, limit);
}
