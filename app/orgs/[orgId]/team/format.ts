import type { MembershipStatus, SyncState } from '@/lib/generated/prisma/client';
import { STATUS_LABELS, statusLabel } from '@/lib/members/status';

/** Labels and badge variants for the team table; shared by the table and its tests. */

export { STATUS_LABELS };

export type BadgeVariant = 'success' | 'warning' | 'destructive' | 'secondary' | 'outline';

const STATUS_VARIANTS: Record<MembershipStatus, BadgeVariant> = {
  ACTIVE: 'success',
  PENDING_INVITE: 'warning',
  INVITE_EXPIRED: 'destructive',
  INACTIVE: 'secondary',
};

export function statusBadge(status: MembershipStatus, syncState: SyncState): { label: string; variant: BadgeVariant } {
  const label = statusLabel(status, syncState);
  if (syncState === 'SENDING') return { label, variant: 'outline' };
  if (syncState === 'FAILED') return { label, variant: 'destructive' };
  return { label, variant: STATUS_VARIANTS[status] };
}

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

export function formatDate(date: Date | null): string {
  return date ? dateFormat.format(date) : '—';
}

type TeamFilters = { q?: string; status?: string; role?: string };

function withFilters(path: string, filters: TeamFilters, cursor?: string): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  if (filters.role) params.set('role', filters.role);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return `${path}${query ? `?${query}` : ''}`;
}

/** A team-page URL with the current filters, and optionally a cursor. */
export function teamHref(orgId: string, filters: TeamFilters, cursor?: string): string {
  return withFilters(`/orgs/${encodeURIComponent(orgId)}/team`, filters, cursor);
}

/** The members export of what the page shows: every page of it, with the same filters. */
export function membersCsvHref(orgId: string, filters: TeamFilters): string {
  return withFilters(`/api/orgs/${encodeURIComponent(orgId)}/members.csv`, filters);
}
