'use client';

import { PageLoadError } from '@/components/page-states';

/** The review could not be loaded (database down, say). */
export default function AccessReviewsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageLoadError title="The access review could not be loaded" error={error} reset={reset} />;
}
