import { z } from 'zod';
import type { JobQueueOptions } from '@/lib/jobs/registry';

/**
 * The `bulk-invite.run` job's payload: ids only (docs/jobs.md). The actor is who confirmed the
 * file; the worker looks their membership up again before sending anything (bulk-job.ts).
 * Its own module (with the queue settings) so the job registry can hold them while bulk-job.ts,
 * which sends jobs, is still loading: the registry and the sender import each other.
 */
export const bulkRunData = z.strictObject({
  organizationId: z.string().min(1).max(64),
  bulkJobId: z.string().min(1).max(64),
  actor: z.strictObject({
    userId: z.string().min(1).max(64),
    sessionId: z.string().max(64),
    ip: z.string().max(64).nullish(),
    userAgent: z.string().max(512).nullish(),
    requestId: z.string().max(200).nullish(),
  }),
});

export type BulkRunData = z.infer<typeof bulkRunData>;

/** Retries with backoff for Scalekit faults (5 s, 10 s, 20 s, … up to about 21 minutes in all). */
export const BULK_QUEUE: JobQueueOptions = { retryLimit: 8, retryDelay: 5, retryBackoff: true, expireInSeconds: 600 };
/** How long one job sends before handing over to its continuation: well inside expireInSeconds. */
export const BULK_SLICE_MS = 60_000;
