import { type Membership, type MembershipStatus } from '@/lib/generated/prisma/client';

/** An invitation's status as of now: Scalekit reads an expired one as INVITE_EXPIRED. */
export function effectiveStatus(row: Pick<Membership, 'status' | 'expiresAt'>, now: Date = new Date()): MembershipStatus {
  if (row.status === 'PENDING_INVITE' && row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return 'INVITE_EXPIRED';
  return row.status;
}
