'use client';

import { PageLoadError } from '@/components/page-states';

/** The page could not be rendered (database down, say); Scalekit failures are shown in the page itself. */
export default function SsoError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageLoadError title="Single sign-on & directory could not be loaded" error={error} reset={reset} />;
}
