'use client';

import { useEffect, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { confirmBulkAction, discardBulkAction } from '../../bulk-actions';

/** Confirm (queues the job) or Discard a previewed bulk action; the page re-renders from the database after. */
export function ActionControls({ orgId, actionId, pending }: { orgId: string; actionId: string; pending: number }) {
  const router = useRouter();
  const [working, startTransition] = useTransition();
  function run(action: typeof confirmBulkAction, after?: () => void) {
    startTransition(async () => {
      const result = await action(orgId, actionId);
      if (!result.ok) return void toast.error(result.error);
      toast.success(result.message);
      if (after) after();
      else router.refresh();
    });
  }
  return (
    <>
      <Button type="button" onClick={() => run(confirmBulkAction)} disabled={working || pending === 0}>
        {working ? 'Working…' : pending === 0 ? 'Nothing to change' : `Confirm (${pending})`}
      </Button>
      <Button
        type="button"
        variant="outline"
        onClick={() => run(discardBulkAction, () => router.push(`/orgs/${encodeURIComponent(orgId)}/team`))}
        disabled={working}
      >
        Discard
      </Button>
    </>
  );
}

/** While the job runs, the page re-reads its progress from the server every second. */
export function RefreshWhileRunning() {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), 1_000);
    return () => clearInterval(timer);
  }, [router]);
  return null;
}
