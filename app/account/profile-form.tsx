'use client';

import { useActionState } from 'react';
import { ActionFormFooter, useToastOutcome } from '@/components/action-form';
import { FormField } from '@/components/form-field';
import { Input } from '@/components/ui/input';
import { updateNameAction } from './actions';

/** Your name as Scalekit and every organization you belong to show it. */
export function ProfileForm({ firstName, lastName }: { firstName: string; lastName: string }) {
  const [state, action, pending] = useActionState(updateNameAction, null);
  useToastOutcome(state);
  const fieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="flex max-w-xl flex-col gap-4" aria-label="Your name">
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField id="firstName" label="First name" error={fieldErrors.firstName}>
          <Input name="firstName" defaultValue={firstName} maxLength={100} required autoComplete="given-name" />
        </FormField>
        <FormField id="lastName" label="Last name" error={fieldErrors.lastName}>
          <Input name="lastName" defaultValue={lastName} maxLength={100} autoComplete="family-name" />
        </FormField>
      </div>
      <ActionFormFooter state={state} pending={pending} label="Save name" />
    </form>
  );
}
