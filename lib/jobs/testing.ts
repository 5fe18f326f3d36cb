import { Writable } from 'node:stream';
import type PgBoss from 'pg-boss';
import { createLogger } from '@/lib/log';
import type { JobTiming } from './boss';

/** Test helpers for lib/jobs: pg-boss's polling made small so a job runs within a second or so. */

export const FAST: JobTiming = { pollingIntervalSeconds: 0.5, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 };

/** A logger whose JSON lines land in `lines`, for asserting what the worker logged. */
export function capturingLogger() {
  const lines: Array<Record<string, unknown> & { level: string; msg: string }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger(stream, 'debug'), lines };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolve when the job has finished (completed or failed), with its final row. */
export function jobFinished(boss: PgBoss, name: string, id: string, timeoutMs?: number): Promise<PgBoss.JobWithMetadata<unknown>> {
  return waitFor(
    `job ${name} ${id} to finish`,
    async () => {
      const job = await boss.getJobById(name, id);
      return job && (job.state === 'completed' || job.state === 'failed') ? job : undefined;
    },
    timeoutMs,
  );
}
