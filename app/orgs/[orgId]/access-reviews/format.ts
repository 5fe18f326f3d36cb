import type { AccessReviewItem, AccessReviewStatus } from '@/lib/generated/prisma/client';
import type { BadgeVariant } from '../team/format';

/** Labels shared by the review pages (screen and print). */

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function formatDateTime(date: Date | null): string {
  return date ? `${dateTime.format(date)} UTC` : '—';
}

export const REVIEW_STATUS: Record<AccessReviewStatus, { label: string; variant: BadgeVariant }> = {
  IN_PROGRESS: { label: 'In progress', variant: 'warning' },
  FINISHED: { label: 'Finished', variant: 'success' },
};

export function outcomeVariant(item: Pick<AccessReviewItem, 'outcome' | 'retryable'>): BadgeVariant {
  if (item.outcome === 'APPLIED') return 'success';
  if (item.outcome === 'FAILED') return item.retryable ? 'warning' : 'destructive';
  return 'secondary';
}

export function reviewHref(orgId: string, reviewId?: string, suffix = ''): string {
  const base = `/orgs/${encodeURIComponent(orgId)}/access-reviews`;
  return reviewId ? `${base}/${encodeURIComponent(reviewId)}${suffix}` : base;
}

export function evidenceHref(orgId: string, reviewId: string): string {
  return `/api/orgs/${encodeURIComponent(orgId)}/access-reviews/${encodeURIComponent(reviewId)}/evidence.csv`;
}
