'use client';

import { useId, useState, useTransition } from 'react';
import { CheckIcon, Loader2Icon, XIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { approveRequestAction, cancelRequestAction, denyRequestAction } from '../actions';

const textareaClass =
  'rounded-md border border-input bg-card px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

type Kind = 'approve' | 'deny';

const COPY: Record<Kind, { title: string; description: (email: string) => string; confirm: string }> = {
  approve: {
    title: 'Approve this request?',
    description: (email) => `${email} gets an invitation email from you. The member who asked is told.`,
    confirm: 'Approve and invite',
  },
  deny: {
    title: 'Deny this request?',
    description: (email) => `Nothing is sent to ${email}. The member who asked is told, with your note.`,
    confirm: 'Deny request',
  },
};

/** Approve or Deny one pending request, each behind a dialog with an optional note. */
function DecisionButton({ orgId, requestId, email, kind }: { orgId: string; requestId: string; email: string; kind: Kind }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  const noteId = useId();
  const copy = COPY[kind];

  function submit() {
    start(async () => {
      const action = kind === 'approve' ? approveRequestAction : denyRequestAction;
      const result = await action({ orgId, requestId, note });
      if (result.ok) {
        toast.success(result.message);
        setOpen(false);
        setError(null);
      } else {
        setError(result.error);
        toast.error(result.error);
      }
      // Decided by someone else meanwhile, or by us: the list shows what is true now.
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant={kind === 'approve' ? 'default' : 'outline'}>
          {kind === 'approve' ? <CheckIcon aria-hidden="true" /> : <XIcon aria-hidden="true" />}
          {kind === 'approve' ? 'Approve' : 'Deny'}
          <span className="sr-only"> the request for {email}</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{copy.title}</DialogTitle>
          <DialogDescription>{copy.description(email)}</DialogDescription>
        </DialogHeader>
        <div className="flex flex-col gap-2">
          <Label htmlFor={noteId}>
            Note <span className="font-normal text-muted-foreground">(optional, shown to the member who asked)</span>
          </Label>
          <textarea id={noteId} rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} className={textareaClass} />
        </div>
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)} disabled={pending}>
            Back
          </Button>
          <Button onClick={submit} disabled={pending} variant={kind === 'approve' ? 'default' : 'destructive'}>
            {pending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : null}
            {copy.confirm}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

export function RequestDecision({ orgId, requestId, email }: { orgId: string; requestId: string; email: string }) {
  return (
    <div className="flex flex-wrap justify-end gap-2">
      <DecisionButton orgId={orgId} requestId={requestId} email={email} kind="approve" />
      <DecisionButton orgId={orgId} requestId={requestId} email={email} kind="deny" />
    </div>
  );
}

/** The member's own pending request: withdraw it. */
export function CancelRequestButton({ orgId, requestId, email }: { orgId: string; requestId: string; email: string }) {
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <Button
      size="sm"
      variant="outline"
      disabled={pending}
      onClick={() =>
        start(async () => {
          const result = await cancelRequestAction({ orgId, requestId });
          if (result.ok) toast.success(result.message);
          else toast.error(result.error);
          router.refresh();
        })
      }
    >
      {pending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : null}
      Cancel request<span className="sr-only"> for {email}</span>
    </Button>
  );
}
