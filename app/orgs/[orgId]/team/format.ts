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

const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

/** The exact moment, for a tooltip: "Nov 30, 2026, 12:00 PM UTC". */
export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

const relativeFormat = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
const RELATIVE_STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['minute', 60],
  ['hour', 60 * 60],
  ['day', 24 * 60 * 60],
  ['month', 30 * 24 * 60 * 60],
  ['year', 365 * 24 * 60 * 60],
];

/** "just now", "5 minutes ago", "yesterday", "3 months ago": whole units, rounded down, as people say it. */
export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  let unit: Intl.RelativeTimeFormatUnit = 'minute';
  let size = 60;
  for (const [u, s] of RELATIVE_STEPS) {
    if (seconds < s) break;
    unit = u;
    size = s;
  }
  return relativeFormat.format(-Math.floor(seconds / size), unit);
}

type TeamFilters = { q?: string; status?: string; role?: string; inactive?: number | string; sort?: string };

function withFilters(path: string, filters: TeamFilters, cursor?: string): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  if (filters.role) params.set('role', filters.role);
  if (filters.inactive) params.set('inactive', String(filters.inactive));
  if (filters.sort) params.set('sort', filters.sort);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return `${path}${query ? `?${query}` : ''}`;
}

/** A team-page URL with the current filters and sort, and optionally a cursor. */
export function teamHref(orgId: string, filters: TeamFilters, cursor?: string): string {
  return withFilters(`/orgs/${encodeURIComponent(orgId)}/team`, filters, cursor);
}

/** The members export of what the page shows: every page of it, with the same filters. */
export function membersCsvHref(orgId: string, filters: TeamFilters): string {
  return withFilters(`/api/orgs/${encodeURIComponent(orgId)}/members.csv`, filters);
}
