'use client';

import { useActionState, useEffect } from 'react';
import { RefreshCwIcon } from 'lucide-react';
import { toast } from 'sonner';
import { FormField } from '@/components/form-field';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { resyncAction, updateSettingsAction, type SettingsFormState } from './actions';

function useToastOutcome(state: SettingsFormState) {
  useEffect(() => {
    if (!state) return;
    if (state.ok) toast.success(state.message);
    else toast.error(state.error);
  }, [state]);
}

export function SettingsForm({
  orgId,
  maxAllowedUsers,
  allowedEmailDomains,
}: {
  orgId: string;
  maxAllowedUsers: number | null;
  allowedEmailDomains: string[];
}) {
  const [state, action, pending] = useActionState(updateSettingsAction, null);
  useToastOutcome(state);
  const fieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="flex max-w-xl flex-col gap-5" aria-label="Organization settings">
      <input type="hidden" name="orgId" value={orgId} />
      <FormField
        id="maxAllowedUsers"
        label="Seat limit"
        help="Members plus pending invitations. Scalekit refuses new invitations beyond it. Leave empty for no limit."
        error={fieldErrors.maxAllowedUsers}
      >
        <Input
          name="maxAllowedUsers"
          inputMode="numeric"
          pattern="[0-9]*"
          defaultValue={maxAllowedUsers ?? ''}
          placeholder="No limit"
          className="max-w-40"
        />
      </FormField>
      <FormField
        id="allowedEmailDomains"
        label="Allowed email domains"
        help="One per line (or comma-separated), e.g. acme.com. Invitations to other domains are refused. Empty allows any domain."
        error={fieldErrors.allowedEmailDomains}
      >
        <textarea
          name="allowedEmailDomains"
          rows={3}
          defaultValue={allowedEmailDomains.join('\n')}
          placeholder="Any domain"
          className="rounded-md border border-input bg-card px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        />
      </FormField>
      {state && !state.ok && !state.fieldErrors ? (
        <p role="alert" className="text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save settings'}
        </Button>
      </div>
    </form>
  );
}

export function ResyncForm({ orgId }: { orgId: string }) {
  const [state, action, pending] = useActionState(resyncAction, null);
  useToastOutcome(state);
  return (
    <form action={action} className="flex flex-col items-start gap-2">
      <input type="hidden" name="orgId" value={orgId} />
      <Button type="submit" variant="outline" disabled={pending}>
        <RefreshCwIcon aria-hidden="true" className={pending ? 'animate-spin' : undefined} />
        {pending ? 'Re-syncing…' : 'Re-sync from Scalekit'}
      </Button>
      {state ? (
        <p role="status" className={state.ok ? 'text-sm text-muted-foreground' : 'text-sm text-destructive'}>
          {state.ok ? state.message : state.error}
        </p>
      ) : null}
    </form>
  );
}
