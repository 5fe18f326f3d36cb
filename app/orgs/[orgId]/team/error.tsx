'use client';

import { RotateCcwIcon } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The team could not be loaded (database down, say). Says so plainly and offers a retry; no details leak. */
export default function TeamError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Alert variant="destructive" role="alert">
      <AlertTitle>The team could not be loaded</AlertTitle>
      <AlertDescription className="flex flex-col items-start gap-3">
        <span>
          Something went wrong on our side. Try again in a moment.
          {error.digest ? <span className="block text-xs text-muted-foreground">Reference: {error.digest}</span> : null}
        </span>
        <Button variant="outline" size="sm" onClick={reset}>
          <RotateCcwIcon aria-hidden="true" />
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
