import type PgBoss from 'pg-boss';
import { sendJob } from '@/lib/jobs/boss';
import { anyEnabledEndpoint, endpointsDue } from './deliver';

/**
 * The dispatcher (`outbound-webhooks.dispatch`): every second, for a few seconds, it queues one
 * `outbound-webhooks.deliver` job per endpoint with a due delivery (that queue keeps at most one
 * waiting job per endpoint), then queues its own successor while any endpoint is enabled. A cron
 * tick every minute restarts the chain after an idle spell or a full stop, so a lost successor
 * costs at most a minute. Each run is short, so a worker stops promptly.
 */

export interface DispatchOptions {
  /** How long this run polls (ms). */
  runMs?: number;
  /** Pause between polls (ms). */
  intervalMs?: number;
  /** Queue the next run when done (false in tests that drive runs themselves). */
  chain?: boolean;
}

export interface DispatchResult {
  queued: number;
  chained: boolean;
}

// The return type is spelled out: sendJob's types come from the registry, which imports this module.
export async function dispatchDeliveries(
  boss: PgBoss,
  { runMs = 5_000, intervalMs = 1_000, chain = true }: DispatchOptions = {},
): Promise<DispatchResult> {
  const until = Date.now() + runMs;
  let queued = 0;
  for (;;) {
    for (const endpointId of await endpointsDue()) {
      if (await sendJob(boss, 'outbound-webhooks.deliver', { endpointId }, { singletonKey: endpointId })) queued++;
    }
    if (Date.now() + intervalMs > until) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  let chained = false;
  if (chain && (await anyEnabledEndpoint())) {
    chained = (await sendJob(boss, 'outbound-webhooks.dispatch', {}, { singletonKey: 'chain', startAfter: 1 })) !== null;
  }
  return { queued, chained };
}
