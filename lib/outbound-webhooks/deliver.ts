import http from 'node:http';
import https from 'node:https';
import { recordAudit } from '@/lib/audit/record';
import { systemActor } from '@/lib/auth/actor';
import { db } from '@/lib/db';
import type { WebhookDelivery } from '@/lib/generated/prisma/client';
import { errorForLog, log, redactText } from '@/lib/log';
import { deliveryConfig, type DeliveryConfig } from './config';
import { payloadFromAudit } from './events';
import { openEndpointSecret } from './secret';
import { signedHeaders } from './signing';
import { assertConnectable, guardedLookup } from './url-policy';

/**
 * Sending one endpoint's deliveries, oldest first, one at a time (docs/outbound-webhooks.md).
 *
 * Order: a run first takes the endpoint's lease (leaseOwner/leaseUntil, one conditional UPDATE):
 * two jobs for one endpoint (a retried job beside a slow one, two workers) never send at once, and
 * the next delivery goes only after the one before it succeeded or used up its retries. A failing
 * head delivery therefore holds back the ones behind it: that is what "in order" costs.
 *
 * At least once, never again after success: an attempt is marked SENDING before the request and
 * SUCCEEDED in one statement after a 2xx. A worker killed in between leaves SENDING; when its lease
 * runs out the next run sends it again with the same webhook-id (receivers dedupe on it). A
 * SUCCEEDED delivery is never picked again; only an admin's Replay sends it anew (a new row).
 */

export interface DeliverOptions {
  /** Who holds the lease (the pg-boss job id). */
  owner: string;
  config?: Partial<DeliveryConfig>;
  /** Stop taking new deliveries after this long (the job then ends; the dispatcher queues the next). */
  budgetMs?: number;
}

export type DeliverStop = 'idle' | 'waiting' | 'budget' | 'busy' | 'disabled' | 'gone';

export interface DeliverResult {
  stop: DeliverStop;
  succeeded: number;
  failedAttempts: number;
}

export interface AttemptResult {
  ok: boolean;
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

const BODY_SNIPPET = 500;
const READ_LIMIT = 16 * 1024;
// The lease outlives one attempt (which the timeout bounds) by this much; it is renewed before each attempt.
const LEASE_MARGIN_MS = 5_000;

/** One POST. Never throws: every outcome is an AttemptResult for the log. Redirects are not followed. */
export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  config: Pick<DeliveryConfig, 'timeoutMs' | 'allowPrivate'>,
): Promise<AttemptResult> {
  const started = Date.now();
  const done = (r: Omit<AttemptResult, 'durationMs'>): AttemptResult => ({ ...r, durationMs: Date.now() - started });
  let url: URL;
  try {
    url = assertConnectable(rawUrl, { allowPrivate: config.allowPrivate });
  } catch (error) {
    return done({ ok: false, status: null, body: null, error: `Refused: ${error instanceof Error ? error.message : 'URL not allowed'}` });
  }
  return new Promise((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (r: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(r));
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Teamgate-Webhooks/1.0',
        },
        lookup: guardedLookup({ allowPrivate: config.allowPrivate }),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < READ_LIMIT) chunks.push(chunk);
          size += chunk.length;
        });
        const complete = () => {
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8').slice(0, BODY_SNIPPET);
          const ok = status >= 200 && status < 300;
          finish({ ok, status, body: text || null, error: ok ? null : `The endpoint answered HTTP ${status}.` });
        };
        response.on('end', complete);
        response.on('error', complete);
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, status: null, body: null, error: `No answer within ${config.timeoutMs} ms.` });
      request.destroy();
    }, config.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EBLOCKED'
          ? `Refused: ${error.message}.`
          : `Could not deliver: ${redactText(error.code ? `${error.code} ${error.message}` : error.message)}`;
      finish({ ok: false, status: null, body: null, error: reason.slice(0, BODY_SNIPPET) });
    });
    request.end(body);
  });
}

async function claimEndpoint(endpointId: string, owner: string, leaseMs: number) {
  const rows = await db.$queryRaw<Array<{ id: string; url: string; secretEnc: string; organizationId: string }>>`
    UPDATE "WebhookEndpoint"
    SET "leaseOwner" = ${owner}, "leaseUntil" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE "id" = ${endpointId} AND "enabled"
      AND ("leaseUntil" IS NULL OR "leaseUntil" < now() OR "leaseOwner" IN (${owner}, ${QUEUED_OWNER}))
    RETURNING "id", "url", "secretEnc", "organizationId"`;
  return rows[0];
}

