'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { toast } from 'sonner';
import { ConfirmDialogContent } from '@/components/confirm-dialog';
import { AlertDialog, AlertDialogAction, AlertDialogTrigger } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { leaveOrganizationAction } from './actions';

/**
 * "Leave" beside one of the user's organizations. The server decides (the last admin is refused
 * with what to do instead); after leaving the page goes to the dashboard, because leaving the
 * active organization ends this session in it.
 */
export function LeaveOrganization({ orgId, orgName }: { orgId: string; orgName: string }) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const router = useRouter();

  function leave() {
    startTransition(async () => {
      const result = await leaveOrganizationAction(orgId);
      setOpen(false);
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      toast.success(result.message);
      router.push('/dashboard');
      router.refresh();
    });
  }

  return (
    <AlertDialog open={open} onOpenChange={(next) => (!pending ? setOpen(next) : undefined)}>
      <AlertDialogTrigger asChild>
        <Button size="sm" variant="outline" aria-label={`Leave ${orgName}`}>
          Leave
        </Button>
      </AlertDialogTrigger>
      <ConfirmDialogContent
        title={`Leave ${orgName}?`}
        description={`You lose access to ${orgName} at once and are signed out of it. To come back, an admin has to invite you again.`}
        cancelDisabled={pending}
        confirm={
          <AlertDialogAction
            destructive
            disabled={pending}
            onClick={(event) => {
              // Keep the dialog open (and its buttons disabled) until the server answers.
              event.preventDefault();
              leave();
            }}
          >
            {pending ? 'Leaving…' : 'Leave'}
          </AlertDialogAction>
        }
      />
    </AlertDialog>
  );
}
