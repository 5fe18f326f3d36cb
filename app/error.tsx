'use client';

import { RotateCcwIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';

/**
 * Shows only the digest, never error.message: in production Next already replaces server
 * messages, but a client-side error message could still carry data we do not want on screen.
 */
export default function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="flex flex-1 flex-col items-center justify-center gap-4 px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold tracking-tight">Something went wrong</h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        We could not load this page. Try again, and if it keeps happening contact your admin.
      </p>
      {error.digest ? <p className="font-mono text-xs text-muted-foreground">Reference: {error.digest}</p> : null}
      <Button onClick={reset} variant="outline" className="mt-2">
        <RotateCcwIcon aria-hidden="true" />
        Try again
      </Button>
    </div>
  );
}
