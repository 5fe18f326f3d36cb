/**
 * Test-only helper for the seed's integration tests: everything the seed may touch, in a
 * stable order, so two snapshots compare equal exactly when the seed changed nothing.
 */
import type { PrismaClient } from '@/lib/generated/prisma/client';

export async function seedSnapshot(prisma: PrismaClient) {
  const [organizations, users, memberships] = await Promise.all([
    prisma.organization.findMany({ orderBy: { id: 'asc' } }),
    prisma.user.findMany({ orderBy: { id: 'asc' } }),
    prisma.membership.findMany({ orderBy: [{ organizationId: 'asc' }, { email: 'asc' }] }),
  ]);
  return { organizations, users, memberships };
}
