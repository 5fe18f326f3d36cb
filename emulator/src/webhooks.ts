import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { newId } from './ids.js';
import type { State, WebhookEventRecord } from './state.js';

const EVENT_LOG_LIMIT = 2000;

/** Decoded once per endpoint secret: every delivery is signed with one of a few. */
const signingKeys = new Map<string, KeyObject>();

/**
 * Signs like Scalekit (and Standard Webhooks): HMAC-SHA256 keyed with the
 * base64 part of `whsec_…`, over `${id}.${timestamp}.${body}` — what
 * @scalekit-sdk/node verifyPayloadSignature (lib/scalekit.js) recomputes.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  let key = signingKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret.slice(secret.indexOf('_') + 1), 'base64'));
    signingKeys.set(secret, key);
  }
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The `object` and `display_name` of every event the emulator sends, as the examples in
 * Scalekit's OpenAPI `webhooks` section give them (developer-docs openapi/scalekit.yaml, vendored
 * in test/contract/scalekit/webhooks.json). A type missing here is one Scalekit does not document
 * (or one the emulator has no reason to send), and emit() refuses it.
 */
export const EVENT_CATALOGUE: Readonly<Record<string, { object: string; displayName: string }>> = {
  'organization.created': { object: 'Organization', displayName: 'Organization Created' },
  'organization.updated': { object: 'Organization', displayName: 'Organization Updated' },
  'organization.deleted': { object: 'Organization', displayName: 'Organization Deleted' },
  'organization.domain_created': { object: 'Organization', displayName: 'Organization Domain Created' },
  'organization.domain_deleted': { object: 'Organization', displayName: 'Organization Domain Deleted' },
  'organization.domain_dns_verification_success': {
    object: 'Organization',
    displayName: 'Organization Domain DNS Verification Success',
  },
  'organization.domain_dns_verification_failed': {
    object: 'Organization',
    displayName: 'Organization Domain DNS Verification Failed',
  },
  'user.signup': { object: 'OrgMembership', displayName: 'User Signup' },
  'user.login': { object: 'User', displayName: 'User Login' },
  'user.logout': { object: 'User', displayName: 'User Logout' },
  'user.organization_invitation': { object: 'OrgMembership', displayName: 'User Organization Invitation' },
  'user.organization_membership_created': { object: 'OrgMembership', displayName: 'User Organization Membership Created' },
  'user.organization_membership_updated': { object: 'OrgMembership', displayName: 'User Organization Membership Updated' },
  'user.organization_membership_deleted': { object: 'OrgMembership', displayName: 'User Organization Membership Deleted' },
  'organization.directory_enabled': { object: 'Directory', displayName: 'Directory Enabled' },
  'organization.directory_disabled': { object: 'Directory', displayName: 'Directory Disabled' },
  'organization.directory.user_created': { object: 'DirectoryUser', displayName: 'Directory User Created' },
  'organization.directory.user_updated': { object: 'DirectoryUser', displayName: 'Directory User Updated' },
  'organization.directory.user_deleted': { object: 'DirectoryUser', displayName: 'Directory User Deleted' },
  'organization.directory.group_created': { object: 'DirectoryGroup', displayName: 'Directory Group Created' },
  'organization.directory.group_updated': { object: 'DirectoryGroup', displayName: 'Directory Group Updated' },
  'organization.directory.group_deleted': { object: 'DirectoryGroup', displayName: 'Directory Group Deleted' },
  'organization.sso_created': { object: 'Connection', displayName: 'SSO Connection Created' },
  'organization.sso_enabled': { object: 'Connection', displayName: 'SSO Connection Enabled' },
  'organization.sso_disabled': { object: 'Connection', displayName: 'SSO Connection Disabled' },
  'organization.sso_deleted': { object: 'Connection', displayName: 'SSO Connection Deleted' },
  'role.created': { object: 'Role', displayName: 'Role Created' },
  'role.updated': { object: 'Role', displayName: 'Role Updated' },
  'role.deleted': { object: 'Role', displayName: 'Role Deleted' },
  'permission.created': { object: 'Permission', displayName: 'Permission Created' },
  'permission.updated': { object: 'Permission', displayName: 'Permission Updated' },
  'permission.deleted': { object: 'Permission', displayName: 'Permission Deleted' },
};

