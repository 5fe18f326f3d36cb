'use client';

import { usePathname } from 'next/navigation';
import type { HeaderOrg } from '@/components/header-types';

/**
 * The organization a path is about: /orgs/:orgId/… names one. Only an id from `orgs` (the
 * user's ACTIVE memberships, loaded on the server) counts; anything else is not ours to show.
 */
export function orgInPath(pathname: string | null, orgs: readonly HeaderOrg[]): string | undefined {
  const match = /^\/orgs\/([^/?#]+)/.exec(pathname ?? '');
  if (!match) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  return orgs.some((org) => org.id === id) ? id : undefined;
}

/**
 * The organization the header shows: the one in the URL on /orgs/:orgId pages (so the page and
 * the header never name different organizations), else the session's active one.
 */
export function useShownOrgId(orgs: readonly HeaderOrg[], activeOrgId: string | undefined): string | undefined {
  return orgInPath(usePathname(), orgs) ?? activeOrgId;
}

export function teamHref(orgId: string | undefined): string {
  return orgId ? `/orgs/${encodeURIComponent(orgId)}/team` : '/team';
}
