'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';

export type PageLink = {
  href: string;
  label: string;
  /** A count beside the label (pending requests), with what it counts for screen readers */
  badge?: { count: number; srLabel: string };
};

/**
 * The link for the page being shown: the most specific match wins (on /settings/api-keys that
 * is "API keys", not "Settings"); links to an anchor (`#…`) never mark a page.
 */
export function currentHref(pathname: string, links: readonly PageLink[]): string | undefined {
  return links
    .filter((l) => !l.href.includes('#') && (pathname === l.href || pathname.startsWith(`${l.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

/**
 * A row of links that marks the current page (aria-current) without every page passing its path:
 * the header's main navigation and an organization's section tabs differ only in their styles.
 */
export function PageLinks({
  label,
  links,
  className,
  linkClassName,
  currentClassName,
}: {
  label: string;
  links: readonly PageLink[];
  className?: string;
  linkClassName: string;
  currentClassName: string;
}) {
  const current = currentHref(usePathname(), links);
  return (
    <nav aria-label={label} className={className}>
      {links.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={link.href === current ? 'page' : undefined}
          className={cn(linkClassName, link.href === current && currentClassName)}
        >
          {link.label}
          {link.badge && link.badge.count > 0 ? (
            <span
              className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-primary px-1.5 text-xs font-medium text-primary-foreground"
              data-testid="nav-badge"
            >
              {link.badge.count > 99 ? '99+' : link.badge.count}
              <span className="sr-only"> {link.badge.srLabel}</span>
            </span>
          ) : null}
        </Link>
      ))}
    </nav>
  );
}
