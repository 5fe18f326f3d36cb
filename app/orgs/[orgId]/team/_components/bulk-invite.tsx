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
  UsersIcon,
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
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import type { BulkCounts } from '@/lib/invitations/bulk';
import { csvTooLargeMessage } from '@/lib/invitations/csv-limits';
import type { BulkProgress } from '@/lib/invitations/bulk-job';
import { bulkProgressAction, discardBulkJobAction, previewBulkAction, sendBulkAction } from '@/app/orgs/[orgId]/team/bulk/actions';
import type { BulkRowView } from './bulk-types';
import { DirectoryPicker, type DirectoryPreview } from '../bulk/_directory/directory-picker';

/** Where a bulk invitation's people come from (BulkInviteJob.source). */
export type BulkSource = 'csv' | 'directory';

type Phase = 'upload' | 'preview' | 'sending' | 'results';

/**
 * A job this admin has not finished: still being sent in the background (`sending`: the page
 * shows its progress), or stopped with rows not sent yet (offered to resume or discard). See
 * lib/invitations/bulk.ts unfinishedBulkJob.
 */
export interface UnfinishedBulkJob {
  jobId: string;
  fileName: string | null;
  createdAt: string;
  counts: BulkCounts;
  sending: boolean;
  source: BulkSource;
}

/** How often the page reads the worker's progress while a file is sent: two small queries each time. */
const POLL_MS = 1_000;

