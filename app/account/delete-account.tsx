'use client';

import { useActionState, useState } from 'react';
import { Trash2Icon } from 'lucide-react';
import { ConfirmDialogContent } from '@/components/confirm-dialog';
import { FormField } from '@/components/form-field';
import { AlertDialog, AlertDialogTrigger } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { deleteAccountAction } from './actions';

/**
 * "Delete account" asks the person to type their email address first (the server checks it
 * too). The server decides: the last admin of an organization is refused, with the reason shown
 * in the dialog. Once deleted, the action itself sends the browser to the signed-out page.
 */
export function DeleteAccount({ email, organizations }: { email: string; organizations: string[] }) {
  const [state, action, pending] = useActionState(deleteAccountAction, null);
  const [typed, setTyped] = useState('');
  const [open, setOpen] = useState(false);
  const matches = typed.trim().toLowerCase() === email.toLowerCase();

  const leaving = organizations.length ? ` You leave ${organizations.join(', ')}.` : '';
  return (
    <AlertDialog open={open} onOpenChange={(next) => (!pending ? setOpen(next) : undefined)}>
      <AlertDialogTrigger asChild>
        <Button type="button" variant="destructive">
          <Trash2Icon aria-hidden="true" />
          Delete account
        </Button>
      </AlertDialogTrigger>
      <ConfirmDialogContent
        title="Delete your account?"
        description={`This deletes your account at Scalekit and in Teamgate and cannot be undone.${leaving} The API keys you created are revoked and every session of yours ends.`}
        cancelDisabled={pending}
        confirm={
          <Button type="submit" variant="destructive" disabled={!matches || pending}>
            {pending ? 'Deleting…' : 'Delete my account'}
          </Button>
        }
        form={(body) => (
          <form action={action} className="flex flex-col gap-4">
            {body}
          </form>
        )}
      >
        <FormField
          id="confirmation"
          label={`Type your email address, ${email}, to confirm`}
          error={state && !state.ok ? state.error : undefined}
        >
          <Input
            name="confirmation"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </FormField>
      </ConfirmDialogContent>
    </AlertDialog>
  );
}
