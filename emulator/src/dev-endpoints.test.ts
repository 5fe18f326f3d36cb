import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateSummary } from './dev-endpoints.js';
import type { Emulator } from './index.js';
import type { WebhookEventRecord } from './state.js';
import { emailsTo, postJson, sdk, startEmulator, WEBHOOK_SECRET } from './testing.js';

/** An entry of GET /_emulator/events, with the part of the payload these tests read. */
interface LoggedEvent extends Omit<WebhookEventRecord, 'clientId' | 'payload'> {
  payload: { object: string; organization_id?: string; data: Record<string, unknown> };
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the app's webhook route: records raw bodies, fails the first `failures` calls. */
async function webhookReceiver() {
  const received: Received[] = [];
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(failures-- > 0 ? 500 : 204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    failNext: (n: number) => {
      failures = n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let emu: Emulator;
let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
beforeAll(async () => {
  hooks = await webhookReceiver();
  emu = await startEmulator({ appUrl: hooks.url, environment: { webhookRetryDelaysMs: [50, 100] } });
});
afterAll(async () => {
  await emu.close();
  await hooks.close();
});
beforeEach(() => {
  emu.reset();
  hooks.received.length = 0;
  hooks.failNext(0);
});

describe('webhooks', () => {
  it("delivers signed events, in Scalekit's envelope, that the SDK verifies on the raw body", async () => {
    const client = sdk(emu);
    const { user } = await client.user.createUserAndMembership('org_acme', {
      email: 'hooked@acme.test',
      userProfile: { firstName: 'Hoo', lastName: 'Ked' },
    });
    const [invited] = await waitFor(() => (hooks.received.length >= 1 ? hooks.received : undefined));
    // One event: Scalekit documents no user.created; the invitation carries the new user.
    await new Promise((r) => setTimeout(r, 100));
    expect(hooks.received).toHaveLength(1);
    expect(client.verifyWebhookPayload(WEBHOOK_SECRET, invited!.headers as Record<string, string>, invited!.body)).toBe(true);
    expect(() => client.verifyWebhookPayload(WEBHOOK_SECRET, invited!.headers as Record<string, string>, invited!.body + ' ')).toThrow();
    const event = JSON.parse(invited!.body);
    expect(event).toMatchObject({
      spec_version: '1',
      id: expect.stringMatching(/^evt_/),
      type: 'user.organization_invitation',
      object: 'OrgMembership',
      environment_id: 'env_emulator',
      organization_id: 'org_acme',
      display_name: 'User Organization Invitation',
      data: {
        organization: { id: 'org_acme', display_name: 'Acme', region_code: 'US' },
        user: {
          id: user!.id,
          email: 'hooked@acme.test',
          user_profile: { given_name: 'Hoo', family_name: 'Ked', name: 'Hoo Ked', email_verified: false },
        },
      },
    });
    // The documented payload has no membership status or roles; none are invented.
    expect(Object.keys(event.data).sort()).toEqual(['organization', 'user']);
    expect(invited!.headers['webhook-id']).toBe(event.id);
  });

  it('retries failed deliveries with backoff and logs attempts', async () => {
    hooks.failNext(2);
    await sdk(emu).organization.updateOrganization('org_acme', { displayName: 'Acme Inc' });
    const log = await waitFor(async () => {
      const events = (await (await fetch(`${emu.url}/_emulator/events`)).json()) as LoggedEvent[];
      return events[0]?.delivered ? events : undefined;
    });
    expect(log[0]).toMatchObject({ type: 'organization.updated', attempts: 3, lastStatus: 204, delivered: true });
    expect(log[0]!.payload).toMatchObject({ object: 'Organization', organization_id: 'org_acme' });
    expect(log[0]!.payload.data).toMatchObject({ id: 'org_acme', display_name: 'Acme Inc' });
    expect(hooks.received).toHaveLength(3);
    expect(new Set(hooks.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('gives up on an endpoint that does not answer within webhookTimeoutMs, then retries', async () => {
    // Holds every delivery open: only the emulator's own timeout can end it.
    const held: http.ServerResponse[] = [];
    const silent = http.createServer((_req, res) => void held.push(res));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const quiet = await startEmulator({
      appUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      environment: { webhookTimeoutMs: 100, webhookRetryDelaysMs: [50] },
    });
    try {
      await sdk(quiet).organization.updateOrganization('org_acme', { displayName: 'Acme Quiet' });
      const [event] = await waitFor(async () => {
        const events = (await (await fetch(`${quiet.url}/_emulator/events`)).json()) as LoggedEvent[];
        return held.length === 2 && events[0]?.attempts === 2 && events[0].lastError ? events : undefined;
      });
      expect(event).toMatchObject({
        type: 'organization.updated',
        delivered: false,
        lastStatus: null,
        lastError: 'timed out or cancelled',
      });
    } finally {
      await quiet.close();
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('sends user.organization_membership_updated and _deleted', async () => {
    const client = sdk(emu);
    // Dev belongs to Acme and Globex, so removing the Acme membership keeps the user.
    const dev = (await client.user.listUsers({ pageSize: 100 })).users.find((u) => u.memberships.length === 2)!;
    await client.user.updateMembership('org_acme', dev.id, { roles: ['admin'] });
    await client.user.deleteMembership('org_acme', dev.id);
    const events = await waitFor(() => (hooks.received.length >= 2 ? hooks.received.map((r) => JSON.parse(r.body)) : undefined));
    expect(events.map((t) => t.type)).toEqual(['user.organization_membership_updated', 'user.organization_membership_deleted']);
    const deleted = events[1];
    expect(deleted.organization_id).toBe('org_acme');
    expect(deleted.data.organization.id).toBe('org_acme');
    expect(deleted.data.user).toMatchObject({ id: dev.id, email: dev.email });
    expect((await client.user.getUser(dev.id)).user?.memberships.map((m) => m.organizationId)).toEqual(['org_globex']);
  });
});

describe('dev endpoints', () => {
  it('rejects bad input with a 4xx and a message, and keeps serving', async () => {
    const cases: [string, unknown, string?][] = [
      ['/_emulator/faults', '{not json'],
      ['/_emulator/faults', {}],
      ['/_emulator/faults', { target: 'NoSuchRpc', grpcCode: 'UNAVAILABLE' }],
      ['/_emulator/faults', { target: 'GetUser', grpcCode: 'BROKEN' }],
      ['/_emulator/faults', { target: 'GetUser' }],
      ['/_emulator/faults', { target: '/oauth/token', grpcCode: 'UNAVAILABLE' }],
      ['/_emulator/faults', { target: 'GetUser', grpcCode: 'UNAVAILABLE', count: -1 }],
      ['/_emulator/faults', { target: 'GetUser', grpcCode: 'UNAVAILABLE', httpStatus: 503 }],
      ['/_emulator/faults', [1, 2]],
      ['/_emulator/settings', { publicSignup: 'yes' }],
      ['/_emulator/settings', { unknownSetting: 1 }],
      ['/_emulator/settings', 'null'],
    ];
    for (const [path, body] of cases) {
      const res = await postJson<{ error?: unknown }>(`${emu.url}${path}`, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(typeof res.body.error).toBe('string');
    }
    expect((await postJson(`${emu.url}/_emulator/nope`, {})).status).toBe(404);
    const big = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect((await fetch(`${emu.url}/health`)).status).toBe(200);
    expect((await (await fetch(`${emu.url}/_emulator/faults`)).json()) as unknown[]).toEqual([]);
  });

  it('injects HTTP faults on /oauth/token, and DELETE clears faults', async () => {
    const ok = await postJson(`${emu.url}/_emulator/faults`, { target: '/oauth/token', httpStatus: 503, count: 2 });
    expect(ok.status).toBe(201);
    const first = await fetch(`${emu.url}/oauth/token`, { method: 'POST' });
    expect(first.status).toBe(503);
    expect((await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' })).status).toBe(200);
    const second = await fetch(`${emu.url}/oauth/token`, { method: 'POST' });
    expect(await second.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('resets to the seed: users, mailbox, faults, settings', async () => {
    const client = sdk(emu);
    await client.user.createUserAndMembership('org_acme', { email: 'temp@acme.test' });
    await postJson(`${emu.url}/_emulator/faults`, { target: 'GetUser', grpcCode: 'INTERNAL' });
    await postJson(`${emu.url}/_emulator/settings`, { publicSignup: true });
    expect((await postJson(`${emu.url}/_emulator/reset`, {})).status).toBe(200);
    const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as StateSummary;
    expect(state.users).toBe(5);
    expect(state.emails).toBe(1); // the seeded invitation to new.hire@acme.test, sent again
    expect(state.faults).toEqual([]);
    expect(state.environment.publicSignup).toBe(false);
    expect((await client.user.getUser('usr_ada')).user?.email).toBe('ada@acme.test');
  });

  it('renders the mailbox page with the invitation link', async () => {
    await sdk(emu).user.createUserAndMembership('org_acme', { email: 'mail@acme.test', sendInvitationEmail: true });
    const page = await (await fetch(`${emu.url}/_emulator/mailbox`)).text();
    expect(page).toContain('You&#39;re invited to join Acme on Teamgate');
    const [link] = (await emailsTo(emu, 'MAIL@acme.test'))[0]!.links;
    expect(link).toMatch(new RegExp(`^${emu.url}/invitations/accept\\?token=`));
    expect(page).toContain(link!);
  });
});

describe('persistence', () => {
  it('keeps users, memberships and the signing key across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-persist-'));
    const persistPath = join(dir, 'state.json');
    try {
      const first = await startEmulator({ persistPath });
      const { user } = await sdk(first).user.createUserAndMembership('org_acme', { email: 'kept@acme.test' });
      const keys1 = await (await fetch(`${first.url}/keys`)).json();
      await first.close();
      const second = await startEmulator({ persistPath });
      try {
        const again = await sdk(second).user.getUser(user!.id);
        expect(again.user?.email).toBe('kept@acme.test');
        expect(again.user?.memberships[0]?.membershipStatus).toBe(3);
        expect(await (await fetch(`${second.url}/keys`)).json()).toEqual(keys1);
        expect(await emailsTo(second, 'kept@acme.test')).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
