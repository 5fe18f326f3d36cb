'use client';

import { useEffect, useMemo, useRef, useState, useTransition } from 'react';
import {
  AlertTriangleIcon,
  CheckCircle2Icon,
  DownloadIcon,
  FileUpIcon,
  Loader2Icon,
  PlayIcon,
  RotateCwIcon,
  SendIcon,
  Trash2Icon,
} from 'lucide-react';
import { toast } from 'sonner';
import { FormField } from '@/components/form-field';
import { ProgressBar } from '@/components/progress-bar';
import { TableColumns } from '@/components/table-columns';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableRow } from '@/components/ui/table';
import type { BulkCounts } from '@/lib/invitations/bulk';
import { csvTooLargeMessage } from '@/lib/invitations/csv-limits';
import { bulkJobRowsAction, discardBulkJobAction, previewBulkAction, sendBulkChunkAction } from '@/app/orgs/[orgId]/team/bulk/actions';
import type { BulkRowView } from './bulk-types';

type Phase = 'upload' | 'preview' | 'sending' | 'results';

/** A job this admin left with rows not sent yet (a closed tab, a lost connection): see lib/invitations/bulk.ts unfinishedBulkJob. */
export interface UnfinishedBulkJob {
  jobId: string;
  fileName: string | null;
  createdAt: string;
  counts: BulkCounts;
}

/** How long a send waits for another run of the same job (a second tab, a closed tab's last chunk); past the server's lease. */
const BUSY_WAIT_MS = 150_000;
const BUSY_POLL_MS = 2_000;

const LEAVE_WARNING = 'Invitations are still being sent. If you leave now, the rest stop being sent until you come back and resume.';

const STATUS_BADGE: Record<BulkRowView['status'], { label: string; variant: 'secondary' | 'success' | 'warning' | 'destructive' }> = {
  PENDING: { label: 'Ready', variant: 'secondary' },
  INVITED: { label: 'Invited', variant: 'success' },
  SKIPPED: { label: 'Skipped', variant: 'warning' },
  FAILED: { label: 'Failed', variant: 'destructive' },
};

