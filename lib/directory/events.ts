import { z } from 'zod';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { applyDirectoryState, type ApplyResult, type DirectoryUserState } from '@/lib/directory/apply';
import { joinModeOf } from '@/lib/directory/settings';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { lockIfNewer, readEntityVersion, isNewer, writeEntityVersion } from '@/lib/webhooks/entity-versions';
import type { WebhookOutcome } from '@/lib/webhooks/outcome';
import { parseEventData } from '@/lib/webhooks/payloads';
import type { WebhookEnvelope } from '@/lib/webhooks/verify';

/**
 * Scalekit's directory events (developer-docs src/components/templates/_directory-events.mdx;
 * openapi/scalekit.yaml DirectoryUserEventData / DirectoryGroupEventData):
 *
 * - organization.directory.user_created / user_updated: the user as the directory holds it now,
 *   `active` and `groups` included (joining or leaving a group is a user_updated). An active user
 *   becomes a member (or an invitation, per the organization's setting) with the role their
 *   groups map to; an inactive one loses access.
 * - organization.directory.user_deleted: loses access.
 * - organization.directory.group_created / group_updated: the group's name, for the mapping page.
 * - organization.directory.group_deleted: the group goes from the mapping and from its members,
 *   whose roles are worked out again from the groups they still have.
 *
 * Exactly once and out of order safe like the other events (lib/webhooks/process.ts): the
 * ProcessedWebhook row and the directory mirror commit together, and each directory user and
 * group remembers the occurred_at of the newest event applied to it (a deletion leaves a
 * tombstone), so an older event arriving late is `stale`. The Scalekit calls run before that
 * transaction (a network call never holds a connection); each is safe to repeat
 * (lib/directory/scalekit.ts). A Scalekit failure is thrown: the route answers 500, nothing is
 * recorded, and Scalekit's retry applies the event without creating anything twice.
 */

export const DIRECTORY_EVENT_TYPES: ReadonlySet<string> = new Set([
  'organization.directory.user_created',
  'organization.directory.user_updated',
  'organization.directory.user_deleted',
  'organization.directory.group_created',
  'organization.directory.group_updated',
  'organization.directory.group_deleted',
]);

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const text = z
  .string()
  .max(320)
  .nullish()
  .transform((v) => v || null);

const userData = z.object({
  id,
  organization_id: id,
  email: z.string().min(3).max(320),
  active: z.boolean().nullish(),
  given_name: text,
  family_name: text,
  groups: z
    .array(z.object({ id, name: text }))
    .nullish()
    .transform((v) => v ?? []),
});
const deletedUserData = z.object({ id, organization_id: id, email: z.string().min(3).max(320).nullish() });
const groupData = z.object({ id, organization_id: id, directory_id: id.nullish(), display_name: text });

export const directoryUserVersionKey = (organizationId: string, userId: string) => `version:directory_user:${organizationId}:${userId}`;
const groupVersionKey = (organizationId: string, groupId: string) => `version:directory_group:${organizationId}:${groupId}`;

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

/** A failure that passes (Scalekit down, 429, timeout) must fail the delivery so Scalekit retries it. */
function throwIfTransient(result: ApplyResult): void {
  if (result.transient) {
    throw new ScalekitCallError({
      status: 503,
      code: 'scalekit_unavailable',
      errorCode: null,
      message: result.firstError ?? 'Scalekit could not be reached; the event will be retried.',
      retryable: true,
    });
  }
}

async function processed(client: Pick<Prisma.TransactionClient, 'processedWebhook'>, eventId: string): Promise<boolean> {
  return (await client.processedWebhook.findUnique({ where: { id: eventId }, select: { id: true } })) !== null;
}

/** Records the event as processed with nothing else changed (stale, or for an organization we do not mirror). */
async function recordOnly(event: WebhookEnvelope, outcome: WebhookOutcome): Promise<WebhookOutcome> {
  const inserted = await db.processedWebhook.createMany({ data: [{ id: event.id, type: event.type }], skipDuplicates: true });
  return inserted.count ? outcome : 'duplicate';
}

export async function processDirectoryEvent(event: WebhookEnvelope): Promise<WebhookOutcome> {
  const occurredAt = new Date(event.occurred_at);
  if (event.type === 'organization.directory.user_created' || event.type === 'organization.directory.user_updated') {
    return userChanged(event, parseEventData(userData, event), occurredAt);
  }
  if (event.type === 'organization.directory.user_deleted') {
    return userDeleted(event, parseEventData(deletedUserData, event), occurredAt);
  }
  return groupChanged(event, parseEventData(groupData, event), occurredAt);
}

async function organizationMirrored(organizationId: string): Promise<boolean> {
  return (await db.organization.findUnique({ where: { id: organizationId }, select: { id: true } })) !== null;
}

