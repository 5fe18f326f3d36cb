import { clientIp } from '@/lib/http/client-ip';
import { AppError } from '@/lib/errors/app-error';
import type { ErrorCode } from '@/lib/errors/codes';
import { problemJson } from '@/lib/errors/respond';
import { bodyReadErrorResponse, readBodyText } from '@/lib/http/read-body';
import { requestLogger } from '@/lib/http/request-logger';
import { errorForLog } from '@/lib/log';
import { consumeRateLimit, rateLimitHeaders, rateLimits } from '@/lib/rate-limit/limiter';
import { processScalekitEvent } from '@/lib/webhooks/process';
import { verifyScalekitWebhook, WebhookPayloadError, WebhookSignatureError } from '@/lib/webhooks/verify';

/**
 * POST /api/webhooks/scalekit — Scalekit's events, verified on the raw body and applied to the
 * mirror once per event id. 401 for a bad or stale signature (nothing changes), 400 for a signed
 * body we cannot read, 500 when the database fails (Scalekit retries), 200 otherwise — also for
 * duplicates and event types we do not use, so Scalekit stops retrying them.
 */

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Scalekit events are a few hundred bytes; anything far larger is not one.
const MAX_BODY_BYTES = 256 * 1024;

function errorResponse(code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return problemJson(new AppError(code, message), { headers });
}

export async function POST(request: Request): Promise<Response> {
  const log = requestLogger(request, { route: 'webhook' });
  // Before any parsing or signature work: a flood (signed or not) from one source is cut off
  // cheaply, and Scalekit treats the 429 as "retry later", so no real event is lost.
  const source = clientIp(request.headers);
  const limit = await consumeRateLimit(rateLimits().webhooksPerSource, source);
  if (!limit.allowed) {
    log.warn({ source }, 'webhook refused: rate limit');
    return errorResponse(
      'rate_limited',
      `Too many webhook deliveries from this source; retry after ${limit.retryAfterSeconds} seconds.`,
      rateLimitHeaders(limit),
    );
  }

  // Counted while streaming: a chunked body has no Content-Length to check first.
  const read = await readBodyText(request, MAX_BODY_BYTES);
  if (!read.ok) return bodyReadErrorResponse(read);
  const raw = read.value;

  let event;
  try {
    event = verifyScalekitWebhook(raw, request.headers);
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      log.warn({ reason: error.reason, webhookId: request.headers.get('webhook-id')?.slice(0, 128) }, 'webhook refused: bad signature');
      return errorResponse('invalid_signature', error.message);
    }
    if (error instanceof WebhookPayloadError) return errorResponse('invalid_payload', error.message);
    throw error;
  }

  try {
    const outcome = await processScalekitEvent(event);
    log.info({ webhookId: event.id, type: event.type, outcome }, 'webhook processed');
    return Response.json({ ok: true, outcome }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    if (error instanceof AppError) return problemJson(error);
    log.error({ err: errorForLog(error), webhookId: event.id, type: event.type }, 'webhook processing failed');
    return errorResponse('processing_failed', 'The event could not be applied; it will be retried.');
  }
}
