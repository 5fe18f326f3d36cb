import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { getScalekit } from '@/lib/scalekit/client';

/**
 * Is this request really from Scalekit? The SDK's verifyWebhookPayload recomputes the HMAC over
 * `${webhook-id}.${webhook-timestamp}.${raw body}` with SCALEKIT_WEBHOOK_SECRET and refuses
 * timestamps more than 5 minutes off. It must see the body exactly as it arrived: JSON parsed
 * and re-serialised differs in whitespace and key order, and the signature would never match.
 */

/** Anything short of a valid, fresh signature: the route answers 401 and changes nothing. */
export class WebhookSignatureError extends Error {
  readonly status = 401;
  constructor(readonly reason: string) {
    super('The webhook signature is missing, invalid or too old.');
    this.name = 'WebhookSignatureError';
  }
}

/** Signed by Scalekit but not an event we can read: 400 (Scalekit will not fix it by retrying). */
export class WebhookPayloadError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = 'WebhookPayloadError';
  }
}

export const webhookEnvelopeSchema = z.object({
  id: z.string().min(1).max(128),
  type: z.string().min(1).max(128),
  environment_id: z.string().optional(),
  /** Present when the event concerns one organization (an organization role, for one) */
  organization_id: z.string().max(64).optional(),
  occurred_at: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});

export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

export interface WebhookHeaders {
  get(name: string): string | null;
}

export function verifyScalekitWebhook(
  rawBody: string,
  headers: WebhookHeaders,
  secret: string = getEnv().SCALEKIT_WEBHOOK_SECRET,
): WebhookEnvelope {
  const signed = {
    'webhook-id': headers.get('webhook-id') ?? '',
    'webhook-timestamp': headers.get('webhook-timestamp') ?? '',
    'webhook-signature': headers.get('webhook-signature') ?? '',
  };
  try {
    if (!getScalekit().verifyWebhookPayload(secret, signed, rawBody)) throw new Error('not verified');
  } catch (error) {
    throw new WebhookSignatureError(error instanceof Error ? error.message : 'invalid');
  }

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new WebhookPayloadError('The webhook body is not JSON.');
  }
  const parsed = webhookEnvelopeSchema.safeParse(json);
  if (!parsed.success) throw new WebhookPayloadError('The webhook body is not a Scalekit event (id, type, occurred_at, data).');
  // No webhook-id == id check: the header is a Standard Webhooks message id that the signature
  // covers, and Scalekit documents deduplicating on the event's own `id` (evt_…), which is the
  // same across redeliveries (src/content/docs/guides/webhooks-best-practices.mdx, event_id:
  // event.id; the SDK's verifyWebhookPayload reads webhook-id only to recompute the HMAC).
  return parsed.data;
}