/** The job's counts as a definition list, each number findable by its test id. */
function CountList({ testId, counts }: { testId: string; counts: Array<{ label: string; testId: string; value: number }> }) {
  return (
    <dl className="flex flex-wrap gap-4 text-sm" data-testid={testId}>
      {counts.map((count) => (
        <div key={count.testId}>
          <dt className="inline text-muted-foreground">{count.label}: </dt>
          <dd className="inline font-medium" data-testid={count.testId}>
            {count.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Upload a CSV → see every row checked → send with a progress bar → per-row results and a
 * results CSV. Sending runs in chunks (one server action each), so progress is real and a
 * Scalekit fault stops the run with the remaining rows still marked "not sent yet". The page is
 * what drives the chunks, so leaving it mid-send is warned about, and coming back offers the
 * unfinished job: "Resume" sends only the rows still PENDING (the server claims each row once).
 */
export function BulkInvite({
  orgId,
  maxBytes,
  maxRows,
  limitsText,
  unfinished = null,
}: {
  orgId: string;
  maxBytes: number;
  maxRows: number;
  limitsText: string;
  unfinished?: UnfinishedBulkJob | null;
}) {
  const [phase, setPhase] = useState<Phase>('upload');
  const [jobId, setJobId] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [rows, setRows] = useState<BulkRowView[]>([]);
  const [counts, setCounts] = useState<BulkCounts | null>(null);
  const [sendTotal, setSendTotal] = useState(0);
  const [fileError, setFileError] = useState<string | null>(null);
  const [stopped, setStopped] = useState<string | null>(null);
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  const [uploading, startUpload] = useTransition();
  const [leftOver, setLeftOver] = useState<UnfinishedBulkJob | null>(unfinished);
  const [discarding, setDiscarding] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Cleared on unmount: leaving the page (a link in the app) stops after the chunk in flight
  // instead of sending on from a page nobody sees; the job then shows as unfinished here.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (phase !== 'sending') return;
    const beforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the dialog only when returnValue is set.
      event.returnValue = LEAVE_WARNING;
      return LEAVE_WARNING;
    };
    // Links inside the app navigate without unloading the page, so beforeunload never fires for them.
    const linkClick = (event: MouseEvent) => {
      // A modified click opens a new tab and leaves this one sending.
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element | null)?.closest?.('a[href]');
      if (!link || link.getAttribute('download') !== null || link.getAttribute('target') === '_blank') return;
      if (!window.confirm(LEAVE_WARNING)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', linkClick, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', linkClick, true);
    };
  }, [phase]);

  const flagged = useMemo(() => rows.filter((r) => r.status !== 'PENDING' && r.status !== 'INVITED'), [rows]);

  function upload(form: FormData) {
    setFileError(null);
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return setFileError('Choose a CSV file to upload.');
    // Checked here first, so a large file is never uploaded at all; the server says the same.
    if (file.size > maxBytes) return setFileError(csvTooLargeMessage(file.size));
    startUpload(async () => {
      const result = await previewBulkAction(form);
      if (!result.ok) {
        setFileError(result.error);
        return;
      }
      setJobId(result.jobId);
      setFileName(result.fileName);
      setRows(result.rows);
      setCounts(result.counts);
      setOnlyFlagged(false);
      setPhase('preview');
    });
  }

  async function send(
    retryFailed: boolean,
    job: { jobId: string; counts: BulkCounts } | null = jobId && counts ? { jobId, counts } : null,
  ) {
    if (!job) return;
    const { jobId: id, counts: start } = job;
    setStopped(null);
    const total = retryFailed ? start.pending + start.failed : start.pending;
    setSendTotal(total);
    setCounts(retryFailed ? { ...start, pending: total, failed: 0 } : start);
    setPhase('sending');
    let first = true;
    let waited = 0;
    for (;;) {
      if (!mounted.current) return;
      const result = await sendBulkChunkAction(orgId, id, retryFailed && first);
      if (!result.ok) {
        setStopped(result.error);
        break;
      }
      if (result.busy) {
        // `first` stays set: the FAILED rows are put back only by the call that gets the job.
        if (waited >= BUSY_WAIT_MS) {
          setStopped(result.message);
          break;
        }
        setWaiting(true);
        await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
        waited += BUSY_POLL_MS;
        continue;
      }
      setWaiting(false);
      first = false;
      setCounts(result.counts);
      if (result.stoppedBy) {
        setStopped(result.stoppedBy.message);
        break;
      }
      if (result.done) break;
    }
    setWaiting(false);
    const final = await bulkJobRowsAction(orgId, id);
    if (final.ok) {
      setRows(final.rows);
      setCounts(final.counts);
      if (!final.counts.failed && !final.counts.pending) toast.success(`${final.counts.invited} invitations sent.`);
      else toast.error(`${final.counts.failed + final.counts.pending} rows were not sent. You can retry them.`);
    }
    setPhase('results');
  }

  function resume(job: UnfinishedBulkJob) {
    setLeftOver(null);
    setJobId(job.jobId);
    setFileName(job.fileName);
    setRows([]);
    setOnlyFlagged(false);
    // FAILED rows go again too: each is claimed once, and one Scalekit already has is adopted, not sent again.
    void send(job.counts.failed > 0, job);
  }

  async function discard(job: UnfinishedBulkJob) {
    setDiscarding(true);
    const result = await discardBulkJobAction(orgId, job.jobId);
    setDiscarding(false);
    if (!result.ok) {
      toast.error(result.error);
      return;
    }
    setLeftOver(null);
    toast.success(`Discarded: ${job.counts.pending} ${job.counts.pending === 1 ? 'row was' : 'rows were'} not sent.`);
  }

  function reset() {
    setPhase('upload');
    setJobId(null);
    setRows([]);
    setCounts(null);
    setStopped(null);
    formRef.current?.reset();
  }

  const processed = counts ? Math.max(0, sendTotal - counts.pending) : 0;
  const visible = onlyFlagged ? flagged : rows;

  return (
    <div className="flex flex-col gap-6">
      {phase === 'upload' && leftOver ? (
        <section
          aria-labelledby="bulk-unfinished"
          className="flex flex-col gap-3 rounded-lg border border-warning/50 bg-warning/10 p-5"
          data-testid="bulk-unfinished"
        >
          <h2 id="bulk-unfinished" className="text-base font-semibold">
            Unfinished: {leftOver.fileName ?? 'a file'}, uploaded{' '}
            <time dateTime={leftOver.createdAt}>
              {new Date(leftOver.createdAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })}
            </time>
          </h2>
          <p className="text-sm">
            <span data-testid="unfinished-invited">{leftOver.counts.invited}</span> of {leftOver.counts.total} rows invited,{' '}
            <span data-testid="unfinished-pending">{leftOver.counts.pending}</span> not sent yet
            {leftOver.counts.failed ? (
              <>
                , <span data-testid="unfinished-failed">{leftOver.counts.failed}</span> failed
              </>
            ) : null}
            {leftOver.counts.skipped ? <>, {leftOver.counts.skipped} skipped</> : null}. Resuming sends only the rows not invited yet; no
            one is invited twice.
          </p>
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => resume(leftOver)} disabled={discarding}>
              <PlayIcon aria-hidden="true" />
              Resume: send {leftOver.counts.pending + leftOver.counts.failed}{' '}
              {leftOver.counts.pending + leftOver.counts.failed === 1 ? 'invitation' : 'invitations'}
            </Button>
            <Button variant="outline" onClick={() => void discard(leftOver)} disabled={discarding}>
              {discarding ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <Trash2Icon aria-hidden="true" />}
              Discard the rest
            </Button>
          </div>
        </section>
      ) : null}

      {phase === 'upload' ? (
        <form ref={formRef} action={upload} className="flex flex-col gap-4 rounded-lg border bg-card p-5">
          <input type="hidden" name="orgId" value={orgId} />
          <FormField
            id="bulk-file"
            label="CSV file"
            help={
              <>
                Limits: {limitsText}. One person per row with a header row: <code>email</code>, and optionally <code>role</code> (admin or
                member; empty means member) and <code>name</code> (or <code>first name</code> + <code>last name</code>). Comma, semicolon or
                tab separated; UTF-8 or Excel CSV.
              </>
            }
          >
            {/* The file's error is the alert below, not a line under the field. */}
            <Input name="file" type="file" accept=".csv,text/csv,text/plain" aria-invalid={fileError ? true : undefined} />
          </FormField>
          {fileError ? (
            <Alert variant="destructive" role="alert">
              <AlertTriangleIcon aria-hidden="true" />
              <AlertTitle>That file cannot be used</AlertTitle>
              <AlertDescription>{fileError}</AlertDescription>
            </Alert>
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={uploading}>
              {uploading ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <FileUpIcon aria-hidden="true" />}
              {uploading ? 'Checking…' : 'Upload and check'}
            </Button>
            <a
              className="text-sm text-primary underline-offset-4 hover:underline"
              download="invitations-template.csv"
              href={`data:text/csv;charset=utf-8,${encodeURIComponent('email,role,name\r\nada@example.com,admin,Ada Lovelace\r\ngrace@example.com,member,Grace Hopper\r\n')}`}
            >
              Download a template
            </a>
          </div>
          <p className="text-xs text-muted-foreground">
            Nothing is sent until you review the rows and press Send. Up to {maxRows.toLocaleString('en-US')} rows per file.
          </p>
        </form>
      ) : null}

      {phase !== 'upload' && counts ? (
        <section aria-labelledby="bulk-summary" className="flex flex-col gap-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="bulk-summary" className="text-base font-semibold">
              {fileName ?? 'Your file'}: {counts.total} {counts.total === 1 ? 'row' : 'rows'}
            </h2>
            <CountList
              testId="bulk-counts"
              counts={
                phase === 'preview'
                  ? [
                      { label: 'Ready', testId: 'count-ready', value: counts.pending },
                      { label: 'Flagged', testId: 'count-flagged', value: counts.skipped },
                    ]
                  : [
                      { label: 'Invited', testId: 'count-invited', value: counts.invited },
                      { label: 'Skipped', testId: 'count-skipped', value: counts.skipped },
                      { label: 'Failed', testId: 'count-failed', value: counts.failed },
                      { label: 'Not sent yet', testId: 'count-pending', value: counts.pending },
                    ]
              }
            />
          </div>

          {phase === 'sending' ? (
            <div className="flex flex-col gap-2">
              <ProgressBar label="Sending invitations" value={processed} max={sendTotal} indicatorClassName="transition-[width]" />
              <p className="text-sm text-muted-foreground" aria-live="polite">
                {waiting
                  ? 'A batch of this file is still being sent (from another tab, or the page you left); carrying on as soon as it is done…'
                  : `Sending… ${processed} of ${sendTotal}. Keep this page open until it is done.`}
              </p>
            </div>
          ) : null}

          {stopped ? (
            <Alert variant="destructive" role="alert">
              <AlertTriangleIcon aria-hidden="true" />
              <AlertTitle>Sending stopped</AlertTitle>
              <AlertDescription>
                {stopped} Rows already sent stay sent; the rest are marked &ldquo;failed&rdquo; or &ldquo;not sent yet&rdquo; and can be
                retried.
              </AlertDescription>
            </Alert>
          ) : null}

          <div className="flex flex-wrap items-center gap-2">
            {phase === 'preview' ? (
              <>
                <Button onClick={() => void send(false)} disabled={counts.pending === 0}>
                  <SendIcon aria-hidden="true" />
                  {counts.pending === 0
                    ? 'Nothing to send'
                    : `Send ${counts.pending} ${counts.pending === 1 ? 'invitation' : 'invitations'}`}
                </Button>
                <Button variant="outline" onClick={reset}>
                  Choose another file
                </Button>
              </>
            ) : null}
            {phase === 'results' ? (
              <>
                {counts.failed + counts.pending > 0 ? (
                  <Button onClick={() => void send(true)}>
                    <RotateCwIcon aria-hidden="true" />
                    Retry {counts.failed + counts.pending} unsent {counts.failed + counts.pending === 1 ? 'row' : 'rows'}
                  </Button>
                ) : (
                  <p className="flex items-center gap-2 text-sm text-success">
                    <CheckCircle2Icon className="size-4" aria-hidden="true" /> Done: every row is invited or skipped with a reason.
                  </p>
                )}
                <Button asChild variant="outline">
                  <a href={`/orgs/${encodeURIComponent(orgId)}/team/bulk/${encodeURIComponent(jobId!)}/results.csv`} download>
                    <DownloadIcon aria-hidden="true" />
                    Download results CSV
                  </a>
                </Button>
                <Button variant="ghost" onClick={reset}>
                  Upload another file
                </Button>
              </>
            ) : null}
            {flagged.length && phase !== 'sending' ? (
              <label className="ml-auto flex items-center gap-2 text-sm">
                <input type="checkbox" checked={onlyFlagged} onChange={(e) => setOnlyFlagged(e.target.checked)} />
                Show only rows that were not sent ({flagged.length})
              </label>
            ) : null}
          </div>

          {phase !== 'sending' ? (
            <div className="max-h-[32rem] overflow-auto rounded-lg border">
              <Table aria-label={phase === 'preview' ? 'Rows to invite' : 'Results per row'}>
                <TableColumns
                  columns={[{ label: 'Row', className: 'w-16' }, 'Email', 'Name', 'Role', phase === 'preview' ? 'Check' : 'Result']}
                />
                <TableBody>
                  {visible.map((row) => (
                    <TableRow key={row.rowNumber} data-testid="bulk-row" data-status={row.status.toLowerCase()}>
                      <TableCell className="tabular-nums text-muted-foreground">{row.rowNumber}</TableCell>
                      <TableCell className="max-w-64 truncate">
                        {row.email || <span className="text-muted-foreground">(empty)</span>}
                      </TableCell>
                      <TableCell className="max-w-48 truncate">{row.name}</TableCell>
                      <TableCell>{row.role}</TableCell>
                      <TableCell>
                        <div className="flex flex-col gap-1">
                          <Badge variant={STATUS_BADGE[row.status].variant}>
                            {phase === 'preview' && row.status === 'SKIPPED' ? 'Flagged' : STATUS_BADGE[row.status].label}
                          </Badge>
                          {row.reason ? <span className="text-xs text-muted-foreground">{row.reason}</span> : null}
                        </div>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
