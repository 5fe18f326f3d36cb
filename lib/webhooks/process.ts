import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import type { MembershipStatus, Prisma } from '@/lib/generated/prisma/client';
import { mirrorRole } from '@/lib/organizations/resync';
import { getScalekit } from '@/lib/scalekit/client';
import { revokeUserSessions } from '@/lib/session/store';
import { isNewer, lockEntity, membershipVersionKey, readEntityVersion, writeEntityVersion } from '@/lib/webhooks/entity-versions';
import type { WebhookEnvelope } from '@/lib/webhooks/verify';

/**
 * Applies a verified Scalekit event to the mirror.
 *
 * Exactly once per event id: the ProcessedWebhook row is inserted in the same transaction as the
 * mirror change, so a redelivery (Scalekit retries until it sees a 2xx) finds the id and does
 * nothing, and a crash before commit leaves neither, so the retry applies it. Two deliveries of
 * one id at the same moment serialise on the primary key; the second sees a duplicate.
 *
 * Out of order safe: each membership remembers the time of the newest event applied to it (and a
 * tombstone when deleted), so an older event arriving late is skipped (lib/webhooks/entity-versions).
 */

export type WebhookOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored';

/**
 * Scalekit delivers events in bursts (a bulk invite of hundreds sends as many at once). With
 * Prisma's default 2 s to start a transaction, the ones queued behind the pool got a 500 and
 * waited for Scalekit's retry; like the members service, wait for a connection instead.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

const WEBHOOK_ACTOR = (organizationId: string): Actor => ({ kind: 'system', label: 'Scalekit webhook', organizationId, role: 'admin' });

const nullableString = z
  .string()
  .nullish()
  .transform((v) => v || null);
const nullableDate = z.iso
  .datetime({ offset: true })
  .nullish()
  .transform((v) => (v ? new Date(v) : null));

const userEventSchema = z.object({
  user: z.object({
    id: z.string().min(1),
    email: z.string().min(3).max(320),
    first_name: nullableString,
    last_name: nullableString,
    name: nullableString,
    external_id: nullableString,
  }),
});

const organizationEventSchema = z.object({
  organization: z.object({
    id: z.string().min(1),
    name: z.string().min(1).max(200),
    external_id: nullableString,
    max_allowed_users: z.number().int().positive().nullish(),
  }),
});

const membershipStatusSchema = z.enum(['ACTIVE', 'INACTIVE', 'PENDING_INVITE', 'INVITE_EXPIRED']);

const membershipEventSchema = z.object({
  organization_id: z.string().min(1),
  user_id: z.string().min(1),
  email: z.string().min(3).max(320),
  membership: z.object({
    status: membershipStatusSchema,
    roles: z.array(z.string()).default([]),
    inviter_email: nullableString,
    created_at: nullableDate,
    accepted_at: nullableDate,
    expires_at: nullableDate,
  }),
});

const membershipDeletedSchema = z.object({
  organization_id: z.string().min(1),
  user_id: z.string().min(1),
  email: z.string().optional(),
});

/** Thrown for a signed event whose data does not have the documented shape (400, not retried). */
export class WebhookDataError extends Error {
  readonly status = 400;
  constructor(type: string) {
    super(`The ${type} event's data does not have the expected shape.`);
    this.name = 'WebhookDataError';
  }
}

function parseData<T>(schema: z.ZodType<T>, event: WebhookEnvelope): T {
  const parsed = schema.safeParse(event.data);
  if (!parsed.success) throw new WebhookDataError(event.type);
  return parsed.data;
}

interface AfterCommit {
  revokeSessions?: { userId: string; organizationId: string };
}

/**
 * A membership event can be the first news of an organization (created in the Scalekit dashboard,
 * or its own organization.updated still in flight): fetch it from Scalekit so the membership has
 * a row to hang on. Outside the transaction, since it is a network call; a failure is a 500 and
 * Scalekit retries the event.
 */
