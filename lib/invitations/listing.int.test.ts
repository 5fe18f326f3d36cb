import { describe, expect, it } from 'vitest';
import { GET as GET_ONE } from '@/app/api/invitations/[id]/route';
import { GET as LIST } from '@/app/api/invitations/route';
import { createApiKey } from '@/lib/api-keys/service';
import type { Prisma } from '@/lib/generated/prisma/client';
import { ada, gina, useInvitationTestbed } from './testing';

/**
 * GET /api/invitations filters and GET /api/invitations/:id, through the routes with an API key,
 * on rows written straight into the mirror so each filter has something to leave out.
 */

const bed = await useInvitationTestbed();
const { prisma } = bed.db;
const key = (await createApiKey(ada, 'org_acme', 'Filters')).secret;
const globexKey = (await createApiKey(gina, 'org_globex', 'Filters Globex')).secret;

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const future = new Date(Date.now() + 7 * 86_400_000);

async function row(data: Partial<Prisma.MembershipCreateManyInput> & { email: string }) {
  return prisma.membership.create({
    data: {
      organizationId: 'org_acme',
      role: 'member',
      status: 'PENDING_INVITE',
      invitedAt: data.createdAt ?? T0,
      expiresAt: future,
      ...data,
    },
  });
}

const pending = await row({ email: 'flt_pending@filters.test', createdAt: at(1), externalId: 'hr-flt-1', role: 'member' });
const pendingLike = await row({ email: 'fltxpending@filters.test', createdAt: at(2), role: 'billing' });
const expired = await row({ email: 'flt.expired@filters.test', createdAt: at(3), expiresAt: new Date(Date.now() - 1000) });
const failed = await row({ email: 'flt.failed@filters.test', createdAt: at(4), syncState: 'FAILED', syncError: 'Scalekit down' });
const accepted = await row({ email: 'flt.accepted@filters.test', createdAt: at(5), status: 'ACTIVE', externalId: 'hr-flt-5' });
const joined = await row({ email: 'flt.joined@filters.test', createdAt: at(6), status: 'ACTIVE', invitedAt: null, expiresAt: null });
const other = await prisma.membership.create({
  data: {
    organizationId: 'org_globex',
    email: 'flt.other@filters.test',
    status: 'PENDING_INVITE',
    invitedAt: T0,
    createdAt: at(7),
    expiresAt: future,
  },
});

async function list(query: string, secret = key): Promise<{ status: number; ids: string[]; body: Record<string, unknown> }> {
  const res = await LIST(new Request(`http://localhost:3000/api/invitations?${query}`, { headers: { authorization: `Bearer ${secret}` } }));
  const body = (await res.json()) as { invitations?: Array<{ id: string }> } & Record<string, unknown>;
  return { status: res.status, ids: (body.invitations ?? []).map((i) => i.id), body };
}

async function one(id: string, secret = key) {
  const res = await GET_ONE(
    new Request(`http://localhost:3000/api/invitations/${id}`, { headers: { authorization: `Bearer ${secret}` } }),
    {
      params: Promise.resolve({ id }),
    },
  );
  return { status: res.status, body: (await res.json()) as { invitation?: Record<string, unknown>; error?: { code: string } } };
}

const window = `createdAfter=${at(0).toISOString()}&createdBefore=${at(10).toISOString()}`;

