import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';

/**
 * The app-side half of the demo data: the mirror rows for the organizations,
 * users and memberships the emulator serves from the same file
 * (emulator/seeds/demo.json). Same ids on both sides, so a login against the
 * emulator lands on rows that already exist.
 *
 * Idempotent: a row is written only when it is missing or differs from the
 * seed, so a second run changes nothing (not even updatedAt).
 */

export const DEMO_SEED_PATH = fileURLToPath(new URL('../emulator/seeds/demo.json', import.meta.url));

const membershipSchema = z.object({
  organizationId: z.string().min(1),
  roles: z.array(z.string().min(1)).min(1),
  status: z.enum(['ACTIVE', 'INACTIVE', 'PENDING_INVITE', 'INVITE_EXPIRED']),
  inviterEmail: z.string().email().optional(),
});

export const demoSeedSchema = z.object({
  environment: z.object({ invitationExpirySeconds: z.number().int().positive() }),
  organizations: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      externalId: z.string().nullable().optional(),
      maxAllowedUsers: z.number().int().positive().nullable().optional(),
      allowedEmailDomains: z.array(z.string()).default([]),
    }),
  ),
  users: z.array(
    z.object({
      id: z.string().min(1),
      email: z.string().email(),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      externalId: z.string().nullable().optional(),
      memberships: z.array(membershipSchema).default([]),
    }),
  ),
});

export type DemoSeed = z.infer<typeof demoSeedSchema>;

export function readDemoSeed(path: string = DEMO_SEED_PATH): DemoSeed {
  const parsed = demoSeedSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${path} is not a valid demo seed:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export interface SeedResult {
  created: number;
  updated: number;
  unchanged: number;
}

function displayName(user: { firstName?: string; lastName?: string }): string | null {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || null;
}

/** Fields of `desired` whose value differs from `current` (arrays compared by content). */
function changedFields<T extends object>(current: object, desired: T): Partial<T> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (JSON.stringify((current as Record<string, unknown>)[key]) !== JSON.stringify(value)) changes[key] = value;
  }
  return changes as Partial<T>;
}

export async function seedDemoData(prisma: PrismaClient, seed: DemoSeed = readDemoSeed(), now: Date = new Date()): Promise<SeedResult> {
  const result: SeedResult = { created: 0, updated: 0, unchanged: 0 };
  const count = (changed: 'created' | 'updated' | 'unchanged') => void result[changed]++;

  await prisma.$transaction(async (tx) => {
    for (const org of seed.organizations) {
      const desired = {
        name: org.name,
        externalId: org.externalId ?? null,
        maxAllowedUsers: org.maxAllowedUsers ?? null,
        allowedEmailDomains: org.allowedEmailDomains,
      };
      const current = await tx.organization.findUnique({ where: { id: org.id } });
      if (!current) {
        await tx.organization.create({ data: { id: org.id, ...desired, syncedAt: now } });
        count('created');
        continue;
      }
      const changes = changedFields(current, desired);
      if (Object.keys(changes).length) {
        await tx.organization.update({ where: { id: org.id }, data: changes });
        count('updated');
      } else count('unchanged');
    }

    const userIdByEmail = new Map(seed.users.map((u) => [u.email.toLowerCase(), u.id]));
    for (const user of seed.users) {
      const email = user.email.toLowerCase();
      const desired = {
        email,
        firstName: user.firstName ?? null,
        lastName: user.lastName ?? null,
        name: displayName(user),
        externalId: user.externalId ?? null,
      };
      const current = await tx.user.findUnique({ where: { id: user.id } });
      if (!current) {
        await tx.user.create({ data: { id: user.id, ...desired } });
        count('created');
      } else {
        const changes = changedFields(current, desired);
        if (Object.keys(changes).length) {
          await tx.user.update({ where: { id: user.id }, data: changes });
          count('updated');
        } else count('unchanged');
      }

      for (const membership of user.memberships) {
        const pending = membership.status === 'PENDING_INVITE';
        const inviterEmail = membership.inviterEmail?.toLowerCase() ?? null;
        const desiredMembership = {
          userId: user.id,
          name: displayName(user),
          role: membership.roles[0]!,
          status: membership.status,
          syncState: 'SYNCED' as const,
          syncError: null,
          inviterEmail,
          invitedByUserId: inviterEmail ? (userIdByEmail.get(inviterEmail) ?? null) : null,
        };
        const key = { organizationId_email: { organizationId: membership.organizationId, email } };
        const current = await tx.membership.findUnique({ where: key });
        if (!current) {
          await tx.membership.create({
            data: {
              organizationId: membership.organizationId,
              email,
              ...desiredMembership,
              // An invitation's clock starts when it is first seeded; later
              // runs leave it alone so re-seeding never extends it.
              invitedAt: pending ? now : null,
              expiresAt: pending ? new Date(now.getTime() + seed.environment.invitationExpirySeconds * 1000) : null,
              lastSentAt: pending ? now : null,
              acceptedAt: pending ? null : now,
            },
          });
          count('created');
          continue;
        }
        const changes = changedFields(current, desiredMembership);
        if (Object.keys(changes).length) {
          await tx.membership.update({ where: key, data: changes });
          count('updated');
        } else count('unchanged');
      }
    }
  });
  return result;
}

async function main(): Promise<void> {
  // Imported here so that importing this module (tests) does not read the env.
  const { getEnv } = await import('@/lib/env');
  const { createPrismaClient } = await import('@/lib/db');
  const env = getEnv();
  const prisma = createPrismaClient({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
  try {
    const { created, updated, unchanged } = await seedDemoData(prisma);
    console.log(`Seeded demo data: ${created} created, ${updated} updated, ${unchanged} unchanged.`);
  } finally {
    await prisma.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
