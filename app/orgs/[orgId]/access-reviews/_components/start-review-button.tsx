'use client';

import { useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { ClipboardCheckIcon } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { startAccessReviewAction } from '../actions';

/** Starts a review and opens it; the server refuses a second open one (the page then links to it). */
export function StartReviewButton({ orgId }: { orgId: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await startAccessReviewAction(orgId);
          if (!result.ok) {
            toast.error(result.error);
            return;
          }
          toast.success(result.message);
          router.push(`/orgs/${encodeURIComponent(orgId)}/access-reviews/${encodeURIComponent(result.reviewId)}`);
        })
      }
    >
      <ClipboardCheckIcon aria-hidden="true" />
      {pending ? 'Starting…' : 'Start access review'}
    </Button>
  );
}
