'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { HeaderOrg } from '@/components/header-types';
import { teamHref, useShownOrgId } from '@/components/page-org';
import { cn } from '@/lib/utils';

export type NavItem = { href: string; label: string };

/** Client-side only to mark the current page (aria-current) without every page passing its path. */
export function NavLinks({ items, className }: { items: NavItem[]; className?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={cn('flex items-center gap-1', className)}>
      {items.map((item) => {
        const current = !item.href.includes('#') && (pathname === item.href || pathname.startsWith(`${item.href}/`));
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={current ? 'page' : undefined}
            className={cn(
              'rounded-md px-2.5 py-1.5 text-sm text-muted-foreground transition-colors hover:bg-muted hover:text-foreground',
              current && 'bg-muted text-foreground',
            )}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
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