async function userChanged(event: WebhookEnvelope, data: z.infer<typeof userData>, occurredAt: Date): Promise<WebhookOutcome> {
  const organizationId = data.organization_id;
  if (await processed(db, event.id)) return 'duplicate';
  if (!(await organizationMirrored(organizationId))) return recordOnly(event, 'ignored');
  const key = directoryUserVersionKey(organizationId, data.id);
  if (!isNewer(await readEntityVersion(db, key), occurredAt)) return recordOnly(event, 'stale');

  const email = data.email.trim().toLowerCase();
  const user: DirectoryUserState = {
    id: data.id,
    email,
    firstName: data.given_name,
    lastName: data.family_name,
    // Absent `active` reads as active: the documented examples all carry it, true.
    active: data.active !== false,
    groupIds: data.groups.map((g) => g.id),
  };
  // Groups named here that the mapping page has not seen yet (their group_created may be late or lost).
  await db.directoryGroup.createMany({
    data: data.groups.map((g) => ({ organizationId, id: g.id, displayName: g.name ?? g.id })),
    skipDuplicates: true,
  });
  // The directory mirror first: a mapping change made while this event's Scalekit calls run
  // re-applies roles to this user too (lib/directory/events.ts reapplyRoles reads these rows).
  const row = {
    email,
    name: [user.firstName, user.lastName].filter(Boolean).join(' ') || null,
    active: user.active,
    groupIds: [...user.groupIds],
  };
  await db.directoryUser.upsert({
    where: { organizationId_id: { organizationId, id: data.id } },
    create: { organizationId, id: data.id, ...row },
    update: row,
  });
  const result = await applyDirectoryState({
    organizationId,
    present: user.active ? [user] : [],
    removed: user.active ? [] : [email],
    joinAs: await joinModeOf(organizationId),
  });
  throwIfTransient(result);

  return db.$transaction(async (tx): Promise<WebhookOutcome> => {
    const inserted = await tx.processedWebhook.createMany({ data: [{ id: event.id, type: event.type }], skipDuplicates: true });
    if (inserted.count === 0) return 'duplicate';
    if (!(await lockIfNewer(tx, key, occurredAt))) return 'stale';
    await writeEntityVersion(tx, key, { at: occurredAt, deleted: false });
    return 'applied';
  }, TRANSACTION_OPTIONS);
}

async function userDeleted(event: WebhookEnvelope, data: z.infer<typeof deletedUserData>, occurredAt: Date): Promise<WebhookOutcome> {
  const organizationId = data.organization_id;
  if (await processed(db, event.id)) return 'duplicate';
  if (!(await organizationMirrored(organizationId))) return recordOnly(event, 'ignored');
  const key = directoryUserVersionKey(organizationId, data.id);
  if (!isNewer(await readEntityVersion(db, key), occurredAt)) return recordOnly(event, 'stale');
  const known = await db.directoryUser.findUnique({ where: { organizationId_id: { organizationId, id: data.id } } });
  const email = (data.email ?? known?.email ?? '').trim().toLowerCase();
  if (email) {
    const result = await applyDirectoryState({ organizationId, present: [], removed: [email], joinAs: 'MEMBERS' });
    throwIfTransient(result);
  }
  return db.$transaction(async (tx): Promise<WebhookOutcome> => {
    const inserted = await tx.processedWebhook.createMany({ data: [{ id: event.id, type: event.type }], skipDuplicates: true });
    if (inserted.count === 0) return 'duplicate';
    if (!(await lockIfNewer(tx, key, occurredAt))) return 'stale';
    await tx.directoryUser.deleteMany({ where: { organizationId, id: data.id } });
    // The tombstone: a user_updated older than this deletion may still be on its way.
    await writeEntityVersion(tx, key, { at: occurredAt, deleted: true });
    return 'applied';
  }, TRANSACTION_OPTIONS);
}

async function groupChanged(event: WebhookEnvelope, data: z.infer<typeof groupData>, occurredAt: Date): Promise<WebhookOutcome> {
  const organizationId = data.organization_id;
  if (await processed(db, event.id)) return 'duplicate';
  if (!(await organizationMirrored(organizationId))) return recordOnly(event, 'ignored');
  const key = groupVersionKey(organizationId, data.id);
  if (!isNewer(await readEntityVersion(db, key), occurredAt)) return recordOnly(event, 'stale');
  const deleted = event.type === 'organization.directory.group_deleted';

  const outcome = await db.$transaction(async (tx): Promise<WebhookOutcome> => {
    const inserted = await tx.processedWebhook.createMany({ data: [{ id: event.id, type: event.type }], skipDuplicates: true });
    if (inserted.count === 0) return 'duplicate';
    if (!(await lockIfNewer(tx, key, occurredAt))) return 'stale';
    if (deleted) {
      await tx.directoryGroup.deleteMany({ where: { organizationId, id: data.id } });
      // "Deleting a directory group removes it from every affected member" (_directory-events.mdx).
      await tx.$executeRaw`
        UPDATE "DirectoryUser" SET "groupIds" = array_remove("groupIds", ${data.id}), "updatedAt" = now()
        WHERE "organizationId" = ${organizationId} AND ${data.id} = ANY("groupIds")`;
    } else {
      const fields = { displayName: data.display_name ?? data.id, directoryId: data.directory_id ?? null };
      await tx.directoryGroup.upsert({
        where: { organizationId_id: { organizationId, id: data.id } },
        create: { organizationId, id: data.id, ...fields },
        update: fields,
      });
    }
    await writeEntityVersion(tx, key, { at: occurredAt, deleted });
    return 'applied';
  }, TRANSACTION_OPTIONS);

  // After the commit: the group's former members get the role their remaining groups give
  // ("recalculates each member's role from their remaining group memberships"). A failure here
  // is left to the next reconcile: the event itself is applied.
  if (deleted && outcome === 'applied') await reapplyRoles(organizationId);
  return outcome;
}

/** Every directory user the mirror knows gets the role their groups map to now (after a mapping change). */
export async function reapplyRoles(organizationId: string): Promise<ApplyResult> {
  const users = await db.directoryUser.findMany({ where: { organizationId, active: true } });
  return applyDirectoryState({
    organizationId,
    present: users.map((u) => {
      const [firstName, ...rest] = (u.name ?? '').split(' ');
      return {
        id: u.id,
        email: u.email,
        firstName: firstName || null,
        lastName: rest.join(' ') || null,
        active: true,
        groupIds: u.groupIds,
      };
    }),
    removed: [],
    joinAs: await joinModeOf(organizationId),
  });
}
