'use client';

import { PageLinks, type PageLink } from '@/components/page-links';

export type OrgTab = PageLink;

/** The organization's section tabs; a client component only to mark the current one. */
export function OrgTabs({ tabs }: { tabs: OrgTab[] }) {
  return (
    <PageLinks
      label="Organization"
      links={tabs}
      className="-mb-px flex gap-1 overflow-x-auto"
      linkClassName="whitespace-nowrap border-b-2 border-transparent px-3 py-2 text-sm text-muted-foreground transition-colors hover:text-foreground"
      currentClassName="border-primary font-medium text-foreground"
    />
  );
}
