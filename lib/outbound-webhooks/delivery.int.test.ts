import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { ScalekitClient } from '@scalekit-sdk/node';
import { useTestDatabase } from '@/test/database';
import { recordAudit, type AuditEntry } from '@/lib/audit/record';
import { createBoss, sendJob } from '@/lib/jobs/boss';
import { FAST, waitFor } from '@/lib/jobs/testing';
import { startWorker } from '@/lib/jobs/worker';
import { refusal } from '@/lib/invitations/testing';
import { claimDueEndpoints, deliverEndpoint, postWebhook } from './deliver';
import type { DeliveryConfig } from './config';
import {
  createEndpoint,
  deleteEndpoint,
  listDeliveries,
  listEndpoints,
  replayDelivery,
  revealSecret,
  rotateSecret,
  sendTestEvent,
  setEndpointEnabled,
} from './service';
import { adminOf, createOrganization, memberOf, startReceiver, type Receiver } from './testing';
import { checkEndpointUrl, isPublicAddress } from './url-policy';

const { prisma, url } = await useTestDatabase();
// For the worker started below, which reads its settings from the environment (read once, on first use).
process.env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE_URLS = 'true';
process.env.OUTBOUND_WEBHOOK_RETRY_SCHEDULE = '0.5,1';

const local = { urlPolicy: { allowPrivate: true } };
const FAST_RETRIES: Partial<DeliveryConfig> = { allowPrivate: true, retrySchedule: [0.2, 0.4], timeoutMs: 2_000, disableAfterFailures: 50 };

let orgCounter = 0;
/** A fresh organization with one endpoint at a fresh receiver. */
async function setup(input: { eventTypes?: string[] } = {}) {
  const org = `org_d${orgCounter++}`;
  await createOrganization(prisma, org);
  const receiver = await startReceiver();
  const admin = adminOf(org);
  const { endpoint, secret } = await createEndpoint(admin, org, { url: receiver.url, ...input }, local);
  return { org, admin, receiver, endpoint, secret };
}

function change(org: string, action: AuditEntry['action'], label: string, metadata: Record<string, unknown> = {}) {
  return recordAudit({
    actor: adminOf(org),
    organizationId: org,
    action,
    target: { type: 'membership', id: `mem_${label}`, label },
    metadata: metadata as AuditEntry['metadata'],
  });
}

const run = (endpointId: string, config: Partial<DeliveryConfig> = FAST_RETRIES, owner = 'test-run') =>
  deliverEndpoint(endpointId, { owner, config });

/**
 * The verification snippet from docs/outbound-webhooks.md, exactly as published (its import line
 * swapped for the module it names), so the docs cannot drift from what Teamgate sends.
 */
