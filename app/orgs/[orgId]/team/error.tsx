'use client';

import { PageLoadError } from '@/components/page-states';

/** The team could not be loaded (database down, say). */
export default function TeamError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageLoadError title="The team could not be loaded" error={error} reset={reset} />;
}
