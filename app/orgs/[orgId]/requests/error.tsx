'use client';

import { PageLoadError } from '@/components/page-states';

/** The requests could not be loaded (database down, say). */
export default function RequestsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageLoadError title="The requests could not be loaded" error={error} reset={reset} />;
}