async function ensureOrganizationMirrored(organizationId: string): Promise<void> {
  if (await db.organization.findUnique({ where: { id: organizationId }, select: { id: true } })) return;
  const scalekit = getScalekit();
  let organization;
  let settings;
  try {
    [{ organization }, settings] = await Promise.all([
      scalekit.organization.getOrganization(organizationId),
      scalekit.organization.getOrganizationUserManagementSetting(organizationId),
    ]);
  } catch (error) {
    // Deleted since: the event is then ignored like any for an unknown organization.
    if (error instanceof ScalekitNotFoundException) return;
    throw error;
  }
  if (!organization) return;
  // Several events for a new organization arrive at once: insert-if-absent, never a racing upsert.
  await db.organization.createMany({
    data: [
      {
        id: organizationId,
        name: organization.displayName || organizationId,
        externalId: organization.externalId || null,
        maxAllowedUsers: settings.settings?.maxAllowedUsers ?? null,
      },
    ],
    skipDuplicates: true,
  });
}

export async function processScalekitEvent(event: WebhookEnvelope): Promise<WebhookOutcome> {
  const occurredAt = new Date(event.occurred_at);
  const after: AfterCommit = {};
  if (event.type === 'membership.created' || event.type === 'membership.updated') {
    const orgId = (event.data as { organization_id?: unknown }).organization_id;
    if (typeof orgId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(orgId)) {
      const seen = await db.processedWebhook.findUnique({ where: { id: event.id }, select: { id: true } });
      if (!seen) await ensureOrganizationMirrored(orgId);
    }
  }
  const outcome = await db.$transaction(async (tx) => {
    const inserted = await tx.processedWebhook.createMany({
      data: [{ id: event.id, type: event.type.slice(0, 128) }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return 'duplicate' as const;

    switch (event.type) {
      case 'user.created':
      case 'user.updated':
        return applyUser(tx, parseData(userEventSchema, event));
      case 'organization.updated':
        return applyOrganization(tx, parseData(organizationEventSchema, event));
      case 'membership.created':
      case 'membership.updated':
        return applyMembership(tx, parseData(membershipEventSchema, event), occurredAt);
      case 'membership.deleted':
        return applyMembershipDeleted(tx, parseData(membershipDeletedSchema, event), occurredAt, after);
      default:
        // Recorded as processed all the same: Scalekit need not retry what we do not use.
        return 'ignored' as const;
    }
  }, TRANSACTION_OPTIONS);
  if (after.revokeSessions) {
    await revokeUserSessions(after.revokeSessions.userId, {
      organizationId: after.revokeSessions.organizationId,
      reason: 'member_removed',
    });
  }
  return outcome;
}

async function applyUser(tx: Prisma.TransactionClient, data: z.infer<typeof userEventSchema>): Promise<WebhookOutcome> {
  const { user } = data;
  const email = user.email.toLowerCase();
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.name || null;
  const fields = { email, firstName: user.first_name, lastName: user.last_name, name, externalId: user.external_id };
  // The email is unique in the mirror: another row holding it is stale (that user was deleted).
  const clash = await tx.user.findUnique({ where: { email } });
  if (clash && clash.id !== user.id) return 'ignored';
  // user.created and a membership event for the same person can be applied at the same moment.
  await tx.user.createMany({ data: [{ id: user.id, ...fields }], skipDuplicates: true });
  await tx.user.update({ where: { id: user.id }, data: fields });
  await tx.membership.updateMany({ where: { userId: user.id }, data: { email, name } });
  return 'applied';
}

async function applyOrganization(tx: Prisma.TransactionClient, data: z.infer<typeof organizationEventSchema>): Promise<WebhookOutcome> {
  const { organization: org } = data;
  const fields = { name: org.name, externalId: org.external_id, maxAllowedUsers: org.max_allowed_users ?? null };
  await tx.organization.upsert({ where: { id: org.id }, create: { id: org.id, ...fields }, update: fields });
  return 'applied';
}

async function applyMembership(
  tx: Prisma.TransactionClient,
  data: z.infer<typeof membershipEventSchema>,
  occurredAt: Date,
): Promise<WebhookOutcome> {
  const organizationId = data.organization_id;
  const userId = data.user_id;
  const email = data.email.toLowerCase();
  const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
  if (!org) return 'ignored';

  const key = membershipVersionKey(organizationId, userId);
  await lockEntity(tx, key);
  if (!isNewer(await readEntityVersion(tx, key), occurredAt)) return 'stale';

  const existing = await tx.membership.findFirst({ where: { organizationId, OR: [{ userId }, { email }] } });
  // An invitation mid-send belongs to the invitation service, which writes Scalekit's answer itself.
  if (existing?.syncState === 'SENDING') return 'ignored';

  let user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, name: true } });
  if (!user) {
    // Another row holding this email belongs to a different (deleted) user: leave it to a re-sync.
    // The same user may have been inserted a moment ago by a concurrent user.created.
    await tx.user.createMany({ data: [{ id: userId, email }], skipDuplicates: true });
    user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, name: true } });
    if (!user) return 'ignored';
  }

  const m = data.membership;
  const status: MembershipStatus = m.status;
  const fields = {
    userId,
    email,
    role: mirrorRole(m.roles),
    status,
    // Scalekit knows an inviter only when we sent one; an invitation from an API key records the
    // key's name on our side (lib/invitations/service.ts inviterFields), which no event may erase.
    ...(m.inviter_email ? { inviterEmail: m.inviter_email.toLowerCase() } : {}),
    acceptedAt: m.accepted_at,
    expiresAt: m.expires_at,
    syncState: 'SYNCED' as const,
    syncError: null,
  };
  const createData = {
    organizationId,
    inviterEmail: null,
    ...fields,
    name: user.name,
    invitedAt: status === 'ACTIVE' ? null : (m.created_at ?? occurredAt),
    lastSentAt: status === 'ACTIVE' ? null : (m.created_at ?? occurredAt),
    createdAt: m.created_at ?? occurredAt,
  };
  // Insert-if-absent: a concurrent event for the same person may create the row after we looked.
  const inserted = existing ? 0 : (await tx.membership.createMany({ data: [createData], skipDuplicates: true })).count;
  const previous =
    existing ?? (inserted ? null : await tx.membership.findFirst({ where: { organizationId, OR: [{ userId }, { email }] } }));
  let auditAction: 'invitation.accepted' | 'member.joined' | null = null;
  let membershipId: string | null = null;
  if (previous) {
    await tx.membership.update({ where: { id: previous.id }, data: fields });
    membershipId = previous.id;
    if (status === 'ACTIVE' && previous.status !== 'ACTIVE') {
      auditAction = previous.status === 'PENDING_INVITE' || previous.status === 'INVITE_EXPIRED' ? 'invitation.accepted' : 'member.joined';
    }
  } else if (inserted) {
    membershipId = (await tx.membership.findFirst({ where: { organizationId, userId }, select: { id: true } }))?.id ?? null;
    if (status === 'ACTIVE') auditAction = 'member.joined';
  }
  if (auditAction) {
    await recordAudit(
      {
        actor: WEBHOOK_ACTOR(organizationId),
        organizationId,
        action: auditAction,
        target: { type: 'membership', id: membershipId, label: email },
      },
      tx,
    );
  }
  await writeEntityVersion(tx, key, { at: occurredAt, deleted: false });
  return 'applied';
}

async function applyMembershipDeleted(
  tx: Prisma.TransactionClient,
  data: z.infer<typeof membershipDeletedSchema>,
  occurredAt: Date,
  after: AfterCommit,
): Promise<WebhookOutcome> {
  const organizationId = data.organization_id;
  const userId = data.user_id;
  const key = membershipVersionKey(organizationId, userId);
  await lockEntity(tx, key);
  if (!isNewer(await readEntityVersion(tx, key), occurredAt)) return 'stale';

  const existing = await tx.membership.findFirst({ where: { organizationId, userId } });
  if (existing && existing.syncState !== 'SENDING') {
    // deleteMany: the app's own removal may have deleted the row a moment ago.
    await tx.membership.deleteMany({ where: { id: existing.id } });
    after.revokeSessions = { userId, organizationId };
  }
  // The tombstone is written even with no row: a created/updated event older than this deletion
  // may still be on its way.
  const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
  if (org) await writeEntityVersion(tx, key, { at: occurredAt, deleted: true });
  return existing ? 'applied' : 'ignored';
}
