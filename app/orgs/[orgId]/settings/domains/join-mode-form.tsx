'use client';

import { useActionState } from 'react';
import { useToastOutcome } from '@/components/action-form';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import type { DomainJoinMode } from '@/lib/generated/prisma/enums';
import { setJoinModeAction } from './actions';

const OPTIONS: Array<{ value: DomainJoinMode; label: string }> = [
  { value: 'NONE', label: 'Invitation only' },
  { value: 'AUTO_JOIN', label: 'Join automatically' },
  { value: 'SUGGEST', label: 'Ask to join (an admin approves)' },
];

/** One domain's join mode. Unverified domains can only stay "Invitation only" (the server refuses the rest too). */
export function JoinModeForm({
  orgId,
  domainId,
  domain,
  joinMode,
  verified,
}: {
  orgId: string;
  domainId: string;
  domain: string;
  joinMode: DomainJoinMode;
  verified: boolean;
}) {
  const [state, action, pending] = useActionState(setJoinModeAction, null);
  useToastOutcome(state);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="domainId" value={domainId} />
      <NativeSelect name="joinMode" defaultValue={joinMode} aria-label={`Who can join with an address at ${domain}`} disabled={pending}>
        {OPTIONS.map((o) => (
          <option key={o.value} value={o.value} disabled={!verified && o.value !== 'NONE'}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
      <Button type="submit" size="sm" variant="outline" disabled={pending} aria-label={`Save for ${domain}`}>
        {pending ? 'Saving…' : 'Save'}
      </Button>
      {state && !state.ok ? (
        <p role="alert" className="w-full text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
