/**
 * Team page at 10,000 members: the server-side work of one render (the keyset page query, the
 * count, seat usage, and the members table rendered to HTML) for the first page, a deep page,
 * a status filter, a search, the "inactive for 90 days" filter and the sort by last sign-in (both
 * orders, first and deep pages, on either side of the never-signed-in rows), on real PostgreSQL,
 * each with its ratio to the first page's p50 in the same run. Also prints the query plans, which
 * must use the Membership (organizationId, [status|role,] createdAt, id) and
 * (organizationId, lastSignInAt, id) indexes.
 *
 *   npx tsx bench/team-page.ts [--members 10000] [--runs 200]
 *
 * Uses its own throw-away database (cloned from the migrated test template), dropped at the end.
 * Target: p50 ≤ 100 ms for the first page and a deep page alike: the server's share of a page load
 * that still feels instant, and a deep page as cheap as the first is what keyset pagination is for.
 */
import { SCALEKIT_PERMISSIONS } from '@/lib/auth/permissions';
import { randomBytes } from 'node:crypto';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import pg from 'pg';
import { createPrismaClient, setDb } from '../lib/db';
import type { Actor } from '../lib/auth/actor';
import { Prisma } from '../lib/generated/prisma/client';
import { encodeCursor } from '../lib/pagination/keyset';
import { encodeNullableCursor, nullableKeysetPage, type NullableCursor, type NullableOrder } from '../lib/pagination/nullable-keyset';
import { getSeatUsage, listMembers, type ListMembersInput } from '../lib/members/service';
import { MembersTable } from '../app/orgs/[orgId]/team/_components/members-table';
import { databaseUrl, migratedTemplate, withAdmin } from '../test/database';
import { numberArgs } from './support/args';

