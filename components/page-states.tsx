'use client';

import { RotateCcwIcon } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';

/** A table page while its queries run (a route's loading.tsx): the same shape as the page, so nothing jumps. */
export function TablePageSkeleton({ label, filters = true }: { label: string; filters?: boolean }) {
  return (
    <div className="flex flex-col gap-6" aria-busy="true" aria-label={label}>
      <div className="flex items-start justify-between gap-4">
        <div className="flex flex-col gap-2">
          <Skeleton className="h-6 w-24" />
          <Skeleton className="h-4 w-72" />
        </div>
        <Skeleton className="h-8 w-56" />
      </div>
      {filters ? <Skeleton className="h-9 w-full" /> : null}
      <div className="flex flex-col gap-2">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-10 w-full" />
        ))}
      </div>
    </div>
  );
}

/** A page that could not be loaded (a route's error.tsx; database down, say): said plainly, with a retry; no details leak. */
export function PageLoadError({ title, error, reset }: { title: string; error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Alert variant="destructive" role="alert">
      <AlertTitle>{title}</AlertTitle>
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
