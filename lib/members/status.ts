import type { MembershipStatus } from '@/lib/generated/prisma/client';

/**
 * The status a person should see for a membership. The mirror stores what Scalekit last said, but
 * Scalekit computes expiry when an invitation is read rather than storing it, so a PENDING_INVITE
 * past its expiresAt is INVITE_EXPIRED for everyone here too: the team list, the invitations API,
 * resend/revoke and bulk all read it through this one function so they never disagree.
 */
export function effectiveStatus(row: { status: MembershipStatus; expiresAt: Date | null }, now: Date = new Date()): MembershipStatus {
  if (row.status === 'PENDING_INVITE' && row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return 'INVITE_EXPIRED';
  return row.status;
}
