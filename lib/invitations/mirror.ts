import type { Actor } from '@/lib/auth/actor';
import { recordAudits } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { Prisma, type Membership, type Organization } from '@/lib/generated/prisma/client';
import { upsertMirrorUsers, type MirrorUserInput } from '@/lib/users/mirror-user';
import { userFields, type ScalekitUserLike } from './scalekit-membership';
import type { ClaimRef, InviteOptions, SentInvite } from './invite';

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
export async function release(claim: Pick<ClaimRef, 'id'>): Promise<void> {
  await db.membership.deleteMany({ where: { id: claim.id, syncState: 'SENDING' } });
}

export async function markFailed(
  claim: Pick<ClaimRef, 'id'>,
  message: string,
  extra: Prisma.MembershipUncheckedUpdateManyInput = {},
): Promise<void> {
  await db.membership.updateMany({ where: { id: claim.id }, data: { syncState: 'FAILED', syncError: message, ...extra } });
}

/**
 * The mirror half: the claimed rows become SYNCED copies of what Scalekit holds, with their
 * users and one invitation.created audit event each, in ONE transaction, so a batch of sent
 * invitations costs a handful of queries instead of a handful per row. `also` runs inside the
 * same transaction. Returns the rows as stored (the form and the API answer with them); the
 * bulk runner, which needs none, calls writeSentInvites in its own transaction instead.
 */
export async function finishInvites(
  actor: Actor,
  org: Organization,
  sent: SentInvite[],
  options: InviteOptions,
  also?: (tx: Prisma.TransactionClient) => Promise<unknown>,
): Promise<Membership[]> {
  if (!sent.length) return [];
  return db.$transaction(async (tx) => {
    await writeSentInvites(tx, actor, org, sent, options);
    if (also) await also(tx);
    const rows = await tx.membership.findMany({ where: { id: { in: sent.map((s) => s.claim.id) } } });
    const byId = new Map(rows.map((m) => [m.id, m]));
    return sent.map((s) => byId.get(s.claim.id)!);
  });
}

/**
 * The write-back of sent invitations, in the caller's transaction: users, memberships, audit
 * events, each ONE statement for the whole batch. Raw UPDATE … FROM jsonb_to_recordset(…) rather than a Prisma
 * update per row: for a bulk file, Prisma's per-row statements and object mapping cost more CPU
 * than the Scalekit calls themselves (docs/benchmarks.md, issue 13). Throws (and so rolls the
 * caller back) when a claim row is gone, as Prisma's update would: the answer must not be lost
 * silently.
 */
