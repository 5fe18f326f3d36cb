import { lockEntity, membershipVersionKey, readEntityVersion, writeEntityVersion } from '@/lib/webhooks/entity-versions';
import { ScalekitBadRequestException, ScalekitNotFoundException } from '@scalekit-sdk/node';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { type Membership, type Prisma } from '@/lib/generated/prisma/client';
import { errorForLog, log } from '@/lib/log';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { AppError } from '@/lib/errors/app-error';
import { inviteRateLimitError, reserveInvites } from './rate-limit';
import { isInvitationStatus, membershipIn, type ScalekitUserLike } from './scalekit-membership';
import { findOrgUserByEmail, loadOrganization, staleClaimAfterMs } from './invite';
import { certainlyUnchanged } from './scalekit-refusals';
import { effectiveStatus } from '@/lib/members/status';

/** A membership of THIS organization by id: an id from another org reads as not found. */
/** Resend and revoke audit the same way: the invitation's membership row is the target, named by its email. */
async function auditInvitation(
  tx: Prisma.TransactionClient,
  actor: Actor,
  organizationId: string,
  row: Membership,
  action: 'invitation.resent' | 'invitation.revoked',
  metadata: Prisma.InputJsonObject,
): Promise<void> {
  await recordAudit({ actor, organizationId, action, target: { type: 'membership', id: row.id, label: row.email }, metadata }, tx);
}

async function loadInvitation(organizationId: string, membershipId: string): Promise<Membership> {
  const row =
    typeof membershipId === 'string' && membershipId.length <= 64
      ? await db.membership.findFirst({ where: { id: membershipId, organizationId } })
      : null;
  if (!row) throw new AppError('invitation_not_found', 'That invitation does not exist in this organization.');
  return row;
}

/** One resend per invitation per this many seconds, counted from the last email (invitation or resend). */
export const RESEND_COOLDOWN_SECONDS = 60;

function resendTooSoon(waitSeconds: number): AppError {
  const wait = `${waitSeconds} ${waitSeconds === 1 ? 'second' : 'seconds'}`;
  return new AppError('resend_too_soon', `This invitation was sent less than a minute ago. You can resend it in ${wait}.`, {
    retryAfter: waitSeconds,
  });
}

/**
 * Claim the right to resend: one conditional UPDATE moves lastSentAt to now only if the last
 * email went out at least a cooldown ago. Concurrent resends of one invitation (double clicks,
 * two admins, a retrying script, other instances) queue on the row lock and re-check the
 * condition against the winner's new lastSentAt, so exactly one passes. The database clock is
 * the only clock, for the claim and for the wait it reports.
 */
async function claimResend(row: Membership): Promise<Date> {
  const claimed = await db.$queryRaw<Array<{ lastSentAt: Date }>>`
    UPDATE "Membership" SET "lastSentAt" = now()
    WHERE "id" = ${row.id}
      AND ("lastSentAt" IS NULL OR "lastSentAt" <= now() - make_interval(secs => ${RESEND_COOLDOWN_SECONDS}))
    RETURNING "lastSentAt"`;
  if (claimed[0]) return claimed[0].lastSentAt;
  const [current] = await db.$queryRaw<Array<{ wait: number }>>`
    SELECT GREATEST(1, CEIL(EXTRACT(EPOCH FROM ("lastSentAt" + make_interval(secs => ${RESEND_COOLDOWN_SECONDS}) - now()))))::int AS "wait"
    FROM "Membership" WHERE "id" = ${row.id}`;
  if (!current) throw new AppError('invitation_not_found', 'That invitation does not exist in this organization.');
  throw resendTooSoon(current.wait);
}

/** Nothing was sent after all: hand the cooldown back, unless another resend has claimed it since. */
async function releaseResend(row: Membership, claimedAt: Date): Promise<void> {
  await db.membership.updateMany({ where: { id: row.id, lastSentAt: claimedAt }, data: { lastSentAt: row.lastSentAt } });
}

/**
 * Send the invitation email again with a fresh expiry. A resend is an email to a stranger like
 * an invitation, so it is charged to the same budgets (per sender, per organization), and each
 * invitation can be resent once a minute. Refusals (cooldown, budget) send nothing; the cooldown
 * is checked first so that a refused resend costs no budget.
 */
