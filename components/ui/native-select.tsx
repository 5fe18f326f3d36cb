import type * as React from 'react';
import { cn } from '@/lib/utils';

/** A plain <select> styled like the app's inputs: for GET filter forms and small pickers that need no popover. */
export const nativeSelectClass =
  'h-9 rounded-md border border-input bg-card px-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

export function NativeSelect({ className, ...props }: React.ComponentProps<'select'>) {
  return <select className={cn(nativeSelectClass, className)} {...props} />;
}
