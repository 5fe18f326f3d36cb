import type PgBoss from 'pg-boss';
import { sendJob } from '@/lib/jobs/boss';
import { claimDueEndpoints } from './deliver';

/**
 * The dispatcher (`outbound-webhooks.dispatch`, a cron job every minute): for most of the minute
 * it looks once a second for endpoints whose oldest undelivered event is due, claims each one
 * (so a second dispatcher running at the same time skips it) and queues one
 * `outbound-webhooks.deliver` job for it. It ends early when the worker stops, so stopping stays
 * prompt. Events therefore leave within about a second of their change while a worker runs.
 */

export interface DispatchOptions {
  /** How long this run polls (ms); the cron tick after it starts the next. */
  runMs?: number;
  /** Pause between polls (ms). */
  intervalMs?: number;
  signal?: AbortSignal;
}

export interface DispatchResult {
  queued: number;
}

/** Wait `ms`, or less when `signal` aborts; the listener goes with the wait (one per poll would pile up). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

// The return type is spelled out: sendJob's types come from the registry, which imports this module.
export async function dispatchDeliveries(
  boss: PgBoss,
  { runMs = 55_000, intervalMs = 1_000, signal }: DispatchOptions = {},
): Promise<DispatchResult> {
  const until = Date.now() + runMs;
  let queued = 0;
  for (;;) {
    for (const endpointId of await claimDueEndpoints()) {
      await sendJob(boss, 'outbound-webhooks.deliver', { endpointId });
      queued++;
    }
    if (signal?.aborted || Date.now() + intervalMs > until) break;
    await pause(intervalMs, signal);
    if (signal?.aborted) break;
  }
  return { queued };
}

/**
 * From the app (an admin added an endpoint, sent a test event, replayed): start a dispatcher now
 * rather than at the next minute's tick. At most one such nudge per minute.
 */
export async function nudgeDispatcher(boss: PgBoss): Promise<void> {
  await sendJob(boss, 'outbound-webhooks.dispatch', {}, { singletonKey: 'nudge', singletonSeconds: 60 });
}
