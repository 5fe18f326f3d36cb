import type { MembershipStatus, SyncState } from '@/lib/generated/prisma/client';

/** Labels and badge variants for the team table; shared by the table and its tests. */

export const STATUS_LABELS: Record<MembershipStatus, string> = {
  ACTIVE: 'Active',
  PENDING_INVITE: 'Pending',
  INVITE_EXPIRED: 'Expired',
  INACTIVE: 'Inactive',
};

export type BadgeVariant = 'success' | 'warning' | 'destructive' | 'secondary' | 'outline';

export function statusBadge(status: MembershipStatus, syncState: SyncState): { label: string; variant: BadgeVariant } {
  if (syncState === 'SENDING') return { label: 'Sending…', variant: 'outline' };
  if (syncState === 'FAILED') return { label: 'Not sent', variant: 'destructive' };
  switch (status) {
    case 'ACTIVE':
      return { label: STATUS_LABELS.ACTIVE, variant: 'success' };
    case 'PENDING_INVITE':
      return { label: STATUS_LABELS.PENDING_INVITE, variant: 'warning' };
    case 'INVITE_EXPIRED':
      return { label: STATUS_LABELS.INVITE_EXPIRED, variant: 'destructive' };
    case 'INACTIVE':
      return { label: STATUS_LABELS.INACTIVE, variant: 'secondary' };
  }
}

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

export function formatDate(date: Date | null): string {
  return date ? dateFormat.format(date) : '—';
}

/** A team-page URL with the current filters, and optionally a cursor. */
export function teamHref(orgId: string, filters: { q?: string; status?: string; role?: string }, cursor?: string): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  if (filters.role) params.set('role', filters.role);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return `/orgs/${encodeURIComponent(orgId)}/team${query ? `?${query}` : ''}`;
}
