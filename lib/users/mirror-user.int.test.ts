import { describe, expect, it } from 'vitest';
import { membershipVersionKey, readEntityVersion } from '@/lib/webhooks/entity-versions';
import { useTestDatabase } from '@/test/database';
import { RETIRED_SESSION_REASON, retiredEmail, upsertMirrorUsers, type MirrorUserInput, type MirrorUsersOptions } from './mirror-user';

const database = await useTestDatabase({ poolSize: 8 });
const { prisma } = database;

let counter = 0;
function unique(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}`;
}

async function org(): Promise<string> {
  const id = unique('org');
  await prisma.organization.create({ data: { id, name: id } });
  return id;
}

async function session(userId: string, organizationId: string, revoked = false) {
  return prisma.session.create({
    data: {
      userId,
      organizationId,
      refreshTokenEnc: 'v1.test-ciphertext',
      accessTokenExpiresAt: new Date(Date.now() + 60_000),
      expiresAt: new Date(Date.now() + 3_600_000),
      ...(revoked ? { revokedAt: new Date(Date.now() - 1000), revokedReason: 'logout' } : {}),
    },
  });
}

const run = (users: MirrorUserInput[], options?: MirrorUsersOptions) => prisma.$transaction((tx) => upsertMirrorUsers(tx, users, options));

describe('upsertMirrorUsers (real PostgreSQL)', () => {
  it('inserts new users lower-cased, updates known ones only where Scalekit says something, keeps omitted fields', async () => {
    const a = unique('usr_a');
    const b = unique('usr_b');
    await prisma.user.create({ data: { id: b, email: `${b}@example.test`, firstName: 'Bea', lastName: 'Old', name: 'Bea Old' } });
    const result = await run([
      { id: a, email: `  ${a.toUpperCase()}@Example.TEST `, firstName: 'Al', lastName: null, name: 'Al', externalId: 'hr-1' },
      { id: b, email: `${b}@example.test`, lastName: 'New', name: 'Bea New' },
    ]);
    expect(result.retiredUserIds).toEqual([]);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: a } })).toMatchObject({
      email: `${a}@example.test`,
      firstName: 'Al',
      lastName: null,
      externalId: 'hr-1',
    });
    // firstName was not given: it stays; lastName and name were: they change.
    expect(await prisma.user.findUniqueOrThrow({ where: { id: b } })).toMatchObject({ firstName: 'Bea', lastName: 'New', name: 'Bea New' });
  });

  it('keeps the later last login: Scalekit’s last_login_time moves it forward, an older one never back', async () => {
    const id = unique('usr_login');
    const ours = new Date('2026-11-20T10:00:00.000Z');
    await prisma.user.create({ data: { id, email: `${id}@example.test`, lastLoginAt: ours } });
    await run([{ id, email: `${id}@example.test`, lastLoginAt: new Date('2026-11-19T10:00:00.000Z') }]);
    expect((await prisma.user.findUniqueOrThrow({ where: { id } })).lastLoginAt).toEqual(ours);
    const scalekits = new Date('2026-11-21T10:00:00.000Z');
    await run([{ id, email: `${id}@example.test`, lastLoginAt: scalekits }]);
    expect((await prisma.user.findUniqueOrThrow({ where: { id } })).lastLoginAt).toEqual(scalekits);
  });

  it('retires the row of a deleted user whose email Scalekit gave a new id: email parked, copies gone, sessions revoked', async () => {
    const [orgA, orgB] = [await org(), await org()];
    const oldId = unique('usr_old');
    const newId = unique('usr_new');
    const email = `${oldId}@example.test`;
    await prisma.user.create({ data: { id: oldId, email, name: 'Old Self' } });
    const synced = await prisma.membership.create({ data: { organizationId: orgA, userId: oldId, email, status: 'ACTIVE' } });
    // A row the invitation service is still working on keeps existing; it only loses the dead id.
    const failed = await prisma.membership.create({
      data: { organizationId: orgB, userId: oldId, email, syncState: 'FAILED', syncError: 'role update failed' },
    });
    const live = await session(oldId, orgA);
    const ended = await session(oldId, orgB, true);
    await prisma.auditEvent.create({ data: { organizationId: orgA, actorType: 'user', actorId: oldId, action: 'session.signed_in' } });

    const result = await run([{ id: newId, email: email.toUpperCase(), firstName: 'New', name: 'New Self' }]);

    expect(result.retiredUserIds).toEqual([oldId]);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: oldId } })).toMatchObject({ email: retiredEmail(oldId), name: 'Old Self' });
    expect(retiredEmail(oldId)).toBe(`${oldId}@retired.invalid`);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: newId } })).toMatchObject({ email, firstName: 'New', name: 'New Self' });
    expect(await prisma.membership.findUnique({ where: { id: synced.id } })).toBeNull();
    expect(await prisma.membership.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ userId: null, syncState: 'FAILED' });
    expect(await readEntityVersion(prisma, membershipVersionKey(orgA, oldId))).toMatchObject({ deleted: true });
    expect(await prisma.session.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({ revokedReason: RETIRED_SESSION_REASON });
    expect((await prisma.session.findUniqueOrThrow({ where: { id: live.id } })).revokedAt).not.toBeNull();
    // An already ended session keeps its own reason.
    expect(await prisma.session.findUniqueOrThrow({ where: { id: ended.id } })).toMatchObject({ revokedReason: 'logout' });
    // Audit events naming the old id still point at a row.
    expect(await prisma.auditEvent.count({ where: { actorId: oldId } })).toBe(1);

    // Writing the same answer again changes nothing more.
    expect((await run([{ id: newId, email }])).retiredUserIds).toEqual([]);
    expect(await prisma.user.count({ where: { id: { in: [oldId, newId] } } })).toBe(2);
  });

  it('an email change onto an address held by another id retires that holder, in the same batch as new users', async () => {
    const mover = unique('usr_mover');
    const holder = unique('usr_holder');
    const fresh = unique('usr_fresh');
    const target = `${holder}@example.test`;
    await prisma.user.createMany({
      data: [
        { id: mover, email: `${mover}@example.test` },
        { id: holder, email: target },
      ],
    });
    const result = await run([
      { id: fresh, email: `${fresh}@example.test` },
      { id: mover, email: target },
    ]);
    expect(result.retiredUserIds).toEqual([holder]);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: mover } })).email).toBe(target);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: holder } })).email).toBe(retiredEmail(holder));
    expect(await prisma.user.findUnique({ where: { id: fresh } })).not.toBeNull();
  });

  it('two concurrent upserts of the same new id for an old email: both succeed, the old row is retired once', async () => {
    const orgId = await org();
    for (let round = 0; round < 5; round++) {
      const oldId = unique('usr_old');
      const newId = unique('usr_new');
      const email = `${oldId}@example.test`;
      await prisma.user.create({ data: { id: oldId, email } });
      await prisma.membership.create({ data: { organizationId: orgId, userId: oldId, email, status: 'ACTIVE' } });
      const results = await Promise.all([
        run([{ id: newId, email, name: 'First' }]),
        run([{ id: newId, email, name: 'Second' }]),
        // And a batch holding the same person among others, in another order.
        run([
          { id: unique('usr_other'), email: `zz-${round}-${counter}@example.test` },
          { id: newId, email },
        ]),
      ]);
      expect(results.flatMap((r) => r.retiredUserIds)).toEqual([oldId]);
      const rows = await prisma.user.findMany({ where: { id: { in: [oldId, newId] } }, orderBy: { id: 'asc' } });
      expect(rows.map((r) => [r.id, r.email])).toEqual(
        [
          [newId, email],
          [oldId, retiredEmail(oldId)],
        ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
      );
      expect(await prisma.membership.count({ where: { userId: oldId } })).toBe(0);
    }
  });

  it('two concurrent upserts giving one email to two different new ids: neither throws, the last one holds it', async () => {
    const oldId = unique('usr_old');
    const b = unique('usr_b');
    const c = unique('usr_c');
    const email = `${oldId}@example.test`;
    await prisma.user.create({ data: { id: oldId, email } });
    const results = await Promise.all([run([{ id: b, email }]), run([{ id: c, email }])]);
    const retired = results.flatMap((r) => r.retiredUserIds).sort();
    const holder = await prisma.user.findUniqueOrThrow({ where: { email } });
    const loser = holder.id === b ? c : b;
    expect([b, c]).toContain(holder.id);
    expect(retired).toEqual([oldId, loser].sort());
    expect((await prisma.user.findUniqueOrThrow({ where: { id: loser } })).email).toBe(retiredEmail(loser));
    expect((await prisma.user.findUniqueOrThrow({ where: { id: oldId } })).email).toBe(retiredEmail(oldId));
  });

  it("onEmailTaken 'skip' (a possibly late webhook): the live holder of the email is left alone, the rest is written", async () => {
    const live = unique('usr_live');
    const late = unique('usr_late');
    const other = unique('usr_other');
    const email = `${live}@example.test`;
    await prisma.user.create({ data: { id: live, email, name: 'Live' } });
    const session_ = await session(live, await org());
    const result = await run(
      [
        { id: late, email, name: 'Late retry about a deleted user' },
        { id: other, email: `${other}@example.test` },
      ],
      { onEmailTaken: 'skip' },
    );
    expect(result).toEqual({ retiredUserIds: [], skippedUserIds: [late] });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: live } })).toMatchObject({ email, name: 'Live' });
    expect(await prisma.user.findUnique({ where: { id: late } })).toBeNull();
    expect(await prisma.user.findUnique({ where: { id: other } })).not.toBeNull();
    expect((await prisma.session.findUniqueOrThrow({ where: { id: session_.id } })).revokedAt).toBeNull();
  });
});
