'use server';

import { z } from 'zod';
import { discardBulkJob, getBulkJob, previewBulkInvite, type BulkCounts } from '@/lib/invitations/bulk';
import { bulkProgress, queueBulkSend, type BulkProgress } from '@/lib/invitations/bulk-job';
import { jobSender } from '@/lib/jobs/sender';
import { CSV_MAX_BYTES, csvTooLargeMessage } from '@/lib/invitations/csv-limits';
import { AppError } from '@/lib/errors/app-error';
import { adminAction, orgIdSchema, rowIdSchema, type ActionResult } from '../../admin-action';
import type { BulkRowView } from '../_components/bulk-types';

/**
 * Bulk invite's server actions: upload + preview, then "send", which queues a background job
 * (lib/invitations/bulk-job.ts) and returns; the page polls the progress the worker writes.
 */

function rowView(r: {
  rowNumber: number;
  email: string;
  name: string | null;
  role: string;
  status: BulkRowView['status'];
  reason: string | null;
}): BulkRowView {
  return { rowNumber: r.rowNumber, email: r.email, name: r.name, role: r.role, status: r.status, reason: r.reason };
}

const previewInput = z.object({ orgId: orgIdSchema, file: z.unknown() });

const preview = adminAction('members:invite', previewInput, async ({ orgId, file }, actor) => {
  if (!(file instanceof File) || file.size === 0) throw new AppError('csv_invalid', 'Choose a CSV file to upload.', { field: 'file' });
  // Checked before reading it; next.config.ts lets bodies a little over the limit reach this
  // action (serverActions.bodySizeLimit) so that it, not Next.js, answers them.
  if (file.size > CSV_MAX_BYTES) throw new AppError('csv_too_large', csvTooLargeMessage(file.size), { field: 'file' });
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel on Windows still saves "CSV" as Windows-1252; accept it rather than refuse the file.
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  const view = await previewBulkInvite(actor, orgId, { fileName: file.name, text, byteLength: bytes.byteLength });
  return {
    message: `${view.counts.pending} of ${view.counts.total} rows are ready to send.`,
    jobId: view.job.id,
    fileName: view.job.fileName,
    rows: view.rows.map(rowView),
    counts: view.counts,
  };
});

export async function previewBulkAction(
  form: FormData,
): Promise<ActionResult<{ jobId: string; fileName: string | null; rows: BulkRowView[]; counts: BulkCounts }>> {
  return preview({ orgId: form.get('orgId'), file: form.get('file') });
}

const jobInput = z.object({ orgId: orgIdSchema, jobId: rowIdSchema('That bulk invitation does not exist in this organization.') });

const send = adminAction(
  'members:invite',
  jobInput.extend({ retryFailed: z.unknown().transform((v) => v === true) }),
  async ({ orgId, jobId, retryFailed }, actor) => {
    const progress = await queueBulkSend(actor, orgId, jobId, { boss: await jobSender(), retryFailed });
    return { message: `${progress.counts.pending} invitations queued.`, progress };
  },
);

/** "Send" / "Retry": queues the background job and returns; the page then polls bulkProgressAction. */
export async function sendBulkAction(
  orgId: string,
  jobId: string,
  retryFailed: boolean,
): Promise<ActionResult<{ progress: BulkProgress }>> {
  return send({ orgId, jobId, retryFailed });
}

const progressOf = adminAction('members:invite', jobInput, async ({ orgId, jobId }, actor) => {
  const progress = await bulkProgress(actor, orgId, jobId);
  // Finished: the rows come along, so the page shows the results without another call.
  const rows = progress.active ? null : (await getBulkJob(actor, orgId, jobId)).rows.map(rowView);
  return { message: '', progress, rows };
});

/**
 * The counts as the worker has written them so far (two small queries), polled while a file is
 * sent; once the job is no longer active, with every row's result. No revalidatePath: the team
 * and audit pages are dynamic and render fresh on the next visit.
 */
export async function bulkProgressAction(
  orgId: string,
  jobId: string,
): Promise<ActionResult<{ progress: BulkProgress; rows: BulkRowView[] | null }>> {
  return progressOf({ orgId, jobId });
}

/** "Discard" on an unfinished job: the rows not sent yet are marked skipped, nothing is sent. */
const discardJob = adminAction('members:invite', jobInput, async ({ orgId, jobId }, actor) => {
  const view = await discardBulkJob(actor, orgId, jobId);
  return { message: `${view.counts.invited} invited; the other rows were not sent.`, counts: view.counts };
});

export async function discardBulkJobAction(orgId: string, jobId: string): Promise<ActionResult<{ counts: BulkCounts }>> {
  return discardJob({ orgId, jobId });
}
