'use client';

import { useActionState, useEffect, useEffectEvent, useId, useRef, useState, useTransition } from 'react';
import { Loader2Icon, MailPlusIcon, RotateCwIcon } from 'lucide-react';
import { toast } from 'sonner';
import { FormField } from '@/components/form-field';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { DEFAULT_ROLE } from '@/lib/auth/permissions';
import type { RoleOption } from '@/lib/roles/options';
import { cn } from '@/lib/utils';
import { inviteMemberAction, resendFromInviteFormAction } from '@/app/orgs/[orgId]/team/invite-actions';
import { initialInviteFormState, type InviteFormState } from './invite-form-state';
import { EMAIL_MAX, NAME_MAX } from '@/lib/invitations/limits';

/**
 * Invite one person: email, role, optional name. Validation happens on the server (the same
 * zod schema as the API) and comes back per field; the form keeps what was typed. Inviting an
 * address that is already invited sends nothing and offers a resend instead. An invitation that one
 * of the organization's invitation rules holds says which rule, and that an admin will review it.
 */
export function InviteForm({ orgId, roles, onDone }: { orgId: string; roles: readonly RoleOption[]; onDone?: () => void }) {
  const [state, formAction, pending] = useActionState<InviteFormState, FormData>(inviteMemberAction, initialInviteFormState);
  const [resending, startResend] = useTransition();
  const [resent, setResent] = useState<number | null>(null);
  // A refused resend (sent less than a minute ago, or over the hourly budget), kept beside the button it answers.
  const [resendError, setResendError] = useState<{ at: number; message: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const ids = { email: useId(), role: useId(), name: useId() };

  // onDone is a fresh closure each render; an effect event reads the latest one without re-running the effect.
  const onInvited = useEffectEvent(() => onDone?.());
  useEffect(() => {
    if (state.status === 'done') {
      if (state.outcome === 'invited') {
        toast.success(state.message);
        formRef.current?.reset();
        onInvited();
      } else {
        toast.info(state.message);
      }
    } else if (state.status === 'held') {
      toast.info(state.message);
      formRef.current?.reset();
    } else if (state.status === 'error') {
      toast.error(state.error);
      emailRef.current?.focus();
    }
  }, [state]);

  const errors = state.status === 'error' ? state.fieldErrors : {};
  const values = state.status === 'error' ? state.values : undefined;
  const alreadyInvited = state.status === 'done' && state.outcome === 'already_invited' ? state : null;

  function resend() {
    if (!alreadyInvited) return;
    startResend(async () => {
      const result = await resendFromInviteFormAction(orgId, alreadyInvited.membershipId);
      if (result.ok) {
        toast.success(result.message);
        setResent(alreadyInvited.at);
        setResendError(null);
      } else {
        toast.error(result.error);
        setResendError({ at: alreadyInvited.at, message: result.error });
      }
    });
  }

  return (
    <form
      ref={formRef}
      action={formAction}
      className="flex flex-col gap-4"
      noValidate
      aria-describedby={state.status === 'error' ? `${ids.email}-form-error` : undefined}
    >
      <input type="hidden" name="orgId" value={orgId} />
      {state.status === 'error' && !Object.keys(errors).length ? (
        <Alert variant="destructive" role="alert" id={`${ids.email}-form-error`}>
          <AlertTitle>The invitation was not sent</AlertTitle>
          <AlertDescription>{state.error}</AlertDescription>
        </Alert>
      ) : null}
      {state.status === 'held' ? (
        <Alert variant="info" data-testid="invite-held">
          <AlertTitle>Held for approval</AlertTitle>
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {alreadyInvited ? (
        <Alert variant="info" data-testid="already-invited">
          <AlertTitle>Already invited</AlertTitle>
          <AlertDescription className="flex flex-col gap-2">
            <span>
              {alreadyInvited.email} has a pending invitation, so nothing new was sent.
              {resent === alreadyInvited.at ? ' The invitation was sent again.' : ' Send the invitation email again?'}
            </span>
            {resent === alreadyInvited.at ? null : (
              <Button type="button" size="sm" variant="outline" className="self-start" onClick={resend} disabled={resending}>
                {resending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <RotateCwIcon aria-hidden="true" />}
                Resend invitation
              </Button>
            )}
            {resendError?.at === alreadyInvited.at ? (
              <span role="alert" data-testid="resend-error" className="text-destructive">
                {resendError.message}
              </span>
            ) : null}
          </AlertDescription>
        </Alert>
      ) : null}

      <FormField id={ids.email} label="Email" error={errors.email}>
        <Input
          ref={emailRef}
          name="email"
          type="email"
          autoComplete="off"
          placeholder="name@company.com"
          required
          maxLength={EMAIL_MAX}
          defaultValue={values?.email}
          key={`email-${state.status === 'error' ? state.at : 'fresh'}`}
        />
      </FormField>

      <FormField id={ids.role} label="Role" error={errors.role} help="You can change it later from the team page.">
        <select
          name="role"
          defaultValue={values?.role ?? (roles.some((r) => r.name === DEFAULT_ROLE) ? DEFAULT_ROLE : roles[0]?.name)}
          key={`role-${state.status === 'error' ? state.at : 'fresh'}`}
          className={cn(
            'h-9 w-full rounded-md border border-input bg-card px-3 text-sm shadow-xs',
            'focus-visible:border-ring focus-visible:outline-2 focus-visible:outline-ring/40 aria-invalid:border-destructive',
          )}
        >
          {roles.map((role) => (
            <option key={role.name} value={role.name}>
              {role.displayName} — {role.summary}
            </option>
          ))}
        </select>
      </FormField>

      <FormField
        id={ids.name}
        label={
          <>
            Name <span className="font-normal text-muted-foreground">(optional)</span>
          </>
        }
        error={errors.name}
      >
        <Input
          name="name"
          autoComplete="off"
          maxLength={NAME_MAX}
          placeholder="Ada Lovelace"
          defaultValue={values?.name}
          key={`name-${state.status === 'error' ? state.at : 'fresh'}`}
        />
      </FormField>

      <Button type="submit" disabled={pending} className="self-end">
        {pending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <MailPlusIcon aria-hidden="true" />}
        {pending ? 'Sending…' : 'Send invitation'}
      </Button>
    </form>
  );
}

/** The "Invite member" button and its dialog, for the team page. */
export function InviteMemberDialog({ orgId, roles }: { orgId: string; roles: readonly RoleOption[] }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <MailPlusIcon aria-hidden="true" />
          Invite member
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Invite a member</DialogTitle>
          <DialogDescription>They get an email with a link to join. The invitation is valid for 15 days.</DialogDescription>
        </DialogHeader>
        <InviteForm orgId={orgId} roles={roles} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
