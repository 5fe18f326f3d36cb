'use client';

import { PageLoadError } from '@/components/page-states';

/** The endpoints could not be loaded (database down, say). */
export default function WebhooksError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageLoadError title="The webhooks could not be loaded" error={error} reset={reset} />;
}
