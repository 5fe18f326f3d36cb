import { db } from '@/lib/db';

/**
 * Deleting rate-limit windows that have ended. Every distinct subject (an IP, a spoofed
 * X-Forwarded-For value, an admin) leaves a RateLimitBucket row behind, so without this the
 * table grows for as long as someone keeps inventing subjects. The job queue runs it on a
 * schedule (lib/jobs/registry.ts: `rate-limit.prune`).
 *
 * Deleting an ended window changes no decision: consumeRateLimit/reserveRateLimits start a fresh
 * window for a key whose window has ended exactly as they do for a key with no row. The grace
 * period only spares rows that are about to be reused, so a busy key is not deleted and
 * re-inserted every run.
 */

export class RateLimitPruneError extends Error {
  override readonly name = 'RateLimitPruneError';
  readonly status = 400;
  readonly code = 'invalid_input';
  constructor(
    message: string,
    readonly field: keyof PruneOptions,
  ) {
    super(message);
  }
}

export interface PruneOptions {
  /** Keep windows that ended less than this many seconds ago. */
  graceSeconds?: number;
  /** Rows per DELETE. Each batch is its own statement (and transaction), so locks are held briefly. */
  batchSize?: number;
  /** Batches per run: bounds how long one run takes; the next run carries on. */
  maxBatches?: number;
}

export interface PruneResult {
  deleted: number;
  batches: number;
  /** True when the run stopped at maxBatches with a full last batch: rows may be left for the next run. */
  more: boolean;
}

export const PRUNE_DEFAULTS = { graceSeconds: 300, batchSize: 5_000, maxBatches: 200 } as const;

function wholeNumber(name: keyof PruneOptions, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RateLimitPruneError(`${name} must be a whole number from ${min} to ${max} (got ${value}).`, name);
  }
  return value;
}

export async function pruneExpiredRateLimitBuckets(options: PruneOptions = {}): Promise<PruneResult> {
  const graceSeconds = wholeNumber('graceSeconds', options.graceSeconds ?? PRUNE_DEFAULTS.graceSeconds, 0, 7 * 86_400);
  const batchSize = wholeNumber('batchSize', options.batchSize ?? PRUNE_DEFAULTS.batchSize, 1, 100_000);
  const maxBatches = wholeNumber('maxBatches', options.maxBatches ?? PRUNE_DEFAULTS.maxBatches, 1, 100_000);

  let deleted = 0;
  let batches = 0;
  while (batches < maxBatches) {
    // The inner SELECT walks the resetAt index and takes at most batchSize rows. SKIP LOCKED: a
    // row a request is updating right now is left for a later run instead of making the prune
    // (and everything queued behind it) wait. The outer condition is re-checked on the row as
    // it is deleted, so a window renewed between the SELECT and the DELETE is kept.
    const count = await db.$executeRaw`
      DELETE FROM "RateLimitBucket"
      WHERE "key" IN (
        SELECT "key" FROM "RateLimitBucket"
        WHERE "resetAt" < now() - make_interval(secs => ${graceSeconds})
        ORDER BY "resetAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      )
      AND "resetAt" < now() - make_interval(secs => ${graceSeconds})`;
    batches += 1;
    deleted += count;
    if (count < batchSize) return { deleted, batches, more: false };
  }
  return { deleted, batches, more: true };
}
