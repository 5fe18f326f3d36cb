import { resolvePermissions } from '@/lib/auth/permissions';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { membershipVersionKey, readEntityVersion } from '@/lib/webhooks/entity-versions';

/**
 * The app-side half of the demo data: the mirror rows for the organizations,
 * users and memberships the emulator serves from the same file
 * (emulator/seeds/demo.json). Same ids on both sides, so a login against the
 * emulator lands on rows that already exist.
 *
 * `npm run dev` runs this on every start, so it only ever adds: an entity of the
 * seed is created once, the first time the seed sees it, and never written
 * again. An admin's changes (seat limit, allowed domains, roles) stay, and a row
 * they removed stays removed. To tell "never seeded" from "seeded, then removed",
 * each entity the seed has dealt with leaves a marker row in ProcessedWebhook
 * (ids `seed:…`, type `demo_seed`; the table already keeps the app's other
 * bookkeeping ids, see lib/webhooks/entity-versions.ts), so no schema change is
 * needed. `npm run db:reset` empties the database, markers included, and so is
 * the way back to the demo.
 */

export const DEMO_SEED_PATH = fileURLToPath(new URL('../emulator/seeds/demo.json', import.meta.url));

const membershipSchema = z.object({
  organizationId: z.string().min(1),
  roles: z.array(z.string().min(1)).min(1),
  status: z.enum(['ACTIVE', 'INACTIVE', 'PENDING_INVITE', 'INVITE_EXPIRED']),
  inviterEmail: z.string().email().optional(),
});

/** Roles as the emulator seeds them in Scalekit: the mirror gives each seeded member what Scalekit would. */
const seedRoleSchema = z.object({
  name: z.string().min(1),
  permissions: z.array(z.string()).default([]),
  extends: z.string().nullable().optional(),
});