/** The organization an event concerns, read from its data (the envelope's `organization_id`). */
function organizationOf(object: string, data: Record<string, unknown>): string | undefined {
  const str = (v: unknown) => (typeof v === 'string' && v.startsWith('org_') ? v : undefined);
  const nested = (key: string) => (data[key] && typeof data[key] === 'object' ? (data[key] as Record<string, unknown>) : {});
  if (object === 'Organization' && str(data.id)) return str(data.id);
  return str(data.organization_id) ?? str(nested('organization').id) ?? str(nested('user_session').organization_id);
}

/**
 * Queues events and delivers them in the background, so an RPC never waits
 * on the app's webhook endpoint (the app may itself be calling the emulator).
 */
export class WebhookDispatcher {
  private timers = new Set<NodeJS.Timeout>();
  private immediates = new Set<NodeJS.Immediate>();
  private inflight = new Set<http.ClientRequest>();
  private closed = false;

  constructor(private readonly state: State) {}

  /**
   * Sends one event to every client with a webhook URL, in Scalekit's envelope (every example in
   * the OpenAPI `webhooks` section): spec_version, id (evt_…), type, object, occurred_at,
   * environment_id (env_…), organization_id when the event concerns one, data, display_name.
   */
  emit(type: string, data: Record<string, unknown>): void {
    const entry = EVENT_CATALOGUE[type];
    if (!entry) throw new Error(`the emulator sends only Scalekit's documented webhook events, not "${type}"`);
    const occurredAt = new Date().toISOString();
    const organizationId = organizationOf(entry.object, data);
    for (const client of this.state.clients.values()) {
      if (!client.webhook?.url) continue;
      const id = newId('evt');
      const payload = {
        spec_version: '1',
        id,
        type,
        object: entry.object,
        occurred_at: occurredAt,
        environment_id: this.state.environment.environmentId,
        ...(organizationId ? { organization_id: organizationId } : {}),
        data,
        display_name: entry.displayName,
      };
      const record: WebhookEventRecord = {
        id,
        type,
        url: client.webhook.url,
        clientId: client.id,
        payload,
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
    for (const i of this.immediates) clearImmediate(i);
    this.immediates.clear();
    for (const req of this.inflight) req.destroy(new Error(CANCELLED));
    this.inflight.clear();
  }

  close(): void {
    this.closed = true;
    this.cancelAll();
  }

  private schedule(record: WebhookEventRecord, delayMs: number): void {
    if (this.closed) return;
    if (delayMs === 0) {
      // After the RPC has answered, but without a timer per event (a bulk invite sends hundreds).
      const immediate = setImmediate(() => {
        this.immediates.delete(immediate);
        void this.attempt(record);
      });
      immediate.unref();
      this.immediates.add(immediate);
      return;
    }
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
        this.state.environment.webhookTimeoutMs,
        this.inflight,
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
      const message = (error as Error).message;
      record.lastError = message === CANCELLED || message === TIMED_OUT ? 'timed out or cancelled' : message;
    }
    const delays = this.state.environment.webhookRetryDelaysMs;
    const next = delays[record.attempts - 1];
    if (next !== undefined) this.schedule(record, next);
  }
}

const CANCELLED = 'webhook delivery cancelled';
const TIMED_OUT = 'webhook delivery timed out';

// node:http with keep-alive rather than fetch: undici's fetch cost more CPU per delivery than the
// RPC that caused it (two events per invite; bench/emulator-create-users.ts).
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/** Request options per endpoint URL, parsed once: every event goes to the same few URLs. */
const endpoints = new Map<string, { https: boolean; options: http.RequestOptions }>();

function endpoint(url: string) {
  let found = endpoints.get(url);
  if (!found) {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    found = {
      https: secure,
      options: {
        protocol: target.protocol,
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        agent: secure ? agents['https:'] : agents['http:'],
        method: 'POST',
        ...(target.username || target.password
          ? { auth: `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` }
          : {}),
      },
    };
    endpoints.set(url, found);
  }
  return found;
}

/**
 * One POST; the timeout (no response by then) and cancelAll() destroy the request, which is
 * cheaper than an AbortController and its signal per delivery.
 */
function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  inflight: Set<http.ClientRequest>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const { https: secure, options } = endpoint(url);
    const done = () => {
      clearTimeout(timer);
      inflight.delete(req);
    };
    const req = (secure ? https : http).request(
      { ...options, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => {
          done();
          resolve(res.statusCode ?? 0);
        });
        res.on('error', (error) => {
          done();
          reject(error);
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(TIMED_OUT)), timeoutMs);
    timer.unref();
    inflight.add(req);
    req.on('error', (error) => {
      done();
      reject(error);
    });
    req.end(body);
  });
}
