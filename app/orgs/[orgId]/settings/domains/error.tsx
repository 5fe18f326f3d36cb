'use client';

import { PageLoadError } from '@/components/page-states';

/** The domains could not be loaded (database down, say; Scalekit down shows the last copy instead). */
export default function DomainsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageLoadError title="The domains could not be loaded" error={error} reset={reset} />;
}
