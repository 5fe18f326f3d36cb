import { describe, expect, it } from 'vitest';
import { POST } from '@/app/api/invitations/route';
import { createApiKey } from '@/lib/api-keys/service';
import { ada, freshEmail, scalekitMembersWithEmail, useInvitationTestbed } from '@/lib/invitations/testing';
import { IDEMPOTENCY_TTL_MS, purgeExpiredIdempotencyKeys, REPLAYED_HEADER, STALE_CLAIM_MS } from './idempotency';

/** Idempotency-Key on POST /api/invitations, through the route, on real PostgreSQL and the emulator. */

const bed = await useInvitationTestbed();
const { prisma } = bed.db;
const hr = await createApiKey(ada, 'org_acme', 'Idempotent HR');
const crm = await createApiKey(ada, 'org_acme', 'Idempotent CRM');

let n = 0;
const newKey = () => `key-${Date.now()}-${n++}`;

function post(secret: string, body: unknown, key?: string): Promise<Response> {
  return POST(
    new Request('http://localhost:3000/api/invitations', {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

async function answer(res: Response) {
  return { status: res.status, replayed: res.headers.get(REPLAYED_HEADER), body: (await res.json()) as Record<string, unknown> };
}

const created = (email: string) => prisma.auditEvent.count({ where: { action: 'invitation.created', targetLabel: email } });

describe('Idempotency-Key on POST /api/invitations', () => {
  it('the same key and body replays the first answer: one invitation, one email, one audit event', async () => {
    const key = newKey();
    const email = freshEmail('idem');
    const first = await answer(await post(hr.secret, { email }, key));
    expect(first).toMatchObject({ status: 201, replayed: null, body: { outcome: 'invited' } });
    const again = await answer(await post(hr.secret, { email }, key));
    expect(again).toEqual({ status: 201, replayed: 'true', body: first.body });
    expect(await prisma.membership.count({ where: { email } })).toBe(1);
    expect(await created(email)).toBe(1);
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(1);
  });

  it('the same key with another body is 422 idempotency_key_reused and sends nothing', async () => {
    const key = newKey();
    await post(hr.secret, { email: freshEmail('idem-a') }, key);
    const other = freshEmail('idem-b');
    const res = await answer(await post(hr.secret, { email: other }, key));
    expect(res).toMatchObject({
      status: 422,
      body: { error: { code: 'idempotency_key_reused', message: expect.stringMatching(/new key/) } },
    });
    expect(await prisma.membership.count({ where: { email: other } })).toBe(0);
  });

  it('keys belong to their caller: another API key with the same key runs its own request', async () => {
    const key = newKey();
    await post(hr.secret, { email: freshEmail('idem-hr') }, key);
    const mine = freshEmail('idem-crm');
    expect(await answer(await post(crm.secret, { email: mine }, key))).toMatchObject({ status: 201, replayed: null });
    expect(await prisma.membership.count({ where: { email: mine } })).toBe(1);
  });

  it('a retryable failure (Scalekit 429) is not remembered: the retry with the same key runs and succeeds', async () => {
    const key = newKey();
    const email = freshEmail('idem-busy');
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'RESOURCE_EXHAUSTED' });
    expect((await post(hr.secret, { email }, key)).status).toBe(429);
    expect(await prisma.idempotencyKey.count({ where: { key } })).toBe(0);
    expect(await answer(await post(hr.secret, { email }, key))).toMatchObject({
      status: 201,
      replayed: null,
      body: { outcome: 'invited' },
    });
    expect(await created(email)).toBe(1);
  });

  it('a final refusal is remembered like a success (the same 4xx again, replayed)', async () => {
    const key = newKey();
    const first = await answer(await post(hr.secret, { email: 'not-an-address' }, key));
    expect(first.status).toBe(400);
    expect(await answer(await post(hr.secret, { email: 'not-an-address' }, key))).toEqual({ ...first, replayed: 'true' });
  });

  it('a request still running is 409 in_progress; one abandoned (worker killed) is taken over; an expired key starts afresh', async () => {
    const running = newKey();
    const email = freshEmail('idem-run');
    const body = JSON.stringify({ email });
    const claim = async (key: string, createdAt: Date, extra: Record<string, unknown> = {}) => {
      // The hash of the request the route will see, computed the same way: make the first attempt, read it, reset it.
      await post(hr.secret, JSON.parse(body), key);
      const row = await prisma.idempotencyKey.findFirstOrThrow({ where: { key } });
      await prisma.idempotencyKey.update({
        where: { id: row.id },
        data: { createdAt, responseStatus: null, responseBody: undefined, ...extra },
      });
    };
    await claim(running, new Date());
    const busy = await post(hr.secret, JSON.parse(body), running);
    expect(busy.status).toBe(409);
    expect(busy.headers.get('retry-after')).toBe('2');
    expect((await busy.json()).error).toMatchObject({
      code: 'in_progress',
      message: expect.stringMatching(/Idempotency-Key is still running/),
    });

    await prisma.idempotencyKey.updateMany({ where: { key: running }, data: { createdAt: new Date(Date.now() - STALE_CLAIM_MS - 1000) } });
    // Taken over: the request runs again, and inviting twice is already_invited, not a second invitation.
    expect(await answer(await post(hr.secret, JSON.parse(body), running))).toMatchObject({
      status: 200,
      replayed: null,
      body: { outcome: 'already_invited' },
    });
    expect(await prisma.membership.count({ where: { email } })).toBe(1);

    const old = newKey();
    await claim(old, new Date(Date.now() - IDEMPOTENCY_TTL_MS - 1000), {
      responseStatus: 201,
      responseBody: { stale: true },
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(await answer(await post(hr.secret, JSON.parse(body), old))).toMatchObject({
      replayed: null,
      body: { outcome: 'already_invited' },
    });
  });

  it('two concurrent requests with one key invite once', async () => {
    const key = newKey();
    const email = freshEmail('idem-race');
    const answers = await Promise.all([post(hr.secret, { email }, key), post(hr.secret, { email }, key)]);
    expect(answers.map((r) => r.status).sort()).toEqual(expect.arrayContaining([201]));
    for (const r of answers) expect([201, 409]).toContain(r.status);
    expect(await created(email)).toBe(1);
  });

  it('refuses a malformed key with 400 before anything is sent; without a header nothing is stored', async () => {
    const email = freshEmail('idem-bad');
    const res = await answer(await post(hr.secret, { email }, 'has spaces in it'));
    expect(res).toMatchObject({
      status: 400,
      body: { error: { code: 'validation_failed', fields: { 'Idempotency-Key': expect.stringMatching(/1 to 255/) } } },
    });
    expect(await prisma.membership.count({ where: { email } })).toBe(0);
    const before = await prisma.idempotencyKey.count();
    expect((await post(hr.secret, { email })).status).toBe(201);
    expect(await prisma.idempotencyKey.count()).toBe(before);
  });

  it('the prune job deletes expired keys only', async () => {
    const live = newKey();
    await post(hr.secret, { email: freshEmail('idem-live') }, live);
    await prisma.idempotencyKey.create({
      data: { organizationId: 'org_acme', caller: 'api_key:gone', key: 'expired', requestHash: 'x', expiresAt: new Date(Date.now() - 1) },
    });
    expect(await purgeExpiredIdempotencyKeys()).toBeGreaterThanOrEqual(1);
    expect(await prisma.idempotencyKey.count({ where: { key: 'expired' } })).toBe(0);
    expect(await prisma.idempotencyKey.count({ where: { key: live } })).toBe(1);
  });
});
