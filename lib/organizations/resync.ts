import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors/app-error';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import type { MembershipStatus, Prisma } from '@/lib/generated/prisma/client';
import { membershipIn, userFields, type ScalekitUserLike } from '@/lib/invitations/scalekit-membership';
import { errorForLog, log } from '@/lib/log';
import { describeScalekitError } from '@/lib/scalekit/errors';
import { refreshOrganizationRoles } from '@/lib/roles/catalogue';
import { getScalekit } from '@/lib/scalekit/client';
import { upsertMirrorUsers } from '@/lib/users/mirror-user';
import { membershipVersionKey, writeEntityVersion } from '@/lib/webhooks/entity-versions';

/**
 * "Re-sync from Scalekit": rebuild one organization's mirror from Scalekit, the source of truth.
 * For when webhooks were missed (endpoint down longer than Scalekit retries) or someone changed
 * members in the Scalekit dashboard.
 *
 * Everything is read first (every page of ListOrganizationUsers, the seat limit), then applied in
 * one transaction, so a Scalekit failure halfway through the listing changes nothing. Rows the
 * app is still creating (an invitation mid-send, or one that failed before reaching Scalekit)
 * are left alone: they are not in Scalekit yet, and the invitation service owns them.
 */

export interface ResyncResult {
  total: number;
  added: number;
  updated: number;
  removed: number;
  maxAllowedUsers: number | null;
}

const PAGE_SIZE = 100;
// A runaway pagination (a token that never ends) must not loop forever: 2,000 pages = 200k users.
const MAX_PAGES = 2_000;

async function listAllOrganizationUsers(organizationId: string): Promise<ScalekitUserLike[]> {
  const users: ScalekitUserLike[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await getScalekit().user.listOrganizationUsers(organizationId, { pageSize: PAGE_SIZE, pageToken });
    users.push(...(response.users as unknown as ScalekitUserLike[]));
    pageToken = response.nextPageToken || undefined;
    if (!pageToken) return users;
  }
  throw new AppError('scalekit_error', 'Scalekit kept returning more pages than any organization can have; nothing was changed.');
}

interface DesiredMembership {
  userId: string;
  email: string;
  name: string | null;
  role: string;
  permissions: string[];
  status: MembershipStatus;
  inviterEmail: string | null;
  invitedAt: Date | null;
  acceptedAt: Date | null;
  expiresAt: Date | null;
}

function samePermissions(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p) => b.includes(p));
}

