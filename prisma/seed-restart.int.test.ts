import { describe, expect, it } from 'vitest';
import { revokeInvitation } from '@/lib/invitations/service';
import { removeMember } from '@/lib/members/service';
import { useTeamTestStack } from '@/lib/members/testing';
import { updateOrganizationSettings } from '@/lib/organizations/settings';
import { readDemoSeed, seedDemoData } from './seed';
import { seedSnapshot } from './seed-testing';

// What a restart of `npm run dev` does to an admin's data: it runs the seed again. The admin's
// changes go through the real services (Scalekit emulator included), as they would in the app.

const stack = await useTeamTestStack();
const { prisma } = stack.db;
const seed = readDemoSeed();

const snapshot = () => seedSnapshot(prisma);

const membershipId = async (email: string) =>
  (await prisma.membership.findUniqueOrThrow({ where: { organizationId_email: { organizationId: 'org_acme', email } } })).id;

describe('seeding again after an admin changed the demo data (a restart of npm run dev)', () => {
  it('keeps the seat limit and allowed domains, and a removed member and a revoked invitation stay gone', async () => {
    await updateOrganizationSettings(stack.acmeAdmin, 'org_acme', {
      maxAllowedUsers: 1000,
      allowedEmailDomains: 'acme.test, consultant.test',
    });
    await removeMember(stack.acmeAdmin, 'org_acme', await membershipId('max@acme.test'));
    await revokeInvitation(stack.acmeAdmin, 'org_acme', await membershipId('new.hire@acme.test'));
    const before = await snapshot();
    expect(before.organizations.find((o) => o.id === 'org_acme')).toMatchObject({
      maxAllowedUsers: 1000,
      allowedEmailDomains: ['acme.test', 'consultant.test'],
    });

    const result = await seedDemoData(prisma, seed);

    expect(result.created).toBe(0);
    expect(await snapshot()).toEqual(before);
    const acme = await prisma.membership.findMany({ where: { organizationId: 'org_acme' }, orderBy: { email: 'asc' } });
    expect(acme.map((m) => m.email)).toEqual(['ada@acme.test', 'riley@consultant.test']);
  });

  it('creates what the seed gained since the last run, and only that', async () => {
    const before = await snapshot();
    const grown = structuredClone(seed);
    grown.users.push({
      id: 'usr_later',
      email: 'later@acme.test',
      firstName: 'Lee',
      lastName: 'Later',
      memberships: [{ organizationId: 'org_acme', roles: ['member'], status: 'ACTIVE' }],
    });

    const result = await seedDemoData(prisma, grown);

    expect(result.created).toBe(2); // the user and their membership
    const after = await snapshot();
    expect(after.organizations).toEqual(before.organizations);
    expect(after.users.filter((u) => u.id !== 'usr_later')).toEqual(before.users);
    expect(after.memberships.filter((m) => m.email !== 'later@acme.test')).toEqual(before.memberships);
    expect(after.memberships.find((m) => m.email === 'later@acme.test')).toMatchObject({ userId: 'usr_later', status: 'ACTIVE' });
  });

  it('does not put back a member removed before the seed kept track of what it created', async () => {
    // A database seeded by the earlier seed has the rows but no record of the seeding; the
    // removal left its tombstone (lib/webhooks/entity-versions.ts), which is what tells
    // "removed" from "never seeded".
    await prisma.processedWebhook.deleteMany({ where: { id: { startsWith: 'seed:' } } });
    const before = await snapshot();

    const result = await seedDemoData(prisma, seed);

    expect(result.created).toBe(0);
    expect(await snapshot()).toEqual(before);
    expect(before.memberships.map((m) => m.email)).not.toContain('max@acme.test');
  });
});