function docsSnippet(): (body: string, headers: Record<string, string>, secret: string) => unknown {
  const doc = readFileSync(new URL('../../docs/outbound-webhooks.md', import.meta.url), 'utf8');
  const block = /<!-- verification-snippet -->\s*```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/outbound-webhooks.md has no verification snippet');
  const code = block.replace(/^import crypto from 'node:crypto';$/m, '').replace(/^export /gm, '');
  return new Function('crypto', `${code}\nreturn verifyTeamgateWebhook;`)(crypto);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function headersOf(r: Receiver, i: number) {
  const h = r.received[i]!.headers;
  return {
    'webhook-id': String(h['webhook-id']),
    'webhook-timestamp': String(h['webhook-timestamp']),
    'webhook-signature': String(h['webhook-signature']),
  };
}

describe('outbound webhook delivery', () => {
  it('signs each delivery the Standard Webhooks way: verified by the standardwebhooks package, by the Scalekit SDK, and by the docs’ node:crypto snippet', async () => {
    const { org, receiver, endpoint, secret } = await setup();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    await change(org, 'invitation.created', 'new@example.test', { role: 'member', source: 'form' });
    expect(await run(endpoint.id)).toMatchObject({ stop: 'idle', succeeded: 1 });

    const [got] = receiver.received;
    const headers = headersOf(receiver, 0);
    // Independent implementation 1: the standardwebhooks npm package (the spec's own reference library).
    expect(new Webhook(secret).verify(got!.body, headers)).toEqual(got!.json);
    // 2: the Scalekit SDK, which Teamgate uses to verify Scalekit's webhooks (lib/webhooks/verify.ts).
    const sdk = new ScalekitClient('http://localhost:1', 'skc_x', 'sks_x');
    expect(sdk.verifyWebhookPayload(secret, headers, got!.body)).toBe(true);
    // 3: the verification snippet in docs/outbound-webhooks.md, run as written.
    const verifyTeamgateWebhook = docsSnippet();
    expect(verifyTeamgateWebhook(got!.body, headers, secret)).toEqual(got!.json);
    expect(() => verifyTeamgateWebhook(got!.body.replace('member', 'admin'), headers, secret)).toThrow();
    expect(() => new Webhook(secret).verify(got!.body, { ...headers, 'webhook-signature': 'v1,AAAA' })).toThrow();

    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.json).toMatchObject({
      id: headers['webhook-id'],
      type: 'invitation.created',
      organization_id: org,
      data: { email: 'new@example.test', role: 'member', source: 'form' },
    });
    const [delivery] = await listDeliveries(adminOf(org), org, endpoint.id);
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastResponseStatus: 200, lastResponseBody: 'ok', lastError: null });
  });

  it('retries a failed delivery on the backoff schedule with the same webhook-id and body, and records each answer', async () => {
    const { org, receiver, endpoint } = await setup();
    receiver.respondWith(500, 503);
    await change(org, 'member.role_changed', 'pat@example.test', { from: 'member', to: 'admin' });

    expect(await run(endpoint.id)).toMatchObject({ stop: 'waiting', failedAttempts: 1 });
    let [d] = await listDeliveries(adminOf(org), org, endpoint.id);
    expect(d).toMatchObject({ status: 'PENDING', attempts: 1, lastResponseStatus: 500, lastResponseBody: 'refused 500' });
    expect(d!.nextAttemptAt.getTime() - d!.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(150);
    // Not due yet: a run now sends nothing.
    expect(await run(endpoint.id)).toMatchObject({ stop: 'waiting', failedAttempts: 0 });
    expect(receiver.received).toHaveLength(1);

    await sleep(250);
    expect(await run(endpoint.id)).toMatchObject({ stop: 'waiting', failedAttempts: 1 });
    [d] = await listDeliveries(adminOf(org), org, endpoint.id);
    expect(d).toMatchObject({ attempts: 2, lastResponseStatus: 503 });
    expect(d!.nextAttemptAt.getTime() - d!.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(350);
    await sleep(450);
    expect(await run(endpoint.id)).toMatchObject({ stop: 'idle', succeeded: 1 });
    [d] = await listDeliveries(adminOf(org), org, endpoint.id);
    expect(d).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastResponseStatus: 200 });

    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  });

  it('delivers one endpoint’s events strictly in order: a failing head holds back the rest until it succeeds or gives up', async () => {
    const { org, receiver, endpoint } = await setup();
    receiver.respondWith(503, 503, 503);
    for (const who of ['a', 'b', 'c']) await change(org, 'invitation.created', `${who}@example.test`);
    // Gives up on "a" after its 3 attempts (schedule of 2 retries), then b and c go.
    const config = { ...FAST_RETRIES, retrySchedule: [0, 0] };
    expect(await run(endpoint.id, config)).toMatchObject({ stop: 'idle', succeeded: 2, failedAttempts: 3 });
    expect(receiver.received.map((r) => r.json.data.email)).toEqual([
      'a@example.test',
      'a@example.test',
      'a@example.test',
      'b@example.test',
      'c@example.test',
    ]);
    const log = await listDeliveries(adminOf(org), org, endpoint.id);
    expect(log.map((d) => [d.status, d.attempts])).toEqual([
      ['SUCCEEDED', 1],
      ['SUCCEEDED', 1],
      ['FAILED', 3],
    ]);
  });

  it('two runs for one endpoint at once (two workers): one sends, the other stands aside; 20 events arrive once each, in order', async () => {
    const { org, receiver, endpoint } = await setup();
    for (let i = 0; i < 20; i++) await change(org, 'invitation.created', `p${i}@example.test`);
    receiver.respondWith(...Array.from({ length: 20 }, () => ({ status: 200, delayMs: 20 })));
    const results = await Promise.all([run(endpoint.id, FAST_RETRIES, 'worker-a'), run(endpoint.id, FAST_RETRIES, 'worker-b')]);
    expect(results.map((r) => r.stop).sort()).toEqual(['busy', 'idle']);
    expect(receiver.received.map((r) => r.json.data.email)).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}@example.test`));
  });

  it('disables an endpoint after N failed attempts in a row (audited, with the reason); re-enabling resumes the queue in order', async () => {
    const { org, admin, receiver, endpoint } = await setup();
    receiver.respondWith(500, 500, 500);
    await change(org, 'invitation.revoked', 'x@example.test');
    await change(org, 'invitation.revoked', 'y@example.test');
    const config = { ...FAST_RETRIES, retrySchedule: [0, 0, 0, 0, 0], disableAfterFailures: 3 };
    expect(await run(endpoint.id, config)).toMatchObject({ stop: 'disabled', failedAttempts: 3 });
    expect(receiver.received).toHaveLength(3);

    const [row] = await listEndpoints(admin, org);
    expect(row).toMatchObject({ enabled: false, consecutiveFailures: 3 });
    expect(row!.disabledReason).toMatch(
      /^Disabled automatically after 3 failed delivery attempts in a row \(last: The endpoint answered HTTP 500\.\)/,
    );
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: org, action: 'webhook_endpoint.disabled' } });
    expect(audit).toMatchObject({
      actorType: 'system',
      actorLabel: 'outbound webhooks',
      targetId: endpoint.id,
      metadata: { automatic: true, consecutiveFailures: 3 },
    });

    // Disabled: nothing is sent, and new events are not queued for it.
    expect(await run(endpoint.id, config)).toMatchObject({ stop: 'disabled' });
    await change(org, 'invitation.revoked', 'z@example.test');
    expect(await prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(2);

    await setEndpointEnabled(admin, org, endpoint.id, true);
    expect((await listEndpoints(admin, org))[0]).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
    expect(await run(endpoint.id, config)).toMatchObject({ stop: 'idle', succeeded: 2 });
    expect(receiver.received.slice(3).map((r) => r.json.data.email)).toEqual(['x@example.test', 'y@example.test']);
  });

  it('never sends again after a success, even when the run that sent it died before finishing; a run killed mid-flight is resent with the same webhook-id', async () => {
    const { org, receiver, endpoint } = await setup();
    await change(org, 'member.joined', 'one@example.test');
    await change(org, 'member.joined', 'two@example.test');
    expect(await run(endpoint.id)).toMatchObject({ succeeded: 2 });
    // A worker that recorded the success and then died holding the lease: the next worker finds nothing to send.
    await prisma.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { leaseOwner: 'dead-worker', leaseUntil: new Date(Date.now() - 1) },
    });
    expect(await run(endpoint.id, FAST_RETRIES, 'next-worker')).toMatchObject({ stop: 'idle', succeeded: 0 });
    expect(receiver.received).toHaveLength(2);

    // A worker killed while its request was in flight: the delivery is left SENDING under its lease.
    await change(org, 'member.joined', 'three@example.test');
    const three = await prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id, status: 'PENDING' } });
    await prisma.webhookDelivery.update({ where: { id: three.id }, data: { status: 'SENDING', attempts: 1 } });
    await prisma.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { leaseOwner: 'killed', leaseUntil: new Date(Date.now() + 60_000) },
    });
    // While its lease lasts nobody else sends (it might still be alive).
    expect(await run(endpoint.id, FAST_RETRIES, 'impatient')).toMatchObject({ stop: 'busy' });
    await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { leaseUntil: new Date(Date.now() - 1) } });
    expect(await run(endpoint.id, FAST_RETRIES, 'after-expiry')).toMatchObject({ succeeded: 1 });
    expect(receiver.received.map((r) => r.json.data.email)).toEqual(['one@example.test', 'two@example.test', 'three@example.test']);
    expect(receiver.received[2]!.headers['webhook-id']).toBe(three.eventId);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: three.id } })).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
  });

  it('through a real worker: the dispatcher queues per-endpoint jobs and two endpoints each get their events in order, once', async () => {
    const a = await setup();
    const b = await setup();
    const worker = await startWorker({ connectionString: url, poolSize: 4, timing: FAST, stopTimeoutMs: 5_000 });
    try {
      for (let i = 0; i < 8; i++) {
        await change(a.org, 'invitation.created', `a${i}@example.test`);
        await change(b.org, 'member.removed', `b${i}@example.test`);
      }
      a.receiver.respondWith(503);
      await sendJob(worker.boss, 'outbound-webhooks.dispatch', { runMs: 15_000 });
      await waitFor(
        'both endpoints to receive everything',
        async () => a.receiver.received.length >= 9 && b.receiver.received.length >= 8,
        30_000,
      );
      const stopStarted = Date.now();
      await worker.stop();
      // The dispatcher's loop ends when the worker stops, instead of holding the stop for its whole run.
      expect(Date.now() - stopStarted).toBeLessThan(4_000);
    } finally {
      await worker.stop();
    }
    expect(a.receiver.received.map((r) => r.json.data.email)).toEqual([
      'a0@example.test',
      ...Array.from({ length: 8 }, (_, i) => `a${i}@example.test`),
    ]);
    expect(b.receiver.received.map((r) => r.json.data.email)).toEqual(Array.from({ length: 8 }, (_, i) => `b${i}@example.test`));
    expect(b.receiver.received.every((r) => r.json.type === 'member.removed')).toBe(true);
  }, 60_000);

  it('a worker process killed (SIGKILL) mid-request, then another started: the in-flight event is resent with its webhook-id, nothing delivered is sent again', async () => {
    const { org, receiver, endpoint } = await setup();
    for (let i = 1; i <= 6; i++) await change(org, 'invitation.created', `k${i}@example.test`);
    // The fourth answer never comes in time: the worker is killed while waiting for it.
    receiver.respondWith(200, 200, 200, { status: 200, delayMs: 20_000 });
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: url,
        DATABASE_POOL_MAX: '3',
        OUTBOUND_WEBHOOK_TIMEOUT_MS: '3000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c) => (output += String(c)));
    child.stderr!.on('data', (c) => (output += String(c)));
    const sender = createBoss({ connectionString: url, poolSize: 1, sendOnly: true });
    try {
      await waitFor('the worker process to start', async () => output.includes('"msg":"job worker started"'), 30_000);
      await sender.start();
      await sendJob(sender, 'outbound-webhooks.dispatch', { runMs: 20_000 });
      await waitFor('the fourth request to arrive', async () => receiver.received.length >= 4, 30_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const fourth = await prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id, status: 'SENDING' } });
      expect(await prisma.webhookDelivery.count({ where: { endpointId: endpoint.id, status: 'SUCCEEDED' } })).toBe(3);

      const worker = await startWorker({ connectionString: url, poolSize: 3, timing: FAST, stopTimeoutMs: 5_000 });
      try {
        await sendJob(worker.boss, 'outbound-webhooks.dispatch', { runMs: 20_000 });
        await waitFor('the rest to arrive', async () => receiver.received.length >= 7, 40_000);
        await sleep(1_500);
      } finally {
        await worker.stop();
      }
      const emails = receiver.received.map((r) => r.json.data.email);
      expect(emails).toEqual(['k1', 'k2', 'k3', 'k4', 'k4', 'k5', 'k6'].map((k) => `${k}@example.test`));
      expect(receiver.received[4]!.headers['webhook-id']).toBe(fourth.eventId);
      expect(receiver.received[4]!.body).toBe(receiver.received[3]!.body);
      expect(await prisma.webhookDelivery.count({ where: { endpointId: endpoint.id, status: 'SUCCEEDED' } })).toBe(6);
    } finally {
      child.kill('SIGKILL');
      await sender.stop({ graceful: false }).catch(() => {});
    }
  }, 120_000);

  it('replays any delivery: a new log row, same event id and body, sent after what is queued; test events too; both audited', async () => {
    const { org, admin, receiver, endpoint } = await setup();
    await change(org, 'invitation.accepted', 'acc@example.test');
    await run(endpoint.id);
    const [original] = await listDeliveries(admin, org, endpoint.id);
    const replay = await replayDelivery(admin, org, endpoint.id, original!.id);
    expect(replay).toMatchObject({ eventId: original!.eventId, replayOfId: original!.id, status: 'PENDING' });
    const test = await sendTestEvent(admin, org, endpoint.id);
    expect(await run(endpoint.id)).toMatchObject({ succeeded: 2 });
    expect(receiver.received.map((r) => r.json.type)).toEqual(['invitation.accepted', 'invitation.accepted', 'webhook.test']);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(original!.eventId);
    expect(receiver.received[2]!.json).toMatchObject({ id: test.eventId, organization_id: org, data: { endpoint_url: receiver.url } });
    const actions = await prisma.auditEvent.findMany({
      where: { organizationId: org, targetType: 'webhook_endpoint' },
      orderBy: { createdAt: 'asc' },
    });
    expect(actions.map((a) => a.action)).toEqual(['webhook_endpoint.created', 'webhook_delivery.replayed', 'webhook_endpoint.test_sent']);

    // Another endpoint's delivery, or another organization's endpoint, is not found (nothing queued).
    const other = await setup();
    expect(
      (
        await refusal(
          replayDelivery(
            admin,
            org,
            endpoint.id,
            (await prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: { not: endpoint.id } } })).id,
          ),
        )
      ).code,
    ).toBe('webhook_delivery_not_found');
    expect((await refusal(sendTestEvent(admin, org, other.endpoint.id))).status).toBe(404);
  });

  it('rotating the secret signs later deliveries with the new one; reveal returns the current one; members and other orgs are refused', async () => {
    const { org, admin, receiver, endpoint, secret } = await setup();
    expect(await revealSecret(admin, org, endpoint.id)).toBe(secret);
    const stored = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(stored.secretEnc).not.toContain(secret.slice(6, 20));
    const rotated = await rotateSecret(admin, org, endpoint.id);
    expect(rotated).not.toBe(secret);
    expect(await revealSecret(admin, org, endpoint.id)).toBe(rotated);
    const seen = await prisma.auditEvent.findMany({ where: { organizationId: org, targetId: endpoint.id }, orderBy: { createdAt: 'asc' } });
    expect(seen.map((a) => [a.action, a.actorLabel])).toEqual([
      ['webhook_endpoint.created', 'admin@acme.test'],
      ['webhook_endpoint.secret_revealed', 'admin@acme.test'],
      ['webhook_endpoint.secret_rotated', 'admin@acme.test'],
      ['webhook_endpoint.secret_revealed', 'admin@acme.test'],
    ]);
    // The secret itself is never in the audit log.
    expect(JSON.stringify(seen)).not.toContain(rotated.slice(6));
    await sendTestEvent(admin, org, endpoint.id);
    await run(endpoint.id);
    const headers = headersOf(receiver, 0);
    expect(() => new Webhook(secret).verify(receiver.received[0]!.body, headers)).toThrow();
    expect(new Webhook(rotated).verify(receiver.received[0]!.body, headers)).toMatchObject({ type: 'webhook.test' });

    expect((await refusal(revealSecret(memberOf(org), org, endpoint.id))).status).toBe(403);
    expect((await refusal(createEndpoint(memberOf(org), org, { url: 'http://127.0.0.1:1/x' }, local))).status).toBe(403);
    expect((await refusal(revealSecret(adminOf('org_elsewhere'), org, endpoint.id))).status).toBe(403);
    expect((await refusal(deleteEndpoint(admin, org, 'whe_missing'))).code).toBe('webhook_endpoint_not_found');
    expect(await prisma.webhookEndpoint.count({ where: { organizationId: org } })).toBe(1);
  });

  it('bad input changes nothing and says what to fix', async () => {
    const org = `org_d${orgCounter++}`;
    await createOrganization(prisma, org);
    const admin = adminOf(org);
    const bad = async (input: Parameters<typeof createEndpoint>[2]) => refusal(createEndpoint(admin, org, input, local));
    expect(await bad({ url: 'not a url' })).toMatchObject({ status: 422, field: 'url', message: expect.stringContaining('not a URL') });
    expect(await bad({ url: 'ftp://example.com/x' })).toMatchObject({ status: 422, message: expect.stringContaining('https://') });
    expect(await bad({ url: 'http://user:pw@127.0.0.1/x' })).toMatchObject({ status: 422, message: expect.stringContaining('password') });
    expect(await bad({ url: 'http://127.0.0.1/x', eventTypes: ['invitation.created', 'user.hacked'] })).toMatchObject({
      status: 400,
      field: 'eventTypes',
      message: expect.stringContaining('invitation.created, invitation.accepted'),
    });
    expect(await bad({ url: 'http://127.0.0.1/x', description: 'x'.repeat(201) })).toMatchObject({ field: 'description' });
    expect(await prisma.webhookEndpoint.count({ where: { organizationId: org } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { organizationId: org } })).toBe(0);
  });
});