describe('GET /api/invitations filters', () => {
  it('by status: pending, expired, failed, accepted; without one, what is still open — never a member who was not invited', async () => {
    // A failed send keeps status PENDING_INVITE (its syncState says FAILED): the filter matches the field.
    expect((await list(`${window}&status=PENDING_INVITE`)).ids).toEqual([failed.id, pendingLike.id, pending.id]);
    expect((await list(`${window}&status=INVITE_EXPIRED`)).ids).toEqual([expired.id]);
    expect((await list(`${window}&status=FAILED`)).ids).toEqual([failed.id]);
    expect((await list(`${window}&status=ACCEPTED`)).ids).toEqual([accepted.id]);
    expect((await list(window)).ids).toEqual([failed.id, expired.id, pendingLike.id, pending.id]);
    for (const status of ['', 'PENDING_INVITE', 'ACCEPTED', 'FAILED'])
      expect((await list(`${window}&status=${status}`)).ids).not.toContain(joined.id);
  });

  it('by exact email (any case), by prefix (a literal `_`, not a wildcard), by role, by externalId, newest first', async () => {
    expect((await list(`${window}&email=FLT_Pending@filters.test`)).ids).toEqual([pending.id]);
    expect((await list(`${window}&emailPrefix=flt_`)).ids).toEqual([pending.id]);
    expect((await list(`${window}&emailPrefix=FLT`)).ids).toEqual([failed.id, expired.id, pendingLike.id, pending.id]);
    expect((await list(`${window}&role=billing`)).ids).toEqual([pendingLike.id]);
    expect((await list(`${window}&externalId=hr-flt-1`)).ids).toEqual([pending.id]);
    expect((await list(`${window}&externalId=hr-flt-5&status=ACCEPTED`)).ids).toEqual([accepted.id]);
    expect((await list(`${window}&externalId=hr-flt-1`, globexKey)).ids).toEqual([]);
  });

  it('by creation time, exclusive at both ends, with any offset; pages through the filtered range with the cursor', async () => {
    expect((await list(`createdAfter=${at(1).toISOString()}&createdBefore=${at(4).toISOString()}`)).ids).toEqual([
      expired.id,
      pendingLike.id,
    ]);
    expect((await list(`createdAfter=2026-03-01T11:01:30%2B01:00&createdBefore=${at(10).toISOString()}`)).ids).toEqual([
      failed.id,
      expired.id,
      pendingLike.id,
    ]);
    const first = await list(`${window}&limit=3`);
    expect(first.ids).toEqual([failed.id, expired.id, pendingLike.id]);
    const second = await list(`${window}&limit=3&cursor=${first.body.nextCursor as string}`);
    expect(second.ids).toEqual([pending.id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses bad filters with 400 naming the field and saying what to send', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['status=ACTIVE', 'status', /PENDING_INVITE, INVITE_EXPIRED, FAILED, ACCEPTED/],
      ['email=grace', 'email', /whole address.*emailPrefix/],
      ['email=a@b.test&emailPrefix=a', 'emailPrefix', /not both/],
      ['emailPrefix=', 'emailPrefix', /must not be empty/],
      ['role=no such', 'role', /role name/],
      ['externalId=has space', 'externalId', /letters, digits/],
      ['createdAfter=yesterday', 'createdAfter', /ISO 8601/],
      ['createdAfter=2026-03-01T10:00:00', 'createdAfter', /time zone/],
      [`createdAfter=${at(5).toISOString()}&createdBefore=${at(1).toISOString()}`, 'createdAfter', /earlier than createdBefore/],
      ['sort=oldest', '_', /Unrecognized key|sort/],
    ];
    for (const [query, field, message] of cases) {
      const res = await list(query);
      expect([query, res.status]).toEqual([query, 400]);
      const error = res.body.error as { code: string; message: string; fields: Record<string, string> };
      expect(error.code).toBe('validation_failed');
      expect(error.fields[field] ?? error.message).toMatch(message);
    }
  });
});

describe('GET /api/invitations/:id', () => {
  it('answers any invitation of the org, pending to accepted, with its current status', async () => {
    expect(await one(expired.id)).toMatchObject({ status: 200, body: { invitation: { id: expired.id, status: 'INVITE_EXPIRED' } } });
    expect(await one(failed.id)).toMatchObject({ status: 200, body: { invitation: { syncState: 'FAILED', syncError: 'Scalekit down' } } });
    expect(await one(accepted.id)).toMatchObject({ status: 200, body: { invitation: { status: 'ACTIVE', externalId: 'hr-flt-5' } } });
  });

  it('is the same 404 for another org’s invitation, a member never invited, and ids that do not exist or are not ids', async () => {
    for (const id of [other.id, joined.id, 'cm_nope', 'x'.repeat(65), '../../etc']) {
      expect(await one(id)).toMatchObject({ status: 404, body: { error: { code: 'invitation_not_found' } } });
    }
    expect(await one(other.id, globexKey)).toMatchObject({ status: 200 });
  });
});
