'use client';

import { useEffect } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/errors/respond';

/** A form's server-action outcome as a toast: the message, or the error. */
export function useToastOutcome(state: ActionResult | null): void {
  useEffect(() => {
    if (!state) return;
    if (state.ok) toast.success(state.message);
    else toast.error(state.error);
  }, [state]);
}

/**
 * The end of a form posted to a server action: an error no field owns (announced as an alert),
 * then the submit button, which says it is busy while the action runs.
 */
export function ActionFormFooter({
  state,
  pending,
  label,
  pendingLabel = 'Saving…',
}: {
  state: ActionResult | null;
  pending: boolean;
  label: string;
  pendingLabel?: string;
}) {
  return (
    <>
      {state && !state.ok && !state.fieldErrors ? (
        <p role="alert" className="text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? pendingLabel : label}
        </Button>
      </div>
    </>
  );
}
