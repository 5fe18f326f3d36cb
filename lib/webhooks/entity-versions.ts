import type { Prisma } from '@/lib/generated/prisma/client';

/**
 * The newest Scalekit event applied to each mirrored membership, and tombstones for deleted ones.
 *
 * Webhooks arrive late, retried and out of order; a `user.organization_membership_updated` sent before a removal
 * can land after it. Each membership's last applied event time (Scalekit's own `occurred_at`,
 * one clock) is kept so an older event is ignored, and a deletion leaves a tombstone so a stale
 * event cannot bring the row back. Only an event that happened after the deletion can (the
 * person was invited again).
 *
 * Stored in ProcessedWebhook under ids that cannot collide with Scalekit's `evt_…` ids, so no
 * extra table is needed: `type` is "entity_version" or "entity_tombstone", `receivedAt` holds
 * the event time.
 */

export const VERSION_TYPE = 'entity_version';
export const TOMBSTONE_TYPE = 'entity_tombstone';

type Client = Pick<Prisma.TransactionClient, 'processedWebhook'>;

export interface EntityVersion {
  at: Date;
  deleted: boolean;
}

export function membershipVersionKey(organizationId: string, userId: string): string {
  return `version:membership:${organizationId}:${userId}`;
}

export function organizationVersionKey(organizationId: string): string {
  return `version:organization:${organizationId}`;
}

export async function readEntityVersion(client: Client, key: string): Promise<EntityVersion | null> {
  const row = await client.processedWebhook.findUnique({ where: { id: key } });
  return row ? { at: row.receivedAt, deleted: row.type === TOMBSTONE_TYPE } : null;
}

/** Whether an event that happened at `occurredAt` is newer than what the mirror already holds. */
export function isNewer(version: EntityVersion | null, occurredAt: Date): boolean {
  return version === null || occurredAt.getTime() > version.at.getTime();
}

export async function writeEntityVersion(client: Client, key: string, version: EntityVersion): Promise<void> {
  const type = version.deleted ? TOMBSTONE_TYPE : VERSION_TYPE;
  await client.processedWebhook.upsert({
    where: { id: key },
    create: { id: key, type, receivedAt: version.at },
    update: { type, receivedAt: version.at },
  });
}

/**
 * Serialises everything that reads and then writes one entity's version (concurrent deliveries,
 * the app's own removal), for the rest of the transaction: without it two events could both read
 * "no version yet" and the older one could commit last.
 */
export async function lockEntity(client: Pick<Prisma.TransactionClient, '$executeRaw'>, key: string): Promise<void> {
  await client.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
}

/**
 * For an event handler: locks the entity (lockEntity) and says whether an event that happened at
 * `occurredAt` is newer than the one the mirror last applied to it. False means "stale, skip".
 */
export async function lockIfNewer(
  client: Pick<Prisma.TransactionClient, '$executeRaw' | 'processedWebhook'>,
  key: string,
  occurredAt: Date,
): Promise<boolean> {
  await lockEntity(client, key);
  return isNewer(await readEntityVersion(client, key), occurredAt);
}
