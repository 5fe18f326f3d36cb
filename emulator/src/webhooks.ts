import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { newId } from './ids.js';
import type { State, WebhookEventRecord } from './state.js';

const EVENT_LOG_LIMIT = 2000;

/**
 * Signs like Scalekit (and Standard Webhooks): HMAC-SHA256 keyed with the
 * base64 part of `whsec_…`, over `${id}.${timestamp}.${body}` — what
 * @scalekit-sdk/node verifyPayloadSignature (lib/scalekit.js) recomputes.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(secret.indexOf('_') + 1), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * Queues events and delivers them in the background, so an RPC never waits
 * on the app's webhook endpoint (the app may itself be calling the emulator).
 */
export class WebhookDispatcher {
  private timers = new Set<NodeJS.Timeout>();
  private inflight = new Set<AbortController>();
  private closed = false;

  constructor(private readonly state: State) {}

  emit(type: string, data: Record<string, unknown>): void {
    const occurredAt = new Date().toISOString();
    for (const client of this.state.clients.values()) {
      if (!client.webhook?.url) continue;
      const id = newId('evt');
      const record: WebhookEventRecord = {
        id,
        type,
        url: client.webhook.url,
        clientId: client.id,
        payload: { id, type, environment_id: this.state.environment.environmentId, occurred_at: occurredAt, data },
        attempts: 0,
        lastStatus: null,
        lastError: null,
        delivered: false,
        createdAt: occurredAt,
        deliveredAt: null,
      };
      this.state.events.push(record);
      if (this.state.events.length > EVENT_LOG_LIMIT) this.state.events.splice(0, this.state.events.length - EVENT_LOG_LIMIT);
      this.schedule(record, 0);
    }
  }

  /** Stops retries and drops in-flight deliveries (reset and close). */
  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.inflight) c.abort();
    this.inflight.clear();
  }

  close(): void {
    this.closed = true;
    this.cancelAll();
  }

  private schedule(record: WebhookEventRecord, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(record);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(record: WebhookEventRecord): Promise<void> {
    const client = this.state.clients.get(record.clientId);
    if (!client?.webhook || this.closed) return;
    const body = JSON.stringify(record.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.state.environment.webhookTimeoutMs);
    this.inflight.add(controller);
    record.attempts++;
    try {
      const status = await post(
        record.url,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'Scalekit-Emulator-Webhooks/1.0',
          'webhook-id': record.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(client.webhook.secret, record.id, timestamp, body),
        },
        controller.signal,
      );
      record.lastStatus = status;
      const ok = status >= 200 && status < 300;
      record.lastError = ok ? null : `HTTP ${status}`;
      if (ok) {
        record.delivered = true;
        record.deliveredAt = new Date().toISOString();
        return;
      }
    } catch (error) {
      record.lastStatus = null;
      record.lastError = controller.signal.aborted ? 'timed out or cancelled' : (error as Error).message;
    } finally {
      clearTimeout(timeout);
      this.inflight.delete(controller);
    }
    const delays = this.state.environment.webhookRetryDelaysMs;
    const next = delays[record.attempts - 1];
    if (next !== undefined) this.schedule(record, next);
  }
}

// node:http with keep-alive rather than fetch: undici's fetch cost more CPU per delivery than the
// RPC that caused it (two events per invite; bench/emulator-create-users.ts).
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

function post(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const req = transport.request(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent, signal },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
