'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { toast } from 'sonner';
import { ConfirmDialogContent } from '@/components/confirm-dialog';
import { AlertDialog, AlertDialogAction, AlertDialogTrigger } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { finishAccessReviewAction } from '../actions';

/** Finish: confirmed first, since it changes roles and removes people; the page then shows each row's result. */
export function FinishReviewButton({ orgId, reviewId, changes }: { orgId: string; reviewId: string; changes: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={(next) => (!pending ? setOpen(next) : undefined)}>
      <AlertDialogTrigger asChild>
        <Button>Finish review</Button>
      </AlertDialogTrigger>
      <ConfirmDialogContent
        title="Finish the access review?"
        description={
          changes > 0
            ? `${changes} ${changes === 1 ? 'change' : 'changes'} (role changes and removals) will be applied now. Removed members lose access at once. The review is then kept as it is, as evidence.`
            : 'No roles change and nobody is removed. The review is then kept as it is, as evidence.'
        }
        cancelDisabled={pending}
        confirm={
          <AlertDialogAction
            disabled={pending}
            onClick={(event) => {
              event.preventDefault();
              startTransition(async () => {
                const result = await finishAccessReviewAction(orgId, reviewId);
                if (result.ok) toast.success(result.message);
                else toast.error(result.error);
                setOpen(false);
                router.refresh();
              });
            }}
          >
            {pending ? 'Applying…' : 'Finish and apply'}
          </AlertDialogAction>
        }
      />
    </AlertDialog>
  );
}