describe('SSRF: where webhooks may go', () => {
  const production = { allowPrivate: false };

  it('refuses http, loopback, private, link-local (cloud metadata), and hosts resolving to them, unless the private-address flag is set', async () => {
    for (const target of [
      'http://example.com/hooks',
      'https://127.0.0.1/x',
      'https://10.1.2.3/x',
      'https://192.168.1.1/x',
      'https://172.20.0.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://[fd00::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://0.0.0.0/x',
      'https://localhost/x',
      'https://app.localhost/x',
    ]) {
      const error = await refusal(checkEndpointUrl(target, production));
      expect({ target, code: error.code, status: error.status }).toEqual({ target, code: 'webhook_url_not_allowed', status: 422 });
    }
    // A public IP literal passes without DNS; the flag opens loopback and http for dev and tests.
    expect((await checkEndpointUrl('https://93.184.215.14/hooks', production)).hostname).toBe('93.184.215.14');
    expect((await checkEndpointUrl('http://127.0.0.1:4000/hooks', { allowPrivate: true })).port).toBe('4000');
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2606:4700:4700::1111')).toBe(true);
    expect(isPublicAddress('100.64.0.1')).toBe(false);
  });

  it('checks again when connecting: a stored endpoint on a loopback address is refused at delivery without a request being made', async () => {
    const receiver = await startReceiver();
    const result = await postWebhook(receiver.url, '{}', {}, { timeoutMs: 1_000, allowPrivate: false });
    expect(result).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/^Refused: /) });
    const viaName = await postWebhook(receiver.url.replace('127.0.0.1', 'localhost'), '{}', {}, { timeoutMs: 1_000, allowPrivate: false });
    expect(viaName.error).toMatch(/^Refused: /);
    expect(receiver.received).toHaveLength(0);
  });

  it('a receiver that does not answer in time counts as a failed attempt (the timeout), and a redirect is not followed', async () => {
    const receiver = await startReceiver();
    receiver.respondWith({ status: 200, delayMs: 1_500 }, 302);
    const slow = await postWebhook(receiver.url, '{}', {}, { timeoutMs: 300, allowPrivate: true });
    expect(slow).toMatchObject({ ok: false, status: null, error: 'No answer within 300 ms.' });
    expect(slow.durationMs).toBeLessThan(1_000);
    const redirected = await postWebhook(receiver.url, '{}', {}, { timeoutMs: 1_000, allowPrivate: true });
    expect(redirected).toMatchObject({ ok: false, status: 302 });
  });

  it('the dispatcher claims each due endpoint once, however many dispatchers run at once', async () => {
    const { org, endpoint } = await setup();
    await change(org, 'invitation.created', 'claim@example.test');
    const claims = await Promise.all([claimDueEndpoints(), claimDueEndpoints(), claimDueEndpoints()]);
    expect(claims.flat().filter((id) => id === endpoint.id)).toHaveLength(1);

    // Only the head counts: an endpoint whose oldest event waits out its retry delay is not claimed, though a later one is due.
    await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { leaseOwner: null, leaseUntil: null } });
    await prisma.webhookDelivery.updateMany({
      where: { endpointId: endpoint.id },
      data: { nextAttemptAt: new Date(Date.now() + 60_000), attempts: 1 },
    });
    await change(org, 'invitation.created', 'behind@example.test');
    expect(await claimDueEndpoints()).not.toContain(endpoint.id);
  });
});