export const demoSeedSchema = z.object({
  environment: z.object({ invitationExpirySeconds: z.number().int().positive() }),
  roles: z.array(seedRoleSchema).default([]),
  organizations: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      roles: z.array(seedRoleSchema).default([]),
      externalId: z.string().nullable().optional(),
      maxAllowedUsers: z.number().int().positive().nullable().optional(),
      allowedEmailDomains: z.array(z.string()).default([]),
      /** Teamgate's own setting (docs/invitation-requests.md); the emulator ignores it */
      membersMayRequest: z.boolean().default(false),
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

/** Scalekit's effective permissions of `role` in `organizationId`: its own and those of the roles it extends. */
export function seededPermissions(seed: DemoSeed, organizationId: string, role: string): string[] {
  const orgRoles = seed.organizations.find((o) => o.id === organizationId)?.roles ?? [];
  const found = new Set<string>();
  const seen = new Set<string>();
  for (let name: string | null | undefined = role; name && !seen.has(name);) {
    seen.add(name);
    const definition: z.infer<typeof seedRoleSchema> | undefined =
      orgRoles.find((r) => r.name === name) ?? seed.roles.find((r) => r.name === name);
    for (const p of definition?.permissions ?? []) found.add(p);
    name = definition?.extends;
  }
  return resolvePermissions(role, [...found]);
}

export function readDemoSeed(path: string = DEMO_SEED_PATH): DemoSeed {
  const parsed = demoSeedSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${path} is not a valid demo seed:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export interface SeedResult {
  /** Rows written by this run: entities the seed had never dealt with. */
  created: number;
  /** Entities left as they are: seeded before (and perhaps changed or removed since), or already there. */
  kept: number;
}

/** ProcessedWebhook.type of the seed's markers. */
export const SEED_MARKER_TYPE = 'demo_seed';

const marker = {
  organization: (id: string) => `seed:organization:${id}`,
  user: (id: string) => `seed:user:${id}`,
  membership: (organizationId: string, userId: string) => `seed:membership:${organizationId}:${userId}`,
};

function displayName(user: { firstName?: string; lastName?: string }): string | null {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || null;
}

export async function seedDemoData(prisma: PrismaClient, seed: DemoSeed = readDemoSeed(), now: Date = new Date()): Promise<SeedResult> {
  const result: SeedResult = { created: 0, kept: 0 };

  await prisma.$transaction(
    async (tx) => {
      const seen = new Set(
        (await tx.processedWebhook.findMany({ where: { type: SEED_MARKER_TYPE }, select: { id: true } })).map((row) => row.id),
      );
      const markers: string[] = [];
      /** Whether this run should create the entity: false once the seed has dealt with it. */
      const firstTime = (id: string) => {
        if (seen.has(id)) return false;
        markers.push(id);
        return true;
      };

      for (const org of seed.organizations) {
        // An organization that exists without a marker came from a login/sync or an earlier
        // version of the seed: it is the user's now, so it is only marked, never overwritten.
        if (
          !firstTime(marker.organization(org.id)) ||
          (await tx.organization.findUnique({ where: { id: org.id }, select: { id: true } }))
        ) {
          result.kept++;
          continue;
        }
        await tx.organization.create({
          data: {
            id: org.id,
            name: org.name,
            externalId: org.externalId ?? null,
            maxAllowedUsers: org.maxAllowedUsers ?? null,
            allowedEmailDomains: org.allowedEmailDomains,
            membersMayRequest: org.membersMayRequest,
            syncedAt: now,
          },
        });
        result.created++;
      }

      const userIdByEmail = new Map(seed.users.map((u) => [u.email.toLowerCase(), u.id]));
      for (const user of seed.users) {
        const email = user.email.toLowerCase();
        if (
          !firstTime(marker.user(user.id)) ||
          (await tx.user.findFirst({ where: { OR: [{ id: user.id }, { email }] }, select: { id: true } }))
        ) {
          result.kept++;
        } else {
          await tx.user.create({
            data: {
              id: user.id,
              email,
              firstName: user.firstName ?? null,
              lastName: user.lastName ?? null,
              name: displayName(user),
              externalId: user.externalId ?? null,
            },
          });
          result.created++;
        }

        for (const membership of user.memberships) {
          const { organizationId } = membership;
          if (!firstTime(marker.membership(organizationId, user.id))) {
            result.kept++;
            continue;
          }
          // One query at a time: they share the transaction's connection.
          const existing = await tx.membership.findFirst({
            where: { organizationId, OR: [{ email }, { userId: user.id }] },
            select: { id: true },
          });
          // Removed (or revoked) before the seed kept markers: the removal's tombstone says so.
          const tombstone = await readEntityVersion(tx, membershipVersionKey(organizationId, user.id));
          const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
          const person = await tx.user.findUnique({ where: { id: user.id }, select: { id: true } });
          // The organization or the user is gone (deleted since it was seeded): the membership went with it.
          if (existing || tombstone?.deleted || !org || !person) {
            result.kept++;
            continue;
          }
          const pending = membership.status === 'PENDING_INVITE';
          const inviterEmail = membership.inviterEmail?.toLowerCase() ?? null;
          await tx.membership.create({
            data: {
              organizationId,
              email,
              userId: user.id,
              name: displayName(user),
              role: membership.roles[0]!,
              permissions: seededPermissions(seed, organizationId, membership.roles[0]!),
              status: membership.status,
              syncState: 'SYNCED',
              inviterEmail,
              invitedByUserId: inviterEmail ? (userIdByEmail.get(inviterEmail) ?? null) : null,
              invitedAt: pending ? now : null,
              expiresAt: pending ? new Date(now.getTime() + seed.environment.invitationExpirySeconds * 1000) : null,
              lastSentAt: pending ? now : null,
              acceptedAt: pending ? null : now,
            },
          });
          result.created++;
        }
      }

      if (markers.length) {
        await tx.processedWebhook.createMany({
          data: markers.map((id) => ({ id, type: SEED_MARKER_TYPE, receivedAt: now })),
          skipDuplicates: true,
        });
      }
      // Dozens of sequential queries: Prisma's 5 s default expired on a busy 2-core machine (CI beside other work).
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  return result;
}

/** One line for the terminal: what a run did, and how to get the demo back. */
export function describeSeedResult({ created, kept }: SeedResult): string {
  if (created === 0) return `Demo data: already seeded; your changes are kept (\`npm run db:reset\` restores the demo).`;
  return `Demo data: ${created} rows created${kept ? `, ${kept} already seeded and left as they are` : ''}.`;
}

async function main(): Promise<void> {
  // Imported here so that importing this module (tests) does not read the env.
  const { getEnv } = await import('@/lib/env');
  const { createPrismaClient } = await import('@/lib/db');
  const env = getEnv();
  const prisma = createPrismaClient({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
  try {
    console.log(describeSeedResult(await seedDemoData(prisma)));
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
