'use client';

import { useActionState, useEffect } from 'react';
import { RefreshCwIcon } from 'lucide-react';
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

/**
 * A one-button form that refreshes something of the organization from Scalekit (re-sync, directory
 * sync): the button spins while the action runs, and its outcome is toasted and stays under it.
 */
export function RefreshActionForm({
  orgId,
  action: serverAction,
  label,
  pendingLabel,
}: {
  orgId: string;
  action: (previous: ActionResult | null, form: FormData) => Promise<ActionResult | null>;
  label: string;
  pendingLabel: string;
}) {
  const [state, action, pending] = useActionState(serverAction, null);
  useToastOutcome(state);
  return (
    <form action={action} className="flex flex-col items-start gap-2">
      <input type="hidden" name="orgId" value={orgId} />
      <Button type="submit" variant="outline" disabled={pending}>
        <RefreshCwIcon aria-hidden="true" className={pending ? 'animate-spin' : undefined} />
        {pending ? pendingLabel : label}
      </Button>
      {state ? (
        <p role="status" className={state.ok ? 'text-sm text-muted-foreground' : 'text-sm text-destructive'}>
          {state.ok ? state.message : state.error}
        </p>
      ) : null}
    </form>
  );
}
