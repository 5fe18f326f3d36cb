import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { useTestDatabase } from '@/test/database';
import { readDemoSeed, seedDemoData } from './seed';
import { seedSnapshot } from './seed-testing';

const { prisma } = await useTestDatabase();
const seed = readDemoSeed();

const snapshot = () => seedSnapshot(prisma);

describe('prisma/seed.ts', () => {
  it('mirrors the demo orgs, users and memberships from emulator/seeds/demo.json with the same ids', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const result = await seedDemoData(prisma, seed, now);
    const membershipCount = seed.users.reduce((n, u) => n + u.memberships.length, 0);
    expect(result).toEqual({ created: seed.organizations.length + seed.users.length + membershipCount, kept: 0 });

    const { organizations, users } = await snapshot();
    expect(organizations.map((o) => o.id)).toEqual(['org_acme', 'org_globex']);
    expect(users.map((u) => u.id)).toEqual(seed.users.map((u) => u.id).sort());
    expect(organizations.find((o) => o.id === 'org_globex')).toMatchObject({
      maxAllowedUsers: 10,
      allowedEmailDomains: ['globex.test', 'consultant.test'],
    });

    const riley = await prisma.membership.findMany({ where: { userId: 'usr_riley' }, orderBy: { organizationId: 'asc' } });
    expect(riley.map((m) => [m.organizationId, m.role, m.status])).toEqual([
      ['org_acme', 'member', 'ACTIVE'],
      ['org_globex', 'admin', 'ACTIVE'],
    ]);

    const invite = await prisma.membership.findUniqueOrThrow({
      where: { organizationId_email: { organizationId: 'org_acme', email: 'new.hire@acme.test' } },
    });
    expect(invite).toMatchObject({
      userId: 'usr_newhire',
      status: 'PENDING_INVITE',
      inviterEmail: 'ada@acme.test',
      invitedByUserId: 'usr_ada',
      invitedAt: now,
      expiresAt: new Date(now.getTime() + seed.environment.invitationExpirySeconds * 1000),
    });
  });

  it('changes nothing when run again, not even updatedAt', async () => {
    const before = await snapshot();
    const result = await seedDemoData(prisma, seed, new Date('2026-02-01T00:00:00Z'));
    expect(result).toEqual({ created: 0, kept: seed.organizations.length + seed.users.length + 6 });
    expect(await snapshot()).toEqual(before);
  });

  it("is visible through lib/db, which the harness points at this file's database", async () => {
    expect(await db.membership.count({ where: { organizationId: 'org_acme' } })).toBe(4);
  });

  it("leaves a row that differs from the seed as it is: once seeded, the data is the user's", async () => {
    await prisma.organization.update({ where: { id: 'org_acme' }, data: { name: 'Renamed' } });
    expect((await seedDemoData(prisma, seed)).created).toBe(0);
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).name).toBe('Renamed');
  });

  it('refuses a malformed seed file with a message naming the problem', () => {
    expect(() => readDemoSeed(new URL('../package.json', import.meta.url).pathname)).toThrow(/not a valid demo seed/);
  });
});
