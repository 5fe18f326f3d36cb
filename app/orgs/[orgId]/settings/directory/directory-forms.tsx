'use client';

import { useActionState } from 'react';
import { ActionFormFooter, RefreshActionForm, useToastOutcome } from '@/components/action-form';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { mapGroupAction, setJoinAsAction, syncNowAction } from './actions';

export function JoinAsForm({ orgId, joinAs }: { orgId: string; joinAs: 'MEMBERS' | 'INVITATIONS' }) {
  const [state, action, pending] = useActionState(setJoinAsAction, null);
  useToastOutcome(state);
  return (
    <form action={action} className="flex max-w-xl flex-col gap-3" aria-label="How directory users join">
      <input type="hidden" name="orgId" value={orgId} />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">Directory users join as</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="joinAs" value="MEMBERS" defaultChecked={joinAs === 'MEMBERS'} className="mt-1" />
          <span>
            Members <span className="text-muted-foreground">— added at once, with the role their groups map to</span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="joinAs" value="INVITATIONS" defaultChecked={joinAs === 'INVITATIONS'} className="mt-1" />
          <span>
            Invitations <span className="text-muted-foreground">— sent an invitation email they accept</span>
          </span>
        </label>
      </fieldset>
      <ActionFormFooter state={state} pending={pending} label="Save" />
    </form>
  );
}

export function GroupRoleForm({
  orgId,
  group,
  roles,
}: {
  orgId: string;
  group: { id: string; displayName: string; role: string | null };
  roles: Array<{ name: string; displayName: string }>;
}) {
  const [state, action, pending] = useActionState(mapGroupAction, null);
  useToastOutcome(state);
  const selectId = `role-${group.id}`;
  return (
    <form action={action} className="flex items-center gap-2" aria-label={`Role for ${group.displayName}`}>
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="groupId" value={group.id} />
      <label htmlFor={selectId} className="sr-only">
        Role for {group.displayName}
      </label>
      <NativeSelect id={selectId} name="role" defaultValue={group.role ?? ''}>
        <option value="">Default role</option>
        {roles.map((r) => (
          <option key={r.name} value={r.name}>
            {r.displayName}
          </option>
        ))}
      </NativeSelect>
      <Button type="submit" variant="outline" size="sm" disabled={pending}>
        {pending ? 'Applying…' : 'Apply'}
      </Button>
      {state && !state.ok ? (
        <p role="alert" className="text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

export function SyncNowForm({ orgId }: { orgId: string }) {
  return <RefreshActionForm orgId={orgId} action={syncNowAction} label="Sync now" pendingLabel="Queuing…" />;
}
