'use client';

import { useActionState, useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { Loader2Icon, SendIcon, UserPlusIcon } from 'lucide-react';
import { toast } from 'sonner';
import { FormField } from '@/components/form-field';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { DEFAULT_ROLE } from '@/lib/auth/permissions';
import { EMAIL_MAX } from '@/lib/invitations/limits';
import type { RoleOption } from '@/lib/roles/options';
import { requestInvitationAction, type RequestFormState } from '../actions';

const textareaClass =
  'rounded-md border border-input bg-card px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

/**
 * Ask an admin to invite someone: email, role (any of the organization's: the admin who approves
 * decides whether they may grant it), reason. The server validates it as the invite form.
 */
export function RequestInvitationForm({ orgId, roles, onDone }: { orgId: string; roles: readonly RoleOption[]; onDone?: () => void }) {
  const [state, formAction, pending] = useActionState<RequestFormState, FormData>(requestInvitationAction, null);
  const formRef = useRef<HTMLFormElement>(null);
  const ids = { email: useId(), role: useId(), reason: useId(), error: useId() };
  // onDone is a fresh closure each render; an effect event reads the latest one without re-running the effect.
  const onSent = useEffectEvent(() => onDone?.());

  useEffect(() => {
    if (!state) return;
    if (state.ok) {
      toast.success(state.message);
      formRef.current?.reset();
      onSent();
    } else {
      toast.error(state.error);
    }
  }, [state]);

  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? state.values : undefined;
  const key = state && !state.ok ? state.at : 'fresh';
  return (
    <form ref={formRef} action={formAction} className="flex flex-col gap-4" noValidate aria-label="Request an invitation">
      <input type="hidden" name="orgId" value={orgId} />
      {state && !state.ok && !state.fieldErrors ? (
        <Alert variant="destructive" role="alert" id={ids.error}>
          <AlertTitle>The request was not sent</AlertTitle>
          <AlertDescription>{state.error}</AlertDescription>
        </Alert>
      ) : null}
      <FormField id={ids.email} label="Email" error={errors.email}>
        <Input
          name="email"
          type="email"
          autoComplete="off"
          placeholder="name@company.com"
          required
          maxLength={EMAIL_MAX}
          defaultValue={values?.email}
          key={`email-${key}`}
        />
      </FormField>
      <FormField id={ids.role} label="Role" error={errors.role} help="The admin who approves may pick another role later.">
        <NativeSelect
          name="role"
          className="w-full"
          defaultValue={values?.role || (roles.some((r) => r.name === DEFAULT_ROLE) ? DEFAULT_ROLE : roles[0]?.name)}
          key={`role-${key}`}
        >
          {roles.map((role) => (
            <option key={role.name} value={role.name}>
              {role.displayName} — {role.summary}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField
        id={ids.reason}
        label={
          <>
            Reason <span className="font-normal text-muted-foreground">(optional)</span>
          </>
        }
        error={errors.reason}
        help="Who they are and why they need access: the admins read it."
      >
        <textarea name="reason" rows={3} maxLength={500} defaultValue={values?.reason} key={`reason-${key}`} className={textareaClass} />
      </FormField>
      <Button type="submit" disabled={pending} className="self-end">
        {pending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <SendIcon aria-hidden="true" />}
        {pending ? 'Sending…' : 'Send request'}
      </Button>
    </form>
  );
}

/** The team page's "Request an invitation" button and its dialog, for members who cannot invite. */
export function RequestInvitationDialog({ orgId, roles }: { orgId: string; roles: readonly RoleOption[] }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <UserPlusIcon aria-hidden="true" />
          Request an invitation
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Request an invitation</DialogTitle>
          <DialogDescription>An admin approves or denies it; you see the outcome under Your requests.</DialogDescription>
        </DialogHeader>
        <RequestInvitationForm orgId={orgId} roles={roles} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
