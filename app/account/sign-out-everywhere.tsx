'use client';

import { LogOutIcon } from 'lucide-react';
import { ConfirmDialogContent } from '@/components/confirm-dialog';
import { AlertDialog, AlertDialogTrigger } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';

/**
 * "Sign out of all devices" asks first: it ends this session too, and every other device has to
 * sign in again. The confirm button is a plain submit (not the dialog's Action), so the POST goes
 * out before the dialog closes.
 */
export function SignOutEverywhere({ csrfToken, sessionCount }: { csrfToken: string; sessionCount: number }) {
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button type="button" variant="destructive">
          <LogOutIcon aria-hidden="true" />
          Sign out of all devices
        </Button>
      </AlertDialogTrigger>
      <ConfirmDialogContent
        title="Sign out of all devices?"
        description={
          sessionCount > 1
            ? `This ends all ${sessionCount} of your sessions, including this one. You, and anyone using your account on another device, will have to sign in again.`
            : 'This ends your only session, this one, here and at your identity provider. You will have to sign in again.'
        }
        confirm={
          <Button type="submit" variant="destructive">
            Sign out everywhere
          </Button>
        }
        form={(body) => (
          <form action="/api/auth/logout-all" method="post" className="flex flex-col gap-4">
            <input type="hidden" name="csrf_token" value={csrfToken} />
            {body}
          </form>
        )}
      />
    </AlertDialog>
  );
}
