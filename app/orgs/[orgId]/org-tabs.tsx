'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';

export type OrgTab = { href: string; label: string };

/** The organization's section tabs; a client component only to mark the current one. */
export function OrgTabs({ tabs }: { tabs: OrgTab[] }) {
  const pathname = usePathname();
  // The most specific tab wins: on /settings/api-keys that is "API keys", not "Settings".
  const currentHref = tabs
    .filter((tab) => pathname === tab.href || pathname.startsWith(`${tab.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label="Organization" className="-mb-px flex gap-1 overflow-x-auto">
      {tabs.map((tab) => {
        const current = tab.href === currentHref;
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
