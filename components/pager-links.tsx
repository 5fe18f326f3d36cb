import Link from 'next/link';
import { ChevronLeftIcon, ChevronRightIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';

/** Previous / Next links of a keyset-paginated list; each shows only when that page exists. */
export function PagerLinks({ prevHref, nextHref }: { prevHref: string | null; nextHref: string | null }) {
  return (
    <>
      {prevHref ? (
        <Button asChild variant="outline" size="sm">
          <Link href={prevHref} rel="prev">
            <ChevronLeftIcon aria-hidden="true" />
            Previous
          </Link>
        </Button>
      ) : null}
      {nextHref ? (
        <Button asChild variant="outline" size="sm">
          <Link href={nextHref} rel="next">
            Next
            <ChevronRightIcon aria-hidden="true" />
          </Link>
        </Button>
      ) : null}
    </>
  );
}