export async function writeSentInvites(
  tx: Prisma.TransactionClient,
  actor: Actor,
  org: Organization,
  sent: SentInvite[],
  options: InviteOptions,
): Promise<void> {
  if (!sent.length) return;
  const now = new Date().toISOString();
  await upsertUsers(
    sent.map((s) => s.user),
    tx,
  );
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const { invitedByUserId, inviterEmail } = inviterFields(actor);
  // One JSON parameter rather than an array per column: Prisma's handling of array parameters
  // cost about twice the CPU per statement (docs/benchmarks.md).
  const values = JSON.stringify(
    sent.map((s) => ({
      id: s.claim.id,
      userId: s.user.id,
      role: s.role,
      permissions: s.membership.permissions,
      status: s.membership.status,
      name: s.input.name ?? userFields(s.user).name ?? s.claim.name,
      invitedAt: iso(s.membership.invitedAt ?? s.claim.invitedAt) ?? now,
      expiresAt: iso(s.membership.expiresAt),
      acceptedAt: iso(s.membership.acceptedAt),
      invited: s.outcome === 'invited',
    })),
  );
  const updated = await tx.$executeRaw`
    UPDATE "Membership" AS m SET
      "userId" = v."userId", "role" = v.role,
      "permissions" = ARRAY(SELECT jsonb_array_elements_text(v.permissions)),
      "status" = v.status::"MembershipStatus", "syncState" = 'SYNCED', "syncError" = NULL,
      "name" = v.name, "invitedAt" = v."invitedAt", "expiresAt" = v."expiresAt", "acceptedAt" = v."acceptedAt",
      "lastSentAt" = CASE WHEN v.invited THEN ${now}::timestamp(3) ELSE m."lastSentAt" END,
      "invitedByUserId" = CASE WHEN v.invited THEN ${invitedByUserId} ELSE m."invitedByUserId" END,
      "inviterEmail" = CASE WHEN v.invited THEN ${inviterEmail} ELSE m."inviterEmail" END,
      "updatedAt" = ${now}::timestamp(3)
    FROM jsonb_to_recordset(${values}::jsonb) AS v(id text, "userId" text, role text, permissions jsonb, status text, name text,
      "invitedAt" timestamp(3), "expiresAt" timestamp(3), "acceptedAt" timestamp(3), invited boolean)
    WHERE m.id = v.id`;
  if (updated !== sent.length) {
    throw new Error(`Saving sent invitations: ${sent.length - updated} of ${sent.length} claim rows were gone`);
  }
  const audits = sent.flatMap((s) =>
    s.outcome === 'invited'
      ? [
          {
            actor,
            organizationId: org.id,
            action: 'invitation.created' as const,
            target: { type: 'membership' as const, id: s.claim.id, label: s.claim.email },
            metadata: {
              role: s.role,
              source: options.source ?? 'form',
              ...(options.bulkJobId ? { bulkJobId: options.bulkJobId } : {}),
              ...(options.approvedRequestId ? { approvedRequestId: options.approvedRequestId } : {}),
              ...(s.input.externalId ? { externalId: s.input.externalId } : {}),
              ...(s.takeover ? { reconciled: true } : {}),
            },
          },
        ]
      : [],
  );
  await recordAudits(audits, tx);
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

/**
 * Scalekit's users for a batch of sent invitations, in the caller's transaction. A bulk file's
 * users are almost all new to the mirror: they go in with one raw INSERT … FROM jsonb_to_recordset(…) ON
 * CONFLICT DO NOTHING (in email order, as upsertMirrorUsers writes). Any the insert skipped (the
 * id is known, or another id holds the email) go through upsertMirrorUsers, which updates them or
 * retires the old holder (lib/users/mirror-user.ts) — the same end state, without a lookup per
 * batch for the common case.
 */
export async function upsertUsers(users: ScalekitUserLike[], tx: Prisma.TransactionClient): Promise<void> {
  const byEmail = new Map<string, MirrorUserInput>();
  const ids = new Set<string>();
  for (const user of users) {
    const input = mirrorInput(user);
    if (ids.has(input.id) || byEmail.has(input.email)) continue;
    ids.add(input.id);
    byEmail.set(input.email, input);
  }
  const fresh = [...byEmail.values()].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  if (!fresh.length) return;
  const now = new Date().toISOString();
  const values = JSON.stringify(fresh.map((u) => ({ ...u, lastLoginAt: u.lastLoginAt?.toISOString() ?? null })));
  const inserted = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "User" ("id", "email", "firstName", "lastName", "name", "externalId", "lastLoginAt", "createdAt", "updatedAt")
    SELECT id, email, "firstName", "lastName", name, "externalId", "lastLoginAt", ${now}::timestamp(3), ${now}::timestamp(3)
    FROM jsonb_to_recordset(${values}::jsonb)
      AS u(id text, email text, "firstName" text, "lastName" text, name text, "externalId" text, "lastLoginAt" timestamp(3))
    ON CONFLICT DO NOTHING
    RETURNING "id"`;
  if (inserted.length === users.length) return;
  const done = new Set(inserted.map((u) => u.id));
  const rest = users.filter((u) => !done.has(u.id));
  if (rest.length) await upsertMirrorUsers(tx, rest.map(mirrorInput));
}