const { members: MEMBERS, runs: RUNS } = numberArgs({ members: 10000, runs: 200 });
const ORG = 'org_bench';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const name = `teamgate_bench_${randomBytes(4).toString('hex')}`;
  const template = await migratedTemplate();
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = databaseUrl(name);
  process.env.DATABASE_URL = url;
  const prisma = createPrismaClient({ connectionString: url, max: 4 });
  setDb(prisma);
  try {
    await prisma.organization.create({ data: { id: ORG, name: 'Bench Co', maxAllowedUsers: MEMBERS + 100 } });
    const base = Date.UTC(2025, 0, 1);
    const statuses = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'PENDING_INVITE', 'INACTIVE'] as const;
    const seedStart = performance.now();
    for (let offset = 0; offset < MEMBERS; offset += 2_000) {
      await prisma.membership.createMany({
        data: Array.from({ length: Math.min(2_000, MEMBERS - offset) }, (_, j) => {
          const i = offset + j;
          return {
            organizationId: ORG,
            email: `person${i}@bench.test`,
            name: `Person ${i}`,
            role: i % 20 === 0 ? 'admin' : 'member',
            status: statuses[i % statuses.length]!,
            inviterEmail: 'owner@bench.test',
            invitedAt: new Date(base + i * 60_000),
            expiresAt: new Date(Date.now() + 86_400_000 * 15),
            createdAt: new Date(base + i * 60_000),
            // One in six never signed in; the rest spread over the last 200 days, out of creation order.
            ...(i % 6 === 5
              ? {}
              : { lastSignInAt: new Date(Date.now() - ((i * 7919) % 200) * 86_400_000 - i * 1000), lastSignInMethod: 'otp' }),
          };
        }),
      });
    }
    await prisma.$executeRawUnsafe('ANALYZE "Membership"');
    console.log(`seeded ${MEMBERS} memberships in ${Math.round(performance.now() - seedStart)} ms`);

    const actor: Actor = {
      kind: 'user',
      userId: 'usr_owner',
      email: 'owner@bench.test',
      name: null,
      organizationId: ORG,
      role: 'admin',
      permissions: SCALEKIT_PERMISSIONS,
      sessionId: 'bench',
    };
    const deepRow = await prisma.membership.findMany({
      where: { organizationId: ORG },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: Math.floor(MEMBERS * 0.9),
      take: 1,
    });
    const deepCursor = encodeCursor({ direction: 'after', createdAt: deepRow[0]!.createdAt, id: deepRow[0]!.id });
    // Deep in the dated rows (most recent first, 60% down) and deep among the nulls (longest ago first, 10% in).
    const datedDeep = await prisma.membership.findMany({
      where: { organizationId: ORG, lastSignInAt: { not: null } },
      orderBy: [{ lastSignInAt: 'desc' }, { id: 'desc' }],
      skip: Math.floor(MEMBERS * 0.6),
      take: 1,
    });
    const nullDeep = await prisma.membership.findMany({
      where: { organizationId: ORG, lastSignInAt: null },
      orderBy: { id: 'asc' },
      skip: Math.floor(MEMBERS * 0.1),
      take: 1,
    });
    const datedCursor: NullableCursor = { direction: 'after', at: datedDeep[0]!.lastSignInAt, id: datedDeep[0]!.id };
    const nullCursor: NullableCursor = { direction: 'after', at: null, id: nullDeep[0]!.id };
    const signInCursor = (order: NullableOrder, c: NullableCursor) => encodeNullableCursor('last_sign_in', order, c);

    const scenarios: Array<[string, ListMembersInput]> = [
      ['first page', {}],
      [`deep page (after row ${Math.floor(MEMBERS * 0.9)})`, { cursor: deepCursor }],
      ['status=pending, first page', { status: 'pending' }],
      ['role=admin, deep page', { role: 'admin', cursor: deepCursor }],
      ['search "person99"', { q: 'person99' }],
      ['inactive=90, first page', { inactiveDays: 90 }],
      ['sort last sign-in desc, first page', { sort: 'last_sign_in_desc' }],
      ['sort last sign-in desc, deep (dated)', { sort: 'last_sign_in_desc', cursor: signInCursor('desc', datedCursor) }],
      ['sort last sign-in asc, first page', { sort: 'last_sign_in_asc' }],
      ['sort last sign-in asc, deep (nulls)', { sort: 'last_sign_in_asc', cursor: signInCursor('asc', nullCursor) }],
      ['sort asc + inactive=90, first page', { sort: 'last_sign_in_asc', inactiveDays: 90 }],
    ];

    console.log(`\n${RUNS} renders each (list + count + seats + table HTML), ${MEMBERS} members:`);
    let baseline = 0;
    for (const [label, input] of scenarios) {
      const render = async () => {
        const [page, seats] = await Promise.all([listMembers(actor, ORG, input), getSeatUsage(actor, ORG)]);
        const html = renderToString(
          createElement(MembersTable, {
            orgId: ORG,
            rows: page.rows,
            can: { invitations: true, members: true, roles: [] },
            roleNames: { admin: 'Admin', member: 'Member' },
            currentUserId: 'usr_owner',
            now: new Date(),
            signInSort: { href: '/orgs/org_bench/team?sort=last_sign_in_desc' },
          }),
        );
        return html.length + seats.used;
      };
      for (let i = 0; i < 10; i++) await render();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await render();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      baseline ||= p50;
      console.log(
        `  ${label.padEnd(40)} p50 ${p50.toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms  ${(p50 / baseline).toFixed(2)}× first page`,
      );
    }

    // The plans of the page queries listMembers sends (same SQL shape, literal values).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const keyset = `("createdAt", "id") < ('${deepRow[0]!.createdAt.toISOString()}', '${deepRow[0]!.id}')`;
    const plans: Array<[string, string | Prisma.Sql]> = [
      ['first page', `SELECT * FROM "Membership" WHERE "organizationId" = '${ORG}' ORDER BY "createdAt" DESC, "id" DESC LIMIT 26`],
      [
        'deep page',
        `SELECT * FROM "Membership" WHERE "organizationId" = '${ORG}' AND ${keyset} ORDER BY "createdAt" DESC, "id" DESC LIMIT 26`,
      ],
      [
        'role=admin deep',
        `SELECT * FROM "Membership" WHERE "organizationId" = '${ORG}' AND "role" = 'admin' AND ${keyset} ORDER BY "createdAt" DESC, "id" DESC LIMIT 26`,
      ],
    ];
    // The sort by last sign-in, as nullableKeysetPage writes it (captured, then explained with its values).
    for (const [label, order, cursor] of [
      ['sign-in desc deep (dated)', 'desc', datedCursor],
      ['sign-in asc deep (nulls)', 'asc', nullCursor],
    ] as const) {
      let captured: Prisma.Sql | null = null;
      const capture = {
        $queryRaw: (query: Prisma.Sql) => {
          captured = query;
          return Promise.resolve([]) as unknown as Prisma.PrismaPromise<never>;
        },
      };
      await nullableKeysetPage(capture as never, {
        scope: 'last_sign_in',
        order,
        select: Prisma.sql`"id", "lastSignInAt"`,
        from: Prisma.sql`"Membership"`,
        where: Prisma.sql`"organizationId" = ${ORG}`,
        column: 'lastSignInAt',
        cursor,
        limit: 25,
      });
      plans.push([label, captured!]);
    }
    console.log('\nquery plans:');
    let allIndexed = true;
    for (const [label, sql] of plans) {
      const { rows } =
        typeof sql === 'string'
          ? await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${sql}`)
          : await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${sql.text}`, sql.values);
      const text = rows.map((r) => r['QUERY PLAN']).join('\n    ');
      allIndexed &&= /Index (Only )?Scan.*Membership_organizationId_/.test(text);
      // Sorted by sign-in: both parts read the index in its order; the only sort is the final merge of ≤ 2 × 26 rows.
      if (typeof sql !== 'string') {
        allIndexed &&=
          (text.match(/Index (Only )?Scan( Backward)? using "Membership_organizationId_lastSignInAt_id_idx"/g) ?? []).length === 2;
        allIndexed &&= !/Seq Scan|Bitmap/.test(text);
      }
      console.log(`  ${label}:\n    ${text}`);
    }
    await client.end();
    console.log(`\nevery page query uses a Membership index: ${allIndexed ? 'yes' : 'NO'}`);
  } finally {
    setDb(undefined);
    await prisma.$disconnect();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
