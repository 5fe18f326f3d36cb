import { describe, expect, it } from 'vitest';
import { signWebhook } from '@/emulator/src/index';
import { POST } from '@/app/api/webhooks/scalekit/route';
import { useTeamTestStack } from '@/lib/members/testing';
import { serveWebhookRoute } from '@/lib/webhooks/testing';

/**
 * The webhook receiver: signed like the emulator signs (the same signWebhook), through the route
 * handler with the raw body; and end to end, with the emulator itself delivering its events to
 * the route over HTTP.
 */

const SECRET = 'whsec_dGVhbWdhdGUtZGV2LXdlYmhvb2stc2VjcmV0LW5vdC1yZWFs';

// The route behind a real HTTP server, for the emulator to deliver to.
const appUrl = await serveWebhookRoute();

const stack = await useTeamTestStack({ appUrl });
const { prisma } = stack.db;

let seq = 0;
function event(type: string, data: Record<string, unknown>, occurredAt = new Date()) {
  return { id: `evt_test_${Date.now()}_${seq++}`, type, environment_id: 'env_emulator', occurred_at: occurredAt.toISOString(), data };
}

async function deliver(
  payload: { id: string },
  options: { secret?: string; timestamp?: number; body?: string; signature?: string; webhookId?: string } = {},
) {
  const body = options.body ?? JSON.stringify(payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const webhookId = options.webhookId ?? payload.id;
  const signature = options.signature ?? signWebhook(options.secret ?? SECRET, webhookId, timestamp, body);
  const response = await POST(
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
  return { status: response.status, body: (await response.json()) as { ok?: boolean; outcome?: string; error?: { code: string } } };
}

const membershipEvent = (type: string, userId: string, email: string, status: string, roles: string[], occurredAt?: Date) =>
  event(
    type,
    {
      organization_id: 'org_acme',
      user_id: userId,
      email,
      membership: {
        status,
        roles,
        inviter_email: 'ada@acme.test',
        created_at: new Date(Date.UTC(2026, 0, 1)).toISOString(),
        accepted_at: status === 'ACTIVE' ? new Date().toISOString() : null,
        expires_at: null,
      },
    },
    occurredAt,
  );

async function mirrorOf(email: string) {
  return prisma.membership.findUnique({ where: { organizationId_email: { organizationId: 'org_acme', email } } });
}

describe('signature', () => {
  const payload = () => membershipEvent('membership.created', 'usr_sig', 'sig@acme.test', 'ACTIVE', ['member']);

  it.each([
    ['a wrong secret', { secret: 'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==' }],
    ['a timestamp older than 5 minutes', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
    ['a timestamp in the future', { timestamp: Math.floor(Date.now() / 1000) + 3600 }],
    ['a garbage signature', { signature: 'v1,AAAA' }],
    ['no signature', { signature: '' }],
  ])('%s → 401, nothing changes', async (_name, options) => {
    const p = payload();
    const result = await deliver(p, options);
    expect(result).toEqual({ status: 401, body: { error: { code: 'invalid_signature', message: expect.any(String) } } });
    expect(await mirrorOf('sig@acme.test')).toBeNull();
    expect(await prisma.processedWebhook.findUnique({ where: { id: p.id } })).toBeNull();
  });

  it('a body changed after signing (even re-serialised JSON) → 401', async () => {
    const p = payload();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook(SECRET, p.id, timestamp, JSON.stringify(p));
    const result = await deliver(p, { timestamp, signature, body: JSON.stringify(p, null, 2) });
    expect(result.status).toBe(401);
    expect(await mirrorOf('sig@acme.test')).toBeNull();
  });

  it('a signed body that is not an event → 400', async () => {
    const p = { id: 'evt_not_json' };
    expect((await deliver(p, { body: 'not json at all' })).status).toBe(400);
    const q = { id: 'evt_bad_shape' };
    expect(
      (
        await deliver(q, {
          body: JSON.stringify({
            id: 'evt_bad_shape',
            type: 'membership.created',
            occurred_at: new Date().toISOString(),
            data: { nope: 1 },
          }),
        })
      ).status,
    ).toBe(400);
    expect(await prisma.processedWebhook.findUnique({ where: { id: 'evt_bad_shape' } })).toBeNull();
  });
});

describe('processing', () => {
  it('applies a membership event once; the same id again is a no-op', async () => {
    const p = membershipEvent('membership.created', 'usr_once', 'once@acme.test', 'ACTIVE', ['member']);
    expect(await deliver(p)).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
    expect(await mirrorOf('once@acme.test')).toMatchObject({ userId: 'usr_once', status: 'ACTIVE', role: 'member' });
    await prisma.membership.update({
      where: { organizationId_email: { organizationId: 'org_acme', email: 'once@acme.test' } },
      data: { role: 'admin' },
    });
    expect(await deliver(p)).toEqual({ status: 200, body: { ok: true, outcome: 'duplicate' } });
    expect((await mirrorOf('once@acme.test'))?.role).toBe('admin');
  });

  it('a delivery whose webhook-id (msg_…) differs from the event id is applied once, deduplicated on the event id', async () => {
    const p = membershipEvent('membership.created', 'usr_msgid', 'msgid@acme.test', 'ACTIVE', ['member']);
    expect(await deliver(p, { webhookId: 'msg_first_attempt' })).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
    expect(await mirrorOf('msgid@acme.test')).toMatchObject({ userId: 'usr_msgid', status: 'ACTIVE' });
    expect(await deliver(p, { webhookId: 'msg_second_attempt' })).toEqual({ status: 200, body: { ok: true, outcome: 'duplicate' } });
    expect(await prisma.processedWebhook.findUnique({ where: { id: p.id } })).toMatchObject({ type: 'membership.created' });
  });

  it('concurrent deliveries of one event id apply it exactly once', async () => {
    const p = membershipEvent('membership.created', 'usr_race', 'race@acme.test', 'ACTIVE', ['member']);
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(p)));
    expect(results.map((r) => r.body.outcome).sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await prisma.auditEvent.count({ where: { action: 'member.joined', targetLabel: 'race@acme.test' } })).toBe(1);
  });

  it('an invitation accepted → ACTIVE, audited as invitation.accepted', async () => {
    const p = membershipEvent('membership.updated', 'usr_newhire', 'new.hire@acme.test', 'ACTIVE', ['member']);
    expect((await deliver(p)).body.outcome).toBe('applied');
    expect(await mirrorOf('new.hire@acme.test')).toMatchObject({ status: 'ACTIVE', acceptedAt: expect.any(Date) });
    expect(
      await prisma.auditEvent.findFirst({ where: { action: 'invitation.accepted', targetLabel: 'new.hire@acme.test' } }),
    ).toMatchObject({ actorType: 'system' });
  });

  it('out of order: an older update after a deletion does not resurrect the row; a newer one does', async () => {
    const t0 = new Date(Date.now() - 60_000);
    await deliver(membershipEvent('membership.created', 'usr_ooo', 'ooo@acme.test', 'ACTIVE', ['member'], t0));
    const deleted = event(
      'membership.deleted',
      { organization_id: 'org_acme', user_id: 'usr_ooo', email: 'ooo@acme.test' },
      new Date(t0.getTime() + 20_000),
    );
    expect((await deliver(deleted)).body.outcome).toBe('applied');
    expect(await mirrorOf('ooo@acme.test')).toBeNull();

    const late = membershipEvent('membership.updated', 'usr_ooo', 'ooo@acme.test', 'ACTIVE', ['admin'], new Date(t0.getTime() + 10_000));
    expect((await deliver(late)).body.outcome).toBe('stale');
    expect(await mirrorOf('ooo@acme.test')).toBeNull();

    const reinvited = membershipEvent(
      'membership.created',
      'usr_ooo',
      'ooo@acme.test',
      'PENDING_INVITE',
      ['member'],
      new Date(t0.getTime() + 30_000),
    );
    expect((await deliver(reinvited)).body.outcome).toBe('applied');
    expect(await mirrorOf('ooo@acme.test')).toMatchObject({ status: 'PENDING_INVITE' });
  });

  it('out of order: an older role update after a newer one is skipped', async () => {
    const t0 = new Date(Date.now() - 30_000);
    await deliver(membershipEvent('membership.updated', 'usr_max', 'max@acme.test', 'ACTIVE', ['admin'], t0));
    await deliver(membershipEvent('membership.updated', 'usr_max', 'max@acme.test', 'ACTIVE', ['member'], new Date(t0.getTime() - 5_000)));
    expect((await mirrorOf('max@acme.test'))?.role).toBe('admin');
    await deliver(membershipEvent('membership.updated', 'usr_max', 'max@acme.test', 'ACTIVE', ['member'], new Date(t0.getTime() + 5_000)));
    expect((await mirrorOf('max@acme.test'))?.role).toBe('member');
  });

  it('user.updated renames the user and their membership copies; organization.updated sets the seat limit', async () => {
    await deliver(
      event('user.updated', {
        user: {
          id: 'usr_riley',
          email: 'riley@consultant.test',
          first_name: 'Riley',
          last_name: 'Renamed',
          name: 'Riley Renamed',
          external_id: null,
        },
      }),
    );
    expect((await prisma.user.findUniqueOrThrow({ where: { id: 'usr_riley' } })).name).toBe('Riley Renamed');
    expect((await prisma.membership.findMany({ where: { userId: 'usr_riley' } })).map((m) => m.name)).toEqual([
      'Riley Renamed',
      'Riley Renamed',
    ]);
    await deliver(
      event('organization.updated', {
        organization: { id: 'org_globex', name: 'Globex', external_id: 'crm-globex-002', max_allowed_users: 12 },
      }),
    );
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: 'org_globex' } })).maxAllowedUsers).toBe(12);
  });

  it('a membership of an organization the mirror does not know yet brings the organization in from Scalekit', async () => {
    const { ScalekitClient } = await import('@scalekit-sdk/node');
    const client = new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
    const { organization } = await client.organization.createOrganization('Newco');
    const orgId = organization!.id;
    const data = (userId: string, email: string) => ({
      organization_id: orgId,
      user_id: userId,
      email,
      membership: { status: 'ACTIVE', roles: ['admin'] },
    });
    // Several first events at once (and user.created for the same person): none may fail.
    const results = await Promise.all([
      deliver(event('membership.created', data('usr_n1', 'n1@newco.test'))),
      deliver(event('membership.created', data('usr_n2', 'n2@newco.test'))),
      deliver(
        event('user.created', {
          user: { id: 'usr_n1', email: 'n1@newco.test', first_name: 'N', last_name: 'One', name: 'N One', external_id: null },
        }),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await prisma.organization.findUnique({ where: { id: orgId } })).toMatchObject({ name: 'Newco' });
    expect(await prisma.membership.count({ where: { organizationId: orgId, status: 'ACTIVE', role: 'admin' } })).toBe(2);
  });

  it('user.created, membership.created and membership.updated for a new person at once → one row, newest role', async () => {
    for (let round = 0; round < 5; round++) {
      const userId = `usr_burst${round}`;
      const email = `burst${round}@acme.test`;
      const t0 = new Date(Date.now() - 10_000);
      const results = await Promise.all([
        deliver(event('user.created', { user: { id: userId, email, first_name: null, last_name: null, name: null, external_id: null } })),
        deliver(membershipEvent('membership.created', userId, email, 'ACTIVE', ['member'], t0)),
        deliver(membershipEvent('membership.updated', userId, email, 'ACTIVE', ['admin'], new Date(t0.getTime() + 1_000))),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      const rows = await prisma.membership.findMany({ where: { organizationId: 'org_acme', email } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ userId, role: 'admin', status: 'ACTIVE' });
    }
  });

  it('an unknown event type is acknowledged and recorded, changing nothing else', async () => {
    const p = event('connection.enabled', { connection: { id: 'conn_1' } });
    expect(await deliver(p)).toEqual({ status: 200, body: { ok: true, outcome: 'ignored' } });
    expect(await prisma.processedWebhook.findUnique({ where: { id: p.id } })).toMatchObject({ type: 'connection.enabled' });
  });
});

describe('delivered by the emulator', () => {
  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 8_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a change made in Scalekit reaches the mirror, and a deletion removes the row', async () => {
    const { ScalekitClient } = await import('@scalekit-sdk/node');
    const client = new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
    await client.user.updateMembership('org_globex', 'usr_riley', { roles: ['member'] });
    const riley = await eventually(
      () =>
        prisma.membership.findUnique({ where: { organizationId_email: { organizationId: 'org_globex', email: 'riley@consultant.test' } } }),
      (m) => m?.role === 'member',
    );
    expect(riley?.role).toBe('member');

    await client.user.deleteMembership('org_globex', 'usr_riley');
    expect(
      await eventually(
        () =>
          prisma.membership.findUnique({
            where: { organizationId_email: { organizationId: 'org_globex', email: 'riley@consultant.test' } },
          }),
        (m) => m === null,
      ),
    ).toBeNull();

    const events = (await (await fetch(`${stack.emulator.url}/_emulator/events`)).json()) as Array<{
      type: string;
      delivered: boolean;
      lastStatus: number;
    }>;
    const deletion = events.find((e) => e.type === 'membership.deleted');
    expect(deletion).toMatchObject({ delivered: true, lastStatus: 200 });
  });
});
