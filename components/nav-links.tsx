'use client';

import type { HeaderOrg } from '@/components/header-types';
import { teamHref, useShownOrgId } from '@/components/page-org';
import { PageLinks, type PageLink } from '@/components/page-links';
import { cn } from '@/lib/utils';

export type NavItem = PageLink;

/** The header's main navigation, marking the current page. */
export function NavLinks({ items, className }: { items: NavItem[]; className?: string }) {
  return (
    <PageLinks
      label="Main"
      links={items}
      className={cn('flex items-center gap-1', className)}
      linkClassName="rounded-md px-2.5 py-1.5 text-sm text-muted-foreground transition-colors hover:bg-muted hover:text-foreground"
      currentClassName="bg-muted text-foreground"
    />
  );
}

/** The signed-in nav: "Team" goes to the organization the header shows (components/page-org.ts). */
export function SignedInNav({ orgs, activeOrgId, className }: { orgs: HeaderOrg[]; activeOrgId?: string; className?: string }) {
  const shown = useShownOrgId(orgs, activeOrgId);
  return (
    <NavLinks
      items={[
        { href: '/dashboard', label: 'Dashboard' },
        { href: teamHref(shown), label: 'Team' },
      ]}
      className={className}
    />
  );
}
