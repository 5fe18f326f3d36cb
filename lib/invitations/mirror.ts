import type { Actor } from '@/lib/auth/actor';
import { recordAudits } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { Prisma, type Membership, type Organization } from '@/lib/generated/prisma/client';
import { upsertMirrorUsers, type MirrorUserInput } from '@/lib/users/mirror-user';
import { userFields, type ScalekitUserLike } from './scalekit-membership';
import type { InviteOptions, SentInvite } from './invite';

/**
 * Who sent an invitation, as the mirror row records it. Membership.inviterEmail is the team
 * page's "Invited by" text, not strictly an address: for a person it is their email (the same
 * value Scalekit stores and sends back in webhooks and re-syncs); an API key has no address, so
 * it is the key's name as `API key “HR sync”`, and invitedByUserId stays null (it only ever holds
 * a User id). The system actor (seed, webhooks) records nobody.
 */
export function inviterFields(actor: Actor): { invitedByUserId: string | null; inviterEmail: string | null } {
  switch (actor.kind) {
    case 'user':
      return { invitedByUserId: actor.userId, inviterEmail: actor.email };
    case 'api_key':
      return { invitedByUserId: null, inviterEmail: `API key “${actor.label}”`.slice(0, 200) };
    default:
      return { invitedByUserId: null, inviterEmail: null };
  }
}

/** Drop a claim when Scalekit certainly created nothing; the address is free again. */
export async function release(claim: Membership): Promise<void> {
  await db.membership.deleteMany({ where: { id: claim.id, syncState: 'SENDING' } });
}

export async function markFailed(claim: Membership, message: string, extra: Prisma.MembershipUncheckedUpdateManyInput = {}): Promise<void> {
  await db.membership.updateMany({ where: { id: claim.id }, data: { syncState: 'FAILED', syncError: message, ...extra } });
}

/**
 * The mirror half: the claimed rows become SYNCED copies of what Scalekit holds, with their
 * users and one invitation.created audit event each, in ONE transaction, so a batch of sent
 * invitations costs a handful of queries instead of a handful per row. `also` runs inside the
 * same transaction (bulk marks its rows INVITED there, so "invited" and SYNCED commit together).
 */
export async function finishInvites(
  actor: Actor,
  org: Organization,
  sent: SentInvite[],
  options: InviteOptions,
  also?: (tx: Prisma.TransactionClient) => Promise<unknown>,
): Promise<Membership[]> {
  if (!sent.length) return [];
  const now = new Date();
  return db.$transaction(async (tx) => {
    await upsertUsers(
      sent.map((s) => s.user),
      tx,
    );
    const updated: Membership[] = [];
    for (const s of sent) {
      updated.push(
        await tx.membership.update({
          where: { id: s.claim.id },
          data: {
            userId: s.user.id,
            role: s.role,
            permissions: s.membership.permissions,
            status: s.membership.status,
            syncState: 'SYNCED',
            syncError: null,
            name: s.input.name ?? userFields(s.user).name ?? s.claim.name,
            invitedAt: s.membership.invitedAt ?? s.claim.invitedAt ?? now,
            expiresAt: s.membership.expiresAt,
            acceptedAt: s.membership.acceptedAt,
            ...(s.outcome === 'invited' ? { lastSentAt: now, ...inviterFields(actor) } : {}),
          },
        }),
      );
    }
    const audits = sent.flatMap((s, i) =>
      s.outcome === 'invited'
        ? [
            {
              actor,
              organizationId: org.id,
              action: 'invitation.created' as const,
              target: { type: 'membership' as const, id: updated[i]!.id, label: updated[i]!.email },
              metadata: {
                role: s.role,
                source: options.source ?? 'form',
                ...(options.bulkJobId ? { bulkJobId: options.bulkJobId } : {}),
                ...(s.input.externalId ? { externalId: s.input.externalId } : {}),
                ...(s.takeover ? { reconciled: true } : {}),
              },
            },
          ]
        : [],
    );
    await recordAudits(audits, tx);
    if (also) await also(tx);
    return updated;
  });
}

function mirrorInput(user: ScalekitUserLike): MirrorUserInput {
  return { id: user.id, ...userFields(user) };
}

/**
 * One Scalekit user into the mirror, outside any caller transaction (it opens its own). Goes through
 * upsertMirrorUsers, so a row left by a user Scalekit deleted (same email, old id) is retired.
 */
export async function upsertUser(user: ScalekitUserLike, tx?: Prisma.TransactionClient): Promise<void> {
  if (tx) await upsertMirrorUsers(tx, [mirrorInput(user)]);
  else await db.$transaction((t) => upsertMirrorUsers(t, [mirrorInput(user)]));
}

/** Scalekit's users for a batch of sent invitations, in the caller's transaction (lib/users/mirror-user.ts). */
export async function upsertUsers(users: ScalekitUserLike[], tx: Prisma.TransactionClient): Promise<void> {
  await upsertMirrorUsers(tx, users.map(mirrorInput));
}
