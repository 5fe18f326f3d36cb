import { getEnv } from '@/lib/env';

/** Delivery settings (lib/env.ts OUTBOUND_WEBHOOK_*); tests pass their own. */
export interface DeliveryConfig {
  timeoutMs: number;
  /** Seconds before retry 1, 2, …; attempts in all = length + 1. */
  retrySchedule: number[];
  /** Failed attempts in a row that disable the endpoint. */
  disableAfterFailures: number;
  allowPrivate: boolean;
}

export function deliveryConfig(overrides: Partial<DeliveryConfig> = {}): DeliveryConfig {
  const env = getEnv();
  return {
    timeoutMs: env.OUTBOUND_WEBHOOK_TIMEOUT_MS,
    retrySchedule: env.OUTBOUND_WEBHOOK_RETRY_SCHEDULE,
    disableAfterFailures: env.OUTBOUND_WEBHOOK_DISABLE_AFTER_FAILURES,
    allowPrivate: env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE_URLS,
    ...overrides,
  };
}