function sameDate(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

export async function resyncOrganization(actor: Actor, organizationId: string, now: Date = new Date()): Promise<ResyncResult> {
  assertCan(actor, organizationId, 'org:settings');
  const org = await db.organization.findUnique({ where: { id: organizationId } });
  if (!org) throw new AppError('not_found', 'This organization is not known to Teamgate.');

  let users: ScalekitUserLike[];
  let maxAllowedUsers: number | null;
  try {
    const [listed, settings] = await Promise.all([
      listAllOrganizationUsers(organizationId),
      getScalekit().organization.getOrganizationUserManagementSetting(organizationId),
    ]);
    users = listed;
    maxAllowedUsers = settings.settings?.maxAllowedUsers ?? null;
  } catch (error) {
    if (error instanceof AppError) throw error;
    log.warn({ err: errorForLog(error), organizationId }, 'resync: reading Scalekit failed');
    const failure = describeScalekitError(error);
    throw new AppError(failure.code, `${failure.message} The re-sync changed nothing.`, { retryable: failure.retryable });
  }

  const desired = new Map<string, DesiredMembership>();
  const userRows = new Map<string, ReturnType<typeof userFields> & { id: string }>();
  for (const user of users) {
    const membership = membershipIn(user, organizationId);
    if (!membership) continue;
    const fields = userFields(user);
    userRows.set(user.id, { id: user.id, ...fields });
    desired.set(user.id, {
      userId: user.id,
      email: fields.email,
      name: fields.name,
      role: membership.role,
      permissions: membership.permissions,
      status: membership.status,
      inviterEmail: membership.inviterEmail?.toLowerCase() ?? null,
      invitedAt: membership.invitedAt,
      acceptedAt: membership.acceptedAt,
      expiresAt: membership.expiresAt,
    });
  }

  const result = await db.$transaction(
    async (tx) => {
      const counts = { added: 0, updated: 0, removed: 0 };
      // Before reading the memberships: retiring a deleted user's row (same email, older id) drops its copies.
      await upsertMirrorUsers(tx, [...userRows.values()]);
      const existing = await tx.membership.findMany({ where: { organizationId } });
      const byUserId = new Map(existing.filter((m) => m.userId).map((m) => [m.userId!, m]));
      const byEmail = new Map(existing.map((m) => [m.email, m]));

      const toCreate: Prisma.MembershipCreateManyInput[] = [];
      for (const want of desired.values()) {
        const have = byUserId.get(want.userId) ?? byEmail.get(want.email);
        if (!have) {
          toCreate.push({
            organizationId,
            ...want,
            syncState: 'SYNCED',
            lastSentAt: want.invitedAt,
            createdAt: want.invitedAt ?? now,
          });
          continue;
        }
        const differs =
          have.userId !== want.userId ||
          have.email !== want.email ||
          have.name !== want.name ||
          have.role !== want.role ||
          !samePermissions(have.permissions, want.permissions) ||
          have.status !== want.status ||
          have.syncState !== 'SYNCED' ||
          // Scalekit has no inviter for an API key's invitation: the mirror's record of the key stays.
          (want.inviterEmail !== null && have.inviterEmail !== want.inviterEmail) ||
          !sameDate(have.acceptedAt, want.acceptedAt) ||
          !sameDate(have.expiresAt, want.expiresAt);
        if (differs) {
          await tx.membership.update({
            where: { id: have.id },
            data: {
              userId: want.userId,
              email: want.email,
              name: want.name,
              role: want.role,
              permissions: want.permissions,
              status: want.status,
              inviterEmail: want.inviterEmail ?? have.inviterEmail,
              acceptedAt: want.acceptedAt,
              expiresAt: want.expiresAt,
              invitedAt: have.invitedAt ?? want.invitedAt,
              syncState: 'SYNCED',
              syncError: null,
            },
          });
          counts.updated++;
        }
      }
      if (toCreate.length) counts.added = (await tx.membership.createMany({ data: toCreate, skipDuplicates: true })).count;

      const keep = new Set([...desired.values()].flatMap((d) => [d.userId, d.email]));
      const gone = existing.filter((m) => m.syncState === 'SYNCED' && m.userId !== null && !keep.has(m.userId) && !keep.has(m.email));
      if (gone.length) {
        counts.removed = (await tx.membership.deleteMany({ where: { id: { in: gone.map((m) => m.id) } } })).count;
        // Late webhooks from before this moment must not bring the rows back.
        for (const m of gone) await writeEntityVersion(tx, membershipVersionKey(organizationId, m.userId!), { at: now, deleted: true });
      }

      await tx.organization.update({ where: { id: organizationId }, data: { maxAllowedUsers, syncedAt: now } });
      await recordAudit(
        {
          actor,
          organizationId,
          action: 'org.resynced',
          target: { type: 'organization', id: organizationId, label: org.name },
          metadata: { total: desired.size, ...counts, maxAllowedUsers },
        },
        tx,
      );
      return counts;
    },
    { maxWait: 10_000, timeout: 120_000 },
  );

  // The roles too (their permissions for organization roles come from the members just mirrored).
  // Best effort: the members are already right, and a stale list refreshes on its next read.
  await refreshOrganizationRoles(organizationId, now).catch(() => undefined);
  return { total: desired.size, ...result, maxAllowedUsers };
}
