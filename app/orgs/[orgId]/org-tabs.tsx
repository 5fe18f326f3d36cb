'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';

export type OrgTab = { href: string; label: string };

/** The organization's section tabs; a client component only to mark the current one. */
export function OrgTabs({ tabs }: { tabs: OrgTab[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Organization" className="-mb-px flex gap-1 overflow-x-auto">
      {tabs.map((tab) => {
        const current = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={current ? 'page' : undefined}
            className={cn(
              'whitespace-nowrap border-b-2 border-transparent px-3 py-2 text-sm text-muted-foreground transition-colors hover:text-foreground',
              current && 'border-primary font-medium text-foreground',
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