async function renewLease(endpointId: string, owner: string, leaseMs: number): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE "WebhookEndpoint" SET "leaseUntil" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE "id" = ${endpointId} AND "leaseOwner" = ${owner} AND "enabled"`;
  return n === 1;
}

async function releaseLease(endpointId: string, owner: string): Promise<void> {
  await db.$executeRaw`UPDATE "WebhookEndpoint" SET "leaseOwner" = NULL, "leaseUntil" = NULL WHERE "id" = ${endpointId} AND "leaseOwner" = ${owner}`;
}

/** The body of a delivery, built once from its audit row and stored, so every attempt signs the same bytes. */
async function bodyFor(delivery: WebhookDelivery): Promise<string | null> {
  if (delivery.payload) return delivery.payload;
  const audit = delivery.auditEventId ? await db.auditEvent.findUnique({ where: { id: delivery.auditEventId } }) : null;
  if (!audit) return null;
  const body = JSON.stringify(payloadFromAudit(audit, delivery.type));
  await db.webhookDelivery.updateMany({ where: { id: delivery.id, payload: null }, data: { payload: body } });
  const stored = await db.webhookDelivery.findUnique({ where: { id: delivery.id }, select: { payload: true } });
  return stored?.payload ?? body;
}

/** Record a failed attempt; at the limit, disable the endpoint (audited, with the reason). Returns whether it was disabled. */
async function recordFailure(
  delivery: WebhookDelivery,
  endpoint: { id: string; organizationId: string; url: string },
  attempt: AttemptResult,
  attempts: number,
  config: DeliveryConfig,
): Promise<boolean> {
  const retryIn = config.retrySchedule[attempts - 1];
  return db.$transaction(async (tx) => {
    await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        status: retryIn === undefined ? 'FAILED' : 'PENDING',
        nextAttemptAt: new Date(Date.now() + (retryIn ?? 0) * 1000),
        lastResponseStatus: attempt.status,
        lastResponseBody: attempt.body,
        lastError: attempt.error,
        lastDurationMs: attempt.durationMs,
      },
    });
    const updated = await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { consecutiveFailures: { increment: 1 } },
      select: { consecutiveFailures: true, enabled: true },
    });
    if (!updated.enabled || updated.consecutiveFailures < config.disableAfterFailures) return false;
    const reason = `Disabled automatically after ${updated.consecutiveFailures} failed delivery attempts in a row (last: ${attempt.error ?? 'failed'}).`;
    await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { enabled: false, disabledAt: new Date(), disabledReason: reason.slice(0, 500), leaseOwner: null, leaseUntil: null },
    });
    await recordAudit(
      {
        actor: systemActor('outbound webhooks', endpoint.organizationId),
        organizationId: endpoint.organizationId,
        action: 'webhook_endpoint.disabled',
        target: { type: 'webhook_endpoint', id: endpoint.id, label: endpoint.url },
        metadata: { automatic: true, consecutiveFailures: updated.consecutiveFailures },
      },
      tx,
    );
    return true;
  });
}

/**
 * Send an endpoint's due deliveries in order until none is due, the budget is spent, or it is
 * disabled. Safe to call from several places at once: only the lease holder sends.
 */
export async function deliverEndpoint(endpointId: string, options: DeliverOptions): Promise<DeliverResult> {
  const config = deliveryConfig(options.config);
  const leaseMs = config.timeoutMs + LEASE_MARGIN_MS;
  const deadline = Date.now() + (options.budgetMs ?? 50_000);
  const result: DeliverResult = { stop: 'idle', succeeded: 0, failedAttempts: 0 };

  const endpoint = await claimEndpoint(endpointId, options.owner, leaseMs);
  if (!endpoint) {
    const row = await db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { enabled: true } });
    return { ...result, stop: !row ? 'gone' : !row.enabled ? 'disabled' : 'busy' };
  }
  try {
    const secret = await openEndpointSecret(endpoint.id, endpoint.secretEnc);
    for (;;) {
      if (Date.now() >= deadline) return { ...result, stop: 'budget' };
      const next = await db.webhookDelivery.findFirst({
        where: { endpointId, status: { in: ['PENDING', 'SENDING'] } },
        orderBy: { seq: 'asc' },
      });
      if (!next) return { ...result, stop: 'idle' };
      // SENDING here is an attempt whose worker died mid-flight (we hold the lease now): send it again.
      if (next.status === 'PENDING' && next.nextAttemptAt.getTime() > Date.now()) return { ...result, stop: 'waiting' };
      if (!(await renewLease(endpointId, options.owner, leaseMs))) return { ...result, stop: 'disabled' };

      const body = await bodyFor(next);
      if (body === null) {
        await db.webhookDelivery.update({
          where: { id: next.id },
          data: { status: 'FAILED', lastError: 'The event this delivery was for no longer exists.' },
        });
        continue;
      }
      const marked = await db.webhookDelivery.update({
        where: { id: next.id },
        data: { status: 'SENDING', attempts: { increment: 1 }, lastAttemptAt: new Date() },
        select: { attempts: true },
      });
      const attempt = await postWebhook(endpoint.url, body, signedHeaders(secret, next.eventId, body), config);
      if (attempt.ok) {
        await db.$transaction([
          db.webhookDelivery.update({
            where: { id: next.id },
            data: {
              status: 'SUCCEEDED',
              succeededAt: new Date(),
              lastResponseStatus: attempt.status,
              lastResponseBody: attempt.body,
              lastError: null,
              lastDurationMs: attempt.durationMs,
            },
          }),
          db.webhookEndpoint.update({ where: { id: endpointId }, data: { consecutiveFailures: 0 } }),
        ]);
        result.succeeded++;
        continue;
      }
      result.failedAttempts++;
      log.info(
        { endpointId, deliveryId: next.id, type: next.type, attempt: marked.attempts, status: attempt.status, error: attempt.error },
        'outbound webhook attempt failed',
      );
      if (await recordFailure(next, endpoint, attempt, marked.attempts, config)) return { ...result, stop: 'disabled' };
    }
  } catch (error) {
    log.error({ err: errorForLog(error), endpointId }, 'outbound webhook delivery run failed');
    throw error;
  } finally {
    await releaseLease(endpointId, options.owner).catch(() => {});
  }
}

/** The lease a dispatcher puts on an endpoint it queued a job for: the job takes it over. */
export const QUEUED_OWNER = 'queued';
const QUEUED_LEASE_SECONDS = 60;

/**
 * Endpoints whose oldest undelivered event is due and that no run holds, claimed for one delivery
 * job each (lease owner "queued" for a minute: if that job never runs, the claim lapses and the
 * next dispatcher queues another). Only the head of each endpoint's queue counts: a later
 * delivery waits behind one that is waiting out its retry delay.
 */
export async function claimDueEndpoints(limit = 500): Promise<string[]> {
  // Enabled, free endpoints first, then each one's head by two index seeks (oldest PENDING, oldest
  // SENDING on (endpointId, status, seq)): the cost does not grow with delivered history or with
  // the backlog of a disabled endpoint.
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE "WebhookEndpoint" SET "leaseOwner" = ${QUEUED_OWNER}, "leaseUntil" = now() + make_interval(secs => ${QUEUED_LEASE_SECONDS})
    WHERE "id" IN (
      SELECT e."id"
      FROM "WebhookEndpoint" e
      CROSS JOIN LATERAL (
        SELECT h."nextAttemptAt" FROM (
          (SELECT "seq", "nextAttemptAt" FROM "WebhookDelivery" WHERE "endpointId" = e."id" AND "status" = 'PENDING' ORDER BY "seq" LIMIT 1)
          UNION ALL
          (SELECT "seq", "nextAttemptAt" FROM "WebhookDelivery" WHERE "endpointId" = e."id" AND "status" = 'SENDING' ORDER BY "seq" LIMIT 1)
        ) h
        ORDER BY h."seq" LIMIT 1
      ) head
      WHERE e."enabled" AND (e."leaseUntil" IS NULL OR e."leaseUntil" < now()) AND head."nextAttemptAt" <= now()
      LIMIT ${limit}
      FOR UPDATE OF e SKIP LOCKED
    )
    AND "enabled" AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
    RETURNING "id"`;
  return rows.map((r) => r.id);
}