export async function resendInvitation(actor: Actor, organizationId: string, membershipId: string): Promise<Membership> {
  assertCan(actor, organizationId, 'members:invite');
  const row = await loadInvitation(organizationId, membershipId);
  if (row.syncState !== 'SYNCED' || !row.userId) {
    throw new AppError('in_progress', 'This invitation has not reached Scalekit yet. Invite the address again to retry it.');
  }
  if (!isInvitationStatus(effectiveStatus(row))) {
    throw new AppError('not_pending', `${row.email} has already joined; there is no invitation to resend.`);
  }
  const org = await loadOrganization(organizationId);
  const claimedAt = await claimResend(row);
  let invite;
  try {
    const budget = await reserveInvites(actor, organizationId, 1);
    if (budget.granted < 1) throw inviteRateLimitError(budget, org.name);
    invite = (await getScalekit().user.resendInvite(organizationId, row.userId)).invite;
  } catch (error) {
    const failure =
      error instanceof AppError
        ? error
        : error instanceof ScalekitBadRequestException && (await joinedAtScalekit(organizationId, row.userId))
          ? new AppError('not_pending', `${row.email} has already joined; there is no invitation to resend.`)
          : ScalekitCallError.from(error);
    // A timeout or a server error may have sent the email: then the cooldown stands.
    if (!(failure instanceof ScalekitCallError) || certainlyUnchanged(failure.code)) await releaseResend(row, claimedAt);
    throw failure;
  }
  return db.$transaction(async (tx) => {
    const updated = await tx.membership.update({
      where: { id: row.id },
      data: {
        status: 'PENDING_INVITE',
        expiresAt: invite?.expiresAt ? new Date(Number(invite.expiresAt.seconds) * 1000) : row.expiresAt,
        resentCount: invite?.resentCount ?? row.resentCount + 1,
        lastSentAt: claimedAt,
      },
    });
    await auditInvitation(tx, actor, organizationId, row, 'invitation.resent', { resentCount: updated.resentCount });
    return updated;
  });
}

/**
 * After Scalekit refused a resend as invalid: is it because the person accepted meanwhile (our
 * mirror has not heard yet)? Asked of Scalekit rather than read from its error string, which it
 * does not document (lib/invitations/scalekit-refusals.ts). A failed lookup answers "no": the
 * caller then reports Scalekit's refusal as it is.
 */
async function joinedAtScalekit(organizationId: string, userId: string): Promise<boolean> {
  try {
    const current = membershipIn((await getScalekit().user.getUser(userId)).user as ScalekitUserLike, organizationId);
    return current !== null && !isInvitationStatus(current.status);
  } catch {
    return false;
  }
}

/** Withdraw an invitation: the membership goes in Scalekit, then in the mirror. */
export async function revokeInvitation(actor: Actor, organizationId: string, membershipId: string): Promise<void> {
  assertCan(actor, organizationId, 'members:invite');
  const row = await loadInvitation(organizationId, membershipId);
  if (row.syncState === 'SENDING' && Date.now() - row.updatedAt.getTime() <= staleClaimAfterMs()) {
    throw new AppError('in_progress', 'This invitation is being sent right now. Try again in a moment.');
  }
  if (row.syncState === 'SYNCED' && !isInvitationStatus(effectiveStatus(row))) {
    throw new AppError('not_an_invitation', `${row.email} has already joined; remove the member instead.`);
  }
  const scalekit = getScalekit();
  try {
    // A FAILED row may or may not exist in Scalekit: look it up by email before deciding.
    const userId = row.userId ?? (await findOrgUserByEmail(organizationId, row.email))?.id;
    if (userId) {
      if (row.syncState !== 'SYNCED') {
        const current = membershipIn((await scalekit.user.getUser(userId)).user as ScalekitUserLike, organizationId);
        if (current && !isInvitationStatus(current.status)) {
          throw new AppError('not_an_invitation', `${row.email} has already joined; remove the member instead.`);
        }
      }
      await scalekit.user.deleteMembership(organizationId, userId);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // Already gone in Scalekit: finish the job on our side.
    if (!(error instanceof ScalekitNotFoundException)) throw ScalekitCallError.from(error);
    log.info({ organizationId, membershipId, error: errorForLog(error) }, 'invitation already absent in Scalekit');
  }
  const revokedUserId = row.userId;
  await db.$transaction(async (tx) => {
    if (revokedUserId) {
      // Leave a tombstone (as removeMember does) so a late user.organization_membership_created/updated webhook
      // sent before the revoke cannot bring the invitation back.
      const key = membershipVersionKey(organizationId, revokedUserId);
      await lockEntity(tx, key);
      const previous = await readEntityVersion(tx, key);
      await writeEntityVersion(tx, key, { at: new Date(Math.max(Date.now(), (previous?.at.getTime() ?? 0) + 1)), deleted: true });
    }
    await tx.membership.deleteMany({ where: { id: row.id, organizationId } });
    await auditInvitation(tx, actor, organizationId, row, 'invitation.revoked', { role: row.role });
  });
}
