'use client';

import { useEffect, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { toast } from 'sonner';
import { EmptyTableNotice, TableColumns } from '@/components/table-columns';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableRow } from '@/components/ui/table';
import { replayDeliveryAction } from './actions';

export interface DeliveryLogRow {
  id: string;
  eventId: string;
  type: string;
  status: 'PENDING' | 'SENDING' | 'SUCCEEDED' | 'FAILED';
  attempts: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  nextAttemptAt: string;
  createdAt: string;
  lastAttemptAt: string | null;
  replay: boolean;
}

const STATUS = {
  PENDING: <Badge variant="warning">Pending</Badge>,
  SENDING: <Badge variant="warning">Sending</Badge>,
  SUCCEEDED: <Badge variant="success">Delivered</Badge>,
  FAILED: <Badge variant="destructive">Failed</Badge>,
} as const;

function when(iso: string): string {
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Re-read the log every few seconds while the page is visible: deliveries happen in the background. */
const REFRESH_MS = 3_000;

/** The newest deliveries of one endpoint, with Replay for any of them. */
export function DeliveryLog({
  orgId,
  endpointId,
  endpointUrl,
  deliveries,
}: {
  orgId: string;
  endpointId: string;
  endpointUrl: string;
  deliveries: DeliveryLogRow[];
}) {
  const router = useRouter();
  const [replaying, startReplay] = useTransition();

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [router]);

  function replay(row: DeliveryLogRow) {
    startReplay(async () => {
      const result = await replayDeliveryAction(orgId, endpointId, row.id);
      if (result.ok) toast.success(result.message);
      else toast.error(result.error);
      router.refresh();
    });
  }

  return (
    <section aria-labelledby="delivery-log-heading" className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <h2 id="delivery-log-heading" className="text-lg font-semibold tracking-tight">
          Delivery log
        </h2>
        <p className="text-sm text-muted-foreground">
          The latest 50 deliveries to <code className="font-mono text-xs break-all">{endpointUrl}</code>, newest first. Updated every few
          seconds.
        </p>
      </div>
      {deliveries.length === 0 ? (
        <EmptyTableNotice testId="webhook-deliveries-empty">
          Nothing sent yet. Send a test event, or wait for the next change.
        </EmptyTableNotice>
      ) : (
        <Table aria-label="Webhook deliveries">
          <TableColumns columns={['Time', 'Event', 'Status', 'Attempts', 'Response', 'Details']} actions="w-24" />
          <TableBody>
            {deliveries.map((d) => (
              <TableRow key={d.id} data-testid="webhook-delivery-row" data-type={d.type} data-status={d.status}>
                <TableCell>{when(d.createdAt)}</TableCell>
                <TableCell>
                  <code className="font-mono text-xs" data-testid="webhook-delivery-type">
                    {d.type}
                  </code>
                  <div className="font-mono text-[11px] text-muted-foreground">
                    {d.eventId}
                    {d.replay ? ' (replay)' : ''}
                  </div>
                </TableCell>
                <TableCell data-testid="webhook-delivery-status">{STATUS[d.status]}</TableCell>
                <TableCell data-testid="webhook-delivery-attempts">{d.attempts}</TableCell>
                <TableCell data-testid="webhook-delivery-response">
                  {d.lastResponseStatus ?? '—'}
                  {d.lastDurationMs !== null ? <span className="block text-xs text-muted-foreground">{d.lastDurationMs} ms</span> : null}
                </TableCell>
                <TableCell className="max-w-72 text-xs">
                  {d.status === 'PENDING' && d.attempts > 0 ? <div>Next try {when(d.nextAttemptAt)}</div> : null}
                  {d.lastError ? <div className="break-words text-muted-foreground">{d.lastError}</div> : null}
                </TableCell>
                <TableCell>
                  <Button
                    variant="outline"
                    size="sm"
                    disabled={replaying}
                    onClick={() => replay(d)}
                    aria-label={`Replay ${d.type} ${d.eventId}`}
                  >
                    Replay
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
