'use client';

import { Toaster as Sonner, type ToasterProps } from 'sonner';

/**
 * Mount once in the root layout; call `toast()` from 'sonner' anywhere on the client.
 * Colours come from the design tokens so toasts match the rest of the UI in light and dark.
 */
export function Toaster(props: ToasterProps) {
  return (
    <Sonner
      position="bottom-right"
      closeButton
      toastOptions={{
        classNames: {
          toast: 'rounded-lg! border! border-border! bg-popover! text-popover-foreground! shadow-lg! font-sans!',
          description: 'text-muted-foreground!',
          error: 'text-destructive!',
          success: 'text-success!',
        },
      }}
      {...props}
    />
  );
}
