import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import type { Actor, RequestMeta } from '@/lib/auth/actor';
import { grantedPermissions } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import { nameSchema } from '@/lib/invitations/schemas';
import { errorForLog, log } from '@/lib/log';
import {
  endMembershipInMirror,
  lockOrganizationMembers,
  managesMembers,
  otherActiveAdmins,
  TRANSACTION_OPTIONS,
} from '@/lib/members/service';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { revokeUserSessions } from '@/lib/session/store';
import { retiredEmail } from '@/lib/users/mirror-user';
import { lockEntity, membershipVersionKey } from '@/lib/webhooks/entity-versions';

/**
 * The signed-in person acting on their own account (app/account): editing their name and deleting
 * the account. Not scoped to one organization, so not an Actor; each organization's audit event
 * gets an Actor built from the membership there.
 */
export interface AccountHolder {
  userId: string;
  email: string;
  sessionId: string;
  request?: RequestMeta;
}

export interface NameInput {
  firstName: unknown;
  lastName: unknown;
}

function checkName(input: NameInput): { firstName: string; lastName: string } {
  const fields: Record<string, string> = {};
  const first = nameSchema.safeParse(input.firstName ?? '');
  const last = nameSchema.safeParse(input.lastName ?? '');
  if (!first.success) fields.firstName = first.error.issues[0]!.message;
  if (!last.success) fields.lastName = last.error.issues[0]!.message;
  if (first.success && !first.data) fields.firstName = 'Enter your first name.';
  if (Object.keys(fields).length) throw new AppError('invalid_input', Object.values(fields)[0], { fields });
  return { firstName: first.data!, lastName: (last.success && last.data) || '' };
}

/**
 * Change one's own name: Scalekit first (UpdateUser user_profile first_name / last_name: the
 * OpenAPI document prefers given_name / family_name, but SDK 2.11's UpdateUserRequest exposes
 * only these two, and Scalekit reads them as the same fields), then the mirror's
 * User row and the name copies on the memberships from Scalekit's answer. A refusal or outage at
 * Scalekit throws before anything here changes.
 */
export async function updateOwnName(holder: AccountHolder, input: NameInput): Promise<{ name: string | null; changed: boolean }> {
  const { firstName, lastName } = checkName(input);
  const user = await db.user.findUnique({ where: { id: holder.userId }, select: { firstName: true, lastName: true, name: true } });
  if (!user) throw new AppError('not_found', 'Your account was not found. Sign in again.');
  if ((user.firstName ?? '') === firstName && (user.lastName ?? '') === lastName) return { name: user.name, changed: false };

  try {
    await getScalekit().user.updateUser(holder.userId, { userProfile: { firstName, lastName } });
  } catch (error) {
    log.warn({ err: errorForLog(error), userId: holder.userId }, 'scalekit updateUser failed');
    throw ScalekitCallError.from(error);
  }
  // What Scalekit accepted, in the mirror's shape (lib/invitations/scalekit-membership.ts userFields).
  const fields = { firstName, lastName: lastName || null, name: [firstName, lastName].filter(Boolean).join(' ') };
  await db.$transaction([
    db.user.update({
      where: { id: holder.userId },
      data: { firstName: fields.firstName, lastName: fields.lastName, name: fields.name },
    }),
    db.membership.updateMany({ where: { userId: holder.userId }, data: { name: fields.name } }),
  ]);
  return { name: fields.name, changed: true };
}

/** What the person must type to confirm the deletion: their own email address. */
export function deletionConfirmed(holder: AccountHolder, typed: unknown): boolean {
  return typeof typed === 'string' && typed.trim().toLowerCase() === holder.email.toLowerCase();
}

export interface DeletedAccount {
  /** Organizations the person was a member of (or invited to), by name */
  organizations: string[];
  revokedSessions: number;
}

/**
 * Delete one's own account. Refused, with nothing changed, while the person is the last member
 * who can manage members in any organization (the rule leave and remove follow). Otherwise, in
 * one transaction holding each organization's member lock (taken in id order, so two deletions
 * cannot deadlock): Scalekit's DeleteUser (a user Scalekit no longer has counts as done, so a
 * retry after a crash finishes the job), then per organization what a removal does — the
 * mirror row with its tombstone, the API keys they created revoked, a member.account_deleted
 * audit event — and the User row retired (email parked under `.invalid`, names cleared; the id
 * stays so audit events still resolve). After the commit every session of theirs ends.
 */
export async function deleteOwnAccount(holder: AccountHolder, confirmation: unknown): Promise<DeletedAccount> {
  if (!deletionConfirmed(holder, confirmation)) {
    throw new AppError('confirmation_mismatch', `Type your email address, ${holder.email}, to confirm.`, { field: 'confirmation' });
  }
  const organizations = await db.$transaction(async (tx) => {
    const orgIds = (await tx.membership.findMany({ where: { userId: holder.userId }, select: { organizationId: true } }))
      .map((m) => m.organizationId)
      .sort();
    for (const orgId of orgIds) await lockOrganizationMembers(tx, orgId);
    const memberships = await tx.membership.findMany({
      where: { userId: holder.userId, organizationId: { in: orgIds } },
      include: { organization: { select: { name: true } } },
      orderBy: { organizationId: 'asc' },
    });
    for (const m of memberships) await lockEntity(tx, membershipVersionKey(m.organizationId, holder.userId));

    const lastAdminOf: string[] = [];
    for (const m of memberships) {
      if (managesMembers(m) && (await otherActiveAdmins(tx, m.organizationId, m.id)) === 0) lastAdminOf.push(m.organization.name);
    }
    if (lastAdminOf.length) {
      throw new AppError(
        'last_admin',
        `You are the last admin of ${lastAdminOf.join(', ')} (the last member whose role can manage members). Make someone else an admin there first, so no organization is left without one; then delete your account.`,
      );
    }

    try {
      await getScalekit().user.deleteUser(holder.userId);
    } catch (error) {
      if (!(error instanceof ScalekitNotFoundException)) {
        log.warn({ err: errorForLog(error), userId: holder.userId }, 'scalekit deleteUser failed');
        throw ScalekitCallError.from(error);
      }
    }

    for (const m of memberships) {
      const actor: Actor = {
        kind: 'user',
        userId: holder.userId,
        email: holder.email,
        name: null,
        organizationId: m.organizationId,
        role: m.role,
        permissions: grantedPermissions(m.permissions),
        sessionId: holder.sessionId,
        ...(holder.request ? { request: holder.request } : {}),
      };
      await endMembershipInMirror(tx, actor, { ...m, userId: holder.userId }, 'member.account_deleted');
    }
    await tx.user.update({
      where: { id: holder.userId },
      data: { email: retiredEmail(holder.userId), firstName: null, lastName: null, name: null, externalId: null },
    });
    return memberships.map((m) => m.organization.name);
  }, TRANSACTION_OPTIONS);

  const revokedSessions = await revokeUserSessions(holder.userId, { reason: 'account_deleted' });
  log.info({ userId: holder.userId, organizations: organizations.length, revokedSessions }, 'account deleted');
  return { organizations, revokedSessions };
}
