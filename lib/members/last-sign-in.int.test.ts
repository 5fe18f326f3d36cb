import { describe, expect, it } from 'vitest';
import { resolvePermissions } from '@/lib/auth/permissions';
import type { Prisma } from '@/lib/generated/prisma/client';
import { membersCsv } from '@/lib/members/export';
import { listMembers, listMembersPage, type ListMembersInput } from '@/lib/members/service';
import { recordScalekitSignIn, recordSignIn, SAME_SIGN_IN_WINDOW_MS } from '@/lib/members/sign-ins';
import { userActor } from '@/lib/members/testing';
import { useTestDatabase } from '@/test/database';

const { prisma } = await useTestDatabase();
const ORG = 'org_signin';
const admin = userActor('usr_s_admin', 'admin@signin.test', ORG, 'admin');
const NOW = new Date('2026-11-30T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY + extraMs);

await prisma.organization.createMany({
  data: [
    { id: ORG, name: 'Sign-in Co' },
    { id: 'org_elsewhere', name: 'Elsewhere' },
  ],
});

interface Person {
  key: string;
  lastSignInAt: Date | null;
  status?: Prisma.MembershipCreateManyInput['status'];
  role?: string;
  method?: string;
}

// Keys sort like the ids the rows get (mem_<key>), so expected orders can be written by key.
const PEOPLE: Person[] = [
  { key: 'a29', lastSignInAt: daysAgo(29), method: 'social:google' },
  { key: 'b30', lastSignInAt: daysAgo(30), method: 'otp' },
  // One millisecond short of 30 days: not yet inactive for 30 days.
  { key: 'c30minus', lastSignInAt: daysAgo(30, 1), method: 'otp' },
  { key: 'd31', lastSignInAt: daysAgo(31), method: 'sso:okta', role: 'admin' },
  { key: 'e61', lastSignInAt: daysAgo(61), method: 'pwd' },
  { key: 'f91', lastSignInAt: daysAgo(91), method: 'social:github' },
  { key: 'g_never', lastSignInAt: null },
  { key: 'h_never', lastSignInAt: null, role: 'admin' },
  { key: 'i_today', lastSignInAt: daysAgo(0, -60_000), method: 'otp' },
  // A member Scalekit deactivated, last seen long ago: inactive in both senses.
  { key: 'j_deactivated', lastSignInAt: daysAgo(120), status: 'INACTIVE' },
  // Invitations have never signed in, and are not "inactive members".
  { key: 'k_invited', lastSignInAt: null, status: 'PENDING_INVITE' },
  { key: 'l_expired', lastSignInAt: null, status: 'INVITE_EXPIRED' },
];

await prisma.user.createMany({
  data: PEOPLE.filter((p) => !p.status || p.status === 'ACTIVE' || p.status === 'INACTIVE').map((p) => ({
    id: `usr_${p.key}`,
    email: `${p.key}@signin.test`,
  })),
});
await prisma.membership.createMany({
  data: PEOPLE.map((p, i) => {
    const invited = p.status === 'PENDING_INVITE' || p.status === 'INVITE_EXPIRED';
    return {
      id: `mem_${p.key}`,
      organizationId: ORG,
      userId: invited ? null : `usr_${p.key}`,
      email: `${p.key}@signin.test`,
      name: `Person ${p.key}`,
      role: p.role ?? 'member',
      permissions: resolvePermissions(p.role ?? 'member', null),
      status: p.status ?? 'ACTIVE',
      lastSignInAt: p.lastSignInAt,
      lastSignInMethod: p.method ?? null,
      createdAt: new Date(NOW.getTime() - (PEOPLE.length - i) * 60_000),
      ...(invited ? { invitedAt: daysAgo(1), expiresAt: p.status === 'INVITE_EXPIRED' ? daysAgo(0, -1) : daysAgo(-10) } : {}),
    };
  }),
});
// A fresh role catalogue, so the export names roles without asking Scalekit (none runs here).
await prisma.organizationRole.createMany({
  data: ['admin', 'member'].map((name, position) => ({
    organizationId: ORG,
    name,
    displayName: name === 'admin' ? 'Admin' : 'Member',
    permissions: resolvePermissions(name, null),
    position,
    syncedAt: new Date(),
  })),
});
// The same person in another organization, signed in there today: never counts here.
await prisma.membership.create({
  data: { organizationId: 'org_elsewhere', userId: 'usr_g_never', email: 'g_never@signin.test', status: 'ACTIVE', lastSignInAt: NOW },
});

async function keys(input: ListMembersInput): Promise<string[]> {
  return (await listMembers(admin, ORG, input, NOW)).rows.map((r) => r.id.replace('mem_', ''));
}

/** Every row, page by page with `limit`, forwards; then back from the last page to the first. */
async function walk(input: ListMembersInput, limit: number): Promise<{ forward: string[]; backward: string[] }> {
  const forward: string[][] = [];
  let page = await listMembersPage(admin, ORG, { ...input, limit }, NOW);
  forward.push(page.rows.map((r) => r.id.replace('mem_', '')));
  while (page.nextCursor) {
    page = await listMembersPage(admin, ORG, { ...input, limit, cursor: page.nextCursor }, NOW);
    forward.push(page.rows.map((r) => r.id.replace('mem_', '')));
  }
  const backward: string[][] = [forward[forward.length - 1]!];
  while (page.prevCursor) {
    page = await listMembersPage(admin, ORG, { ...input, limit, cursor: page.prevCursor }, NOW);
    backward.unshift(page.rows.map((r) => r.id.replace('mem_', '')));
  }
  return { forward: forward.flat(), backward: backward.flat() };
}

const MOST_RECENT_FIRST = [
  'i_today',
  'a29',
  'c30minus',
  'b30',
  'd31',
  'e61',
  'f91',
  'j_deactivated',
  'l_expired',
  'k_invited',
  'h_never',
  'g_never',
];

describe('the "inactive for N days" filter', () => {
  it('30 days: 30 and 31 days ago and never are inactive; 29 days, 1 ms short of 30, and invitations are not', async () => {
    const inactive = await keys({ inactiveDays: 30 });
    expect(inactive.sort()).toEqual(['b30', 'd31', 'e61', 'f91', 'g_never', 'h_never', 'j_deactivated']);
    expect((await listMembers(admin, ORG, { inactiveDays: 30 }, NOW)).total).toBe(7);
  });

  it('60 and 90 days move the line', async () => {
    expect((await keys({ inactiveDays: 60 })).sort()).toEqual(['e61', 'f91', 'g_never', 'h_never', 'j_deactivated']);
    expect((await keys({ inactiveDays: 90 })).sort()).toEqual(['f91', 'g_never', 'h_never', 'j_deactivated']);
  });

  it('composes with the status, role and search filters, and the total counts what matches', async () => {
    expect((await keys({ inactiveDays: 30, status: 'active' })).sort()).toEqual(['b30', 'd31', 'e61', 'f91', 'g_never', 'h_never']);
    expect((await keys({ inactiveDays: 30, role: 'admin' })).sort()).toEqual(['d31', 'h_never']);
    expect(await keys({ inactiveDays: 30, q: 'never' })).toEqual(['h_never', 'g_never']);
    expect((await listMembers(admin, ORG, { inactiveDays: 30, status: 'pending' }, NOW)).total).toBe(0);
  });

  it('refuses a number of days it does not offer, with a 400 that names the choices', async () => {
    const error = await listMembers(admin, ORG, { inactiveDays: 45 as 30 }, NOW).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input', message: 'Inactive days must be one of 30, 60, 90.' });
  });
});

describe('sorting by last sign-in', () => {
  it('most recent first: dated rows newest to oldest, then never-signed-in (invitations included) last', async () => {
    expect(await keys({ sort: 'last_sign_in_desc', limit: 100 })).toEqual(MOST_RECENT_FIRST);
  });

  it('longest ago first: never-signed-in first, then oldest to newest — exactly the reverse', async () => {
    expect(await keys({ sort: 'last_sign_in_asc', limit: 100 })).toEqual([...MOST_RECENT_FIRST].reverse());
  });

  it.each([1, 2, 3, 5])('pages of %i cross the null boundary both ways without losing or repeating a row', async (limit) => {
    for (const [sort, expected] of [
      ['last_sign_in_desc', MOST_RECENT_FIRST],
      ['last_sign_in_asc', [...MOST_RECENT_FIRST].reverse()],
    ] as const) {
      const { forward, backward } = await walk({ sort }, limit);
      expect(forward).toEqual(expected);
      expect(backward).toEqual(expected);
    }
  });

  it('composes with the inactive filter and pagination', async () => {
    const { forward } = await walk({ sort: 'last_sign_in_asc', inactiveDays: 30 }, 2);
    expect(forward).toEqual(['g_never', 'h_never', 'j_deactivated', 'f91', 'e61', 'd31', 'b30']);
  });

  it('refuses a cursor from another order (and the default order’s), and an unknown sort, as 400s', async () => {
    const desc = await listMembersPage(admin, ORG, { sort: 'last_sign_in_desc', limit: 2 }, NOW);
    const byJoined = await listMembersPage(admin, ORG, { limit: 2 }, NOW);
    await expect(listMembersPage(admin, ORG, { sort: 'last_sign_in_asc', cursor: desc.nextCursor! }, NOW)).rejects.toMatchObject({
      status: 400,
      code: 'invalid_cursor',
    });
    await expect(listMembersPage(admin, ORG, { sort: 'last_sign_in_desc', cursor: byJoined.nextCursor! }, NOW)).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
    await expect(listMembersPage(admin, ORG, { cursor: desc.nextCursor! }, NOW)).rejects.toMatchObject({ code: 'invalid_cursor' });
    await expect(listMembersPage(admin, ORG, { sort: 'name' as 'last_sign_in_asc' }, NOW)).rejects.toMatchObject({
      status: 400,
      code: 'invalid_input',
    });
  });

  it('the rows carry the time and the method', async () => {
    const [first] = (await listMembers(admin, ORG, { sort: 'last_sign_in_desc', limit: 1 }, NOW)).rows;
    expect(first).toMatchObject({ email: 'i_today@signin.test', lastSignInAt: daysAgo(0, -60_000), lastSignInMethod: 'otp' });
  });
});

describe('the members export', () => {
  it('has the last sign-in (ISO, empty for never) and the method, in the filter and sort asked for', async () => {
    const lines: string[] = [];
    for await (const line of await membersCsv(admin, ORG, { inactiveDays: 60, sort: 'last_sign_in_desc' })) lines.push(line.trimEnd());
    expect(lines[0]).toBe(
      '"name","email","role","status","invited_by","invited_at","joined_at","expires_at","last_sign_in_at","sign_in_method"',
    );
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual([
      '"e61@signin.test"',
      '"f91@signin.test"',
      '"j_deactivated@signin.test"',
      '"h_never@signin.test"',
      '"g_never@signin.test"',
    ]);
    expect(lines[1]).toContain(`"${daysAgo(61).toISOString()}","Password"`);
    expect(lines[4]).toMatch(/,"",""$/);
  });
});

describe('recording a sign-in', () => {
  async function membership(userId: string, organizationId = ORG) {
    return prisma.membership.findFirstOrThrow({ where: { organizationId, userId } });
  }

  it('writes the time and method on the membership of that organization only', async () => {
    const at = new Date(NOW.getTime() + 1_000);
    expect(
      await recordSignIn({ organizationId: 'org_elsewhere', userId: 'usr_g_never', at: new Date(NOW.getTime() + 5_000), method: 'otp' }),
    ).toBe(true);
    expect((await membership('usr_g_never')).lastSignInAt).toBeNull();
    expect(await recordSignIn({ organizationId: ORG, userId: 'usr_g_never', at, method: 'social:github' })).toBe(true);
    expect(await membership('usr_g_never')).toMatchObject({ lastSignInAt: at, lastSignInMethod: 'social:github' });
  });

  it('is idempotent and never moves the time back (a retried or late write changes nothing)', async () => {
    const at = new Date(NOW.getTime() + 2_000);
    expect(await recordSignIn({ organizationId: ORG, userId: 'usr_a29', at, method: 'otp' })).toBe(true);
    const updatedAt = (await membership('usr_a29')).updatedAt;
    expect(await recordSignIn({ organizationId: ORG, userId: 'usr_a29', at, method: 'otp' })).toBe(false);
    expect(await recordSignIn({ organizationId: ORG, userId: 'usr_a29', at: daysAgo(3), method: 'pwd' })).toBe(false);
    expect(await membership('usr_a29')).toMatchObject({ lastSignInAt: at, lastSignInMethod: 'otp', updatedAt });
  });

  it('Scalekit’s user.login of the same sign-in keeps the method; a later one moves the time and clears it', async () => {
    const at = new Date(NOW.getTime() + 3_000);
    await recordSignIn({ organizationId: ORG, userId: 'usr_b30', at, method: 'sso:okta' });
    // Scalekit's event comes from the code exchange, just before the callback's own record.
    expect(await recordScalekitSignIn({ organizationId: ORG, userId: 'usr_b30', at: new Date(at.getTime() - 400) })).toBe(false);
    expect(
      await recordScalekitSignIn({ organizationId: ORG, userId: 'usr_b30', at: new Date(at.getTime() + SAME_SIGN_IN_WINDOW_MS - 1) }),
    ).toBe(false);
    expect(await membership('usr_b30')).toMatchObject({ lastSignInAt: at, lastSignInMethod: 'sso:okta' });
    const later = new Date(at.getTime() + SAME_SIGN_IN_WINDOW_MS + 1);
    expect(await recordScalekitSignIn({ organizationId: ORG, userId: 'usr_b30', at: later })).toBe(true);
    expect(await membership('usr_b30')).toMatchObject({ lastSignInAt: later, lastSignInMethod: null });
  });

  it('a sign-in for someone with no membership there writes nothing', async () => {
    expect(await recordSignIn({ organizationId: ORG, userId: 'usr_nobody', at: NOW, method: 'otp' })).toBe(false);
    expect(await prisma.membership.count({ where: { userId: 'usr_nobody' } })).toBe(0);
  });
});
