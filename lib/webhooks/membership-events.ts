import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { membershipIn, userFields, type MirroredMembership, type ScalekitUserLike } from '@/lib/invitations/scalekit-membership';
import { getScalekit } from '@/lib/scalekit/client';
import { upsertMirrorUsers } from '@/lib/users/mirror-user';
import { lockIfNewer, membershipVersionKey, writeEntityVersion } from '@/lib/webhooks/entity-versions';
import type { MembershipEventData } from '@/lib/webhooks/payloads';
import { webhookActor, type AfterCommit, type DeletionHandler, type WebhookOutcome } from '@/lib/webhooks/outcome';

/**
 * user.organization_invitation, user.organization_membership_created|updated|deleted and
 * user.signup: the membership lifecycle as Scalekit documents it (openapi/scalekit.yaml
 * `webhooks:`). Their payload names the organization and the user only, so the membership itself
 * (status, roles, invitation dates) is read from Scalekit when the event arrives. Reading the
 * current state also makes a late or repeated event harmless: it can only write what Scalekit
 * holds now. The per-membership version (lib/webhooks/entity-versions) still keeps an event older
 * than one already applied, or than a deletion, from being applied at all.
 */

/** What Scalekit holds for this person now, read before the transaction (a network call). */
export interface MembershipSnapshot {
  /** Null when Scalekit has no such user (deleted since) or they are no member of the organization. */
  membership: MirroredMembership | null;
  user: ReturnType<typeof userFields> | null;
}

export async function readMembershipSnapshot(data: MembershipEventData): Promise<MembershipSnapshot> {
  await ensureOrganizationMirrored(data.organization.id);
  let user: ScalekitUserLike | undefined;
  try {
    user = (await getScalekit().user.getUser(data.user.id)).user as unknown as ScalekitUserLike | undefined;
  } catch (error) {
    if (error instanceof ScalekitNotFoundException) return { membership: null, user: null };
    throw error;
  }
  if (!user) return { membership: null, user: null };
  return { membership: membershipIn(user, data.organization.id), user: userFields(user) };
}

/**
 * A membership event can be the first news of an organization (created in the Scalekit dashboard,
 * its organization.created still in flight): fetch it from Scalekit so the membership has a row
 * to hang on. A failure is a 500 and Scalekit retries the event.
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

export async function applyMembershipChange(
  tx: Prisma.TransactionClient,
  data: MembershipEventData,
  snapshot: MembershipSnapshot,
  occurredAt: Date,
  after: AfterCommit,
): Promise<WebhookOutcome> {
  if (!snapshot.membership || !snapshot.user) {
    // Gone from Scalekit since the event was sent: what holds now is "no membership".
    return applyMembershipDeleted(tx, data, occurredAt, after);
  }
  const organizationId = data.organization.id;
  const userId = data.user.id;
  const { membership: m, user: fresh } = snapshot;
  const email = fresh.email;
  const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
  if (!org) return 'ignored';

  const key = membershipVersionKey(organizationId, userId);
  if (!(await lockIfNewer(tx, key, occurredAt))) return 'stale';

  const sending = await tx.membership.findFirst({ where: { organizationId, syncState: 'SENDING', OR: [{ userId }, { email }] } });
  // An invitation mid-send belongs to the invitation service, which writes Scalekit's answer itself.
  if (sending) return 'ignored';
  // Read from Scalekit just now, so another row holding this email is a user Scalekit deleted
  // (a removed person invited again gets a new id): lib/users/mirror-user.ts retires it.
  await upsertMirrorUsers(tx, [{ id: userId, ...fresh }]);
  // After the user write: retiring an old holder of the email removes its memberships.
  const existing = await tx.membership.findFirst({ where: { organizationId, OR: [{ userId }, { email }] } });

  const fields = {
    userId,
    email,
    name: fresh.name,
    role: m.role,
    permissions: m.permissions,
    status: m.status,
    // Scalekit knows an inviter only when we sent one; an invitation from an API key records the
    // key's name on our side (lib/invitations/invite.ts), which no event may erase.
    ...(m.inviterEmail ? { inviterEmail: m.inviterEmail.toLowerCase() } : {}),
    acceptedAt: m.acceptedAt,
    expiresAt: m.expiresAt,
    syncState: 'SYNCED' as const,
    syncError: null,
  };
  const invitedAt = m.status === 'ACTIVE' ? null : (m.invitedAt ?? occurredAt);
  const createData = {
    organizationId,
    inviterEmail: null,
    ...fields,
    invitedAt,
    lastSentAt: invitedAt,
    createdAt: m.invitedAt ?? occurredAt,
  };
  const inserted = existing ? 0 : (await tx.membership.createMany({ data: [createData], skipDuplicates: true })).count;
  const previous =
    existing ?? (inserted ? null : await tx.membership.findFirst({ where: { organizationId, OR: [{ userId }, { email }] } }));
  let auditAction: 'invitation.accepted' | 'member.joined' | null = null;
  let membershipId: string | null = null;
  if (previous) {
    await tx.membership.update({ where: { id: previous.id }, data: fields });
    membershipId = previous.id;
    if (m.status === 'ACTIVE' && previous.status !== 'ACTIVE') {
      auditAction = previous.status === 'PENDING_INVITE' || previous.status === 'INVITE_EXPIRED' ? 'invitation.accepted' : 'member.joined';
    }
  } else if (inserted) {
    membershipId = (await tx.membership.findFirst({ where: { organizationId, userId }, select: { id: true } }))?.id ?? null;
    if (m.status === 'ACTIVE') auditAction = 'member.joined';
  }
  if (auditAction) {
    await recordAudit(
      {
        actor: webhookActor(organizationId),
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

export const applyMembershipDeleted: DeletionHandler<MembershipEventData> = async (tx, data, occurredAt, after) => {
  const organizationId = data.organization.id;
  const userId = data.user.id;
  const key = membershipVersionKey(organizationId, userId);
  if (!(await lockIfNewer(tx, key, occurredAt))) return 'stale';

  const existing = await tx.membership.findFirst({ where: { organizationId, userId } });
  if (existing && existing.syncState !== 'SENDING') {
    // deleteMany: the app's own removal may have deleted the row a moment ago.
    const { count } = await tx.membership.deleteMany({ where: { id: existing.id } });
    after.revokeSessions.push({ userId, organizationId });
    if (count) {
      await recordAudit(
        {
          actor: webhookActor(organizationId),
          organizationId,
          action: 'member.removed',
          target: { type: 'membership', id: existing.id, label: existing.email },
        },
        tx,
      );
    }
  }
  // The tombstone is written even with no row: a created/updated event older than this deletion
  // may still be on its way.
  const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
  if (org) await writeEntityVersion(tx, key, { at: occurredAt, deleted: true });
  return existing ? 'applied' : 'ignored';
};
