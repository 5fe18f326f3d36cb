/**
 * Integration-test wiring: a plain HTTP server in front of the webhook route handler, so the
 * emulator can deliver its signed events over real HTTP the way Scalekit does in production, and
 * events built from Scalekit's documented examples. Test-only; nothing in the app imports it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { signWebhook } from '@/emulator/src/index';
import { documentedExample, webhookValidator } from '@/test/contract/scalekit/schema';

export type DeliveryBody = { ok?: boolean; outcome?: string; error?: { code: string; message: string } };
export interface DeliveryOptions {
  secret?: string;
  timestamp?: number;
  body?: string;
  signature?: string;
  webhookId?: string;
}

/** Posts `payload` to the webhook route handler as Scalekit would: raw body, Standard Webhooks headers signed with `secret`. */
export async function deliverSigned(
  post: (request: Request) => Promise<Response>,
  secret: string,
  payload: { id: string },
  options: DeliveryOptions = {},
): Promise<{ status: number; body: DeliveryBody }> {
  const body = options.body ?? JSON.stringify(payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const webhookId = options.webhookId ?? payload.id;
  const signature = options.signature ?? signWebhook(options.secret ?? secret, webhookId, timestamp, body);
  const response = await post(
    new Request('http://localhost/api/webhooks/scalekit', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': webhookId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      },
      body,
    }),
  );
  return { status: response.status, body: (await response.json()) as DeliveryBody };
}

/** Starts the server on a free port and returns its base URL. */
export async function serveWebhookRoute(): Promise<string> {
  const { POST } = await import('@/app/api/webhooks/scalekit/route');
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const response = await POST(new Request(`http://127.0.0.1${req.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status, { 'content-type': 'application/json' });
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface DocumentedEventIds {
  organizationId?: string;
  /** role.* and permission.*: the role's (or permission's) name */
  name?: string;
  userId?: string;
  email?: string;
  sessionId?: string;
  displayName?: string;
  occurredAt?: Date;
}

let eventSeq = 0;

/**
 * An event exactly as Scalekit documents it: the OpenAPI document's own example for `type`
 * (test/contract/scalekit/webhooks.json), with its ids rewritten to rows the test set up, checked
 * against the document's schema before it is used. Tests of the handler therefore feed it what
 * Scalekit publishes, not what the emulator happens to send.
 */
export function documentedEvent(type: string, ids: DocumentedEventIds = {}): Record<string, unknown> & { id: string; type: string } {
  const event = structuredClone(documentedExample(type)) as Record<string, unknown> & { id: string; type: string };
  event.id = `evt_${Date.now()}${String(eventSeq++).padStart(6, '0')}`;
  event.occurred_at = (ids.occurredAt ?? new Date()).toISOString();
  if (ids.organizationId && ('organization_id' in event || type.startsWith('role.'))) event.organization_id = ids.organizationId;
  const data = event.data as Record<string, unknown> & Partial<Record<'organization' | 'user' | 'user_session', Record<string, unknown>>>;
  if (data.organization && ids.organizationId) data.organization.id = ids.organizationId;
  if (type.startsWith('organization.') && 'display_name' in data && ids.organizationId) {
    data.id = ids.organizationId;
    if (ids.displayName !== undefined) data.display_name = ids.displayName;
  }
  if ((type.startsWith('role.') || type.startsWith('permission.')) && ids.name) data.name = ids.name;
  if (data.user) {
    if (ids.userId) data.user.id = ids.userId;
    if (ids.email) data.user.email = ids.email;
  }
  if (data.user_session) {
    if (ids.sessionId) data.user_session.session_id = ids.sessionId;
    if (ids.userId) data.user_session.user_id = ids.userId;
    if (ids.organizationId) {
      data.user_session.organization_id = ids.organizationId;
      data.user_session.authenticated_organizations = [ids.organizationId];
    }
  }
  const validate = webhookValidator(type);
  if (!validate(event)) {
    const errors = validate.errors ?? [];
    // Where the document's own example breaks its schema (test/contract/scalekit/webhooks-contract.test.ts
    // pins those places), the copy may too; anything the rewriting broke is an error.
    validate(documentedExample(type));
    const inExample = new Set((validate.errors ?? []).map((e) => e.instancePath));
    const ours = errors.filter((e) => !inExample.has(e.instancePath));
    if (ours.length) throw new Error(`documentedEvent(${type}) no longer matches the schema: ${JSON.stringify(ours)}`);
  }
  return event;
}