const STATUS_BADGE: Record<BulkRowView['status'], { label: string; variant: 'secondary' | 'success' | 'warning' | 'destructive' }> = {
  PENDING: { label: 'Ready', variant: 'secondary' },
  INVITED: { label: 'Invited', variant: 'success' },
  SKIPPED: { label: 'Skipped', variant: 'warning' },
  FAILED: { label: 'Failed', variant: 'destructive' },
  HELD: { label: 'Held for approval', variant: 'warning' },
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
 * results CSV. "Send" queues a background job and the page polls its progress, so the admin may
 * leave: coming back shows the file still sending, or what happened. A Scalekit outage pauses
 * the job (the worker retries it later); a job that stopped with rows not sent is offered to
 * resume (only the rows still PENDING are sent; the server claims each row once) or discard.
 */
export function BulkInvite({
  orgId,
  maxBytes,
  maxRows,
  limitsText,
  unfinished = null,
  initialTab = 'csv',
}: {
  orgId: string;
  maxBytes: number;
  maxRows: number;
  limitsText: string;
  unfinished?: UnfinishedBulkJob | null;
  /** The tab shown first (?source=directory opens the directory picker). */
  initialTab?: BulkSource;
}) {
  // Came back while the file is still being sent in the background: straight to its progress.
  const sendingNow = unfinished?.sending ? unfinished : null;
  const [phase, setPhase] = useState<Phase>(sendingNow ? 'sending' : 'upload');
  const [jobId, setJobId] = useState<string | null>(sendingNow?.jobId ?? null);
  const [fileName, setFileName] = useState<string | null>(sendingNow?.fileName ?? null);
  const [source, setSource] = useState<BulkSource>(sendingNow?.source ?? 'csv');
  const [rows, setRows] = useState<BulkRowView[]>([]);
  const [counts, setCounts] = useState<BulkCounts | null>(sendingNow?.counts ?? null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [stopped, setStopped] = useState<string | null>(null);
  const [paused, setPaused] = useState<Pick<BulkProgress, 'lastError' | 'retryAt'> | null>(null);
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  const [uploading, startUpload] = useTransition();
  // One still being sent is shown above, not offered.
  const [leftOver, setLeftOver] = useState<UnfinishedBulkJob | null>(sendingNow ? null : unfinished);
  const [discarding, setDiscarding] = useState(false);
  // The source tab: kept when going back from a preview, so "Pick other people" lands on the picker.
  const [tab, setTab] = useState<BulkSource>(initialTab);
  const formRef = useRef<HTMLFormElement>(null);

  function showResults(finalCounts: BulkCounts, finalRows: BulkRowView[]) {
    setRows(finalRows);
    setCounts(finalCounts);
    if (!finalCounts.failed && !finalCounts.pending) toast.success(`${finalCounts.invited} invitations sent.`);
    else toast.error(`${finalCounts.failed + finalCounts.pending} rows were not sent. You can retry them.`);
    setPhase('results');
  }

  // While sending: read the worker's progress until the job is no longer active.
  useEffect(() => {
    if (phase !== 'sending' || !jobId) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const result = await bulkProgressAction(orgId, jobId);
      if (cancelled) return;
      if (!result.ok) {
        // A blip (a deploy, a lost connection) is not the job failing: keep looking.
        timer = setTimeout(() => void poll(), POLL_MS * 3);
        return;
      }
      const { progress } = result;
      setCounts(progress.counts);
      setPaused(progress.active && progress.lastError ? { lastError: progress.lastError, retryAt: progress.retryAt } : null);
      if (progress.active) {
        timer = setTimeout(() => void poll(), POLL_MS);
        return;
      }
      setStopped(progress.lastError);
      showResults(progress.counts, result.rows ?? []);
    };
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [phase, jobId, orgId]);

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
      setSource('csv');
      setRows(result.rows);
      setCounts(result.counts);
      setOnlyFlagged(false);
      setPhase('preview');
    });
  }

  /** The directory picker's preview: from here on the same page as a checked file. */
  function previewed(preview: DirectoryPreview) {
    setJobId(preview.jobId);
    setFileName(preview.fileName);
    setSource('directory');
    setRows(preview.rows);
    setCounts(preview.counts);
    setOnlyFlagged(false);
    setPhase('preview');
  }

  async function send(retryFailed: boolean, id: string | null = jobId) {
    if (!id) return;
    setStopped(null);
    setPaused(null);
    const result = await sendBulkAction(orgId, id, retryFailed);
    if (!result.ok) {
      setStopped(result.error);
      return;
    }
    setCounts(result.progress.counts);
    // Also when nothing was left to send: the first poll then brings the results.
    setPhase('sending');
  }

  function resume(job: UnfinishedBulkJob) {
    setLeftOver(null);
    setJobId(job.jobId);
    setFileName(job.fileName);
    setSource(job.source);
    setRows([]);
    setOnlyFlagged(false);
    setCounts(job.counts);
    // FAILED rows go again too: each is claimed once, and one Scalekit already has is adopted, not sent again.
    void send(job.counts.failed > 0, job.jobId);
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
    setPaused(null);
    formRef.current?.reset();
  }

  const processed = counts ? counts.total - counts.pending : 0;
  const visible = onlyFlagged ? flagged : rows;
  const fromDirectory = source === 'directory';
  const unit = fromDirectory ? ['person', 'people'] : ['row', 'rows'];

  return (
    <div className="flex flex-col gap-6">
      {phase === 'upload' && leftOver ? (
        <section
          aria-labelledby="bulk-unfinished"
          className="flex flex-col gap-3 rounded-lg border border-warning/50 bg-warning/10 p-5"
          data-testid="bulk-unfinished"
        >
          <h2 id="bulk-unfinished" className="text-base font-semibold">
            Unfinished: {leftOver.fileName ?? (leftOver.source === 'directory' ? 'people from your directory' : 'a file')},{' '}
            {leftOver.source === 'directory' ? 'previewed' : 'uploaded'}{' '}
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
        <Tabs value={tab} onValueChange={(v) => setTab(v as BulkSource)}>
          <TabsList aria-label="Where the people come from">
            <TabsTrigger value="csv">
              <FileUpIcon aria-hidden="true" />
              Upload CSV
            </TabsTrigger>
            <TabsTrigger value="directory">
              <UsersIcon aria-hidden="true" />
              From directory
            </TabsTrigger>
          </TabsList>
          <TabsContent value="directory">
            <DirectoryPicker orgId={orgId} onPreviewed={previewed} />
          </TabsContent>
          <TabsContent value="csv">
            <form ref={formRef} action={upload} className="flex flex-col gap-4 rounded-lg border bg-card p-5">
              <input type="hidden" name="orgId" value={orgId} />
              <FormField
                id="bulk-file"
                label="CSV file"
                help={
                  <>
                    Limits: {limitsText}. One person per row with a header row: <code>email</code>, and optionally <code>role</code> (admin
                    or member; empty means member) and <code>name</code> (or <code>first name</code> + <code>last name</code>). Comma,
                    semicolon or tab separated; UTF-8 or Excel CSV.
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
          </TabsContent>
        </Tabs>
      ) : null}

      {phase !== 'upload' && counts ? (
        <section aria-labelledby="bulk-summary" className="flex flex-col gap-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="bulk-summary" className="text-base font-semibold">
              {fileName ?? (fromDirectory ? 'From your directory' : 'Your file')}: {counts.total} {counts.total === 1 ? unit[0] : unit[1]}
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
                      ...(counts.held ? [{ label: 'Held for approval', testId: 'count-held', value: counts.held }] : []),
                      { label: 'Not sent yet', testId: 'count-pending', value: counts.pending },
                    ]
              }
            />
          </div>

          {phase === 'sending' ? (
            <div className="flex flex-col gap-2">
              <ProgressBar label="Sending invitations" value={processed} max={counts.total} indicatorClassName="transition-[width]" />
              <p className="text-sm text-muted-foreground" aria-live="polite" data-testid="bulk-progress">
                Sending… {processed} of {counts.total} rows done, in the background. You can leave this page: sending carries on, and this
                page shows where it is when you come back.
              </p>
            </div>
          ) : null}

          {phase === 'sending' && paused ? (
            <Alert role="status">
              <Loader2Icon className="animate-spin" aria-hidden="true" />
              <AlertTitle>Paused</AlertTitle>
              <AlertDescription>
                {paused.lastError}
                {paused.retryAt ? (
                  <>
                    {' '}
                    Next try at{' '}
                    <time dateTime={paused.retryAt}>
                      {new Date(paused.retryAt).toLocaleTimeString('en-US', { timeStyle: 'medium' })}
                    </time>{' '}
                    at the earliest.
                  </>
                ) : null}
              </AlertDescription>
            </Alert>
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
                  {fromDirectory ? 'Pick other people' : 'Choose another file'}
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
                  {fromDirectory ? 'Invite more people' : 'Upload another file'}
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
