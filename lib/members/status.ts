import type { MembershipStatus, SyncState } from '@/lib/generated/prisma/client';

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

export const STATUS_LABELS: Record<MembershipStatus, string> = {
  ACTIVE: 'Active',
  PENDING_INVITE: 'Pending',
  INVITE_EXPIRED: 'Expired',
  INACTIVE: 'Inactive',
};

/** The word the team page and the members export show: an invitation still being sent, or never sent, says so. */
export function statusLabel(status: MembershipStatus, syncState: SyncState): string {
  if (syncState === 'SENDING') return 'Sending…';
  if (syncState === 'FAILED') return 'Not sent';
  return STATUS_LABELS[status];
}
