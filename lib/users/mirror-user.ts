import type { Prisma } from '@/lib/generated/prisma/client';
import { log } from '@/lib/log';
import { membershipVersionKey, writeEntityVersion } from '@/lib/webhooks/entity-versions';

/**
 * The one place the mirror writes a User row from Scalekit's answer (invitations, the sign-in
 * callback, re-sync; webhooks once the lead wires them in).
 *
 * Scalekit deletes a user when their last membership is removed (developer-docs
 * src/content/docs/authenticate/manage-organizations/remove-users-from-organization.mdx, "Scalekit
 * automatically deletes the user" when they have no memberships left), so inviting the same
 * address again gives a NEW `usr_` id. Scalekit's emails are unique, so when Scalekit says id B has
 * email X and the mirror holds X under another id A, A is a user Scalekit no longer has. A is
 * retired in the same transaction, not deleted: its email becomes `<A>@retired.invalid` (the
 * reserved `.invalid` TLD can never be a real address, and the row keeps its id so audit events,
 * sessions and `invitedByUserId` that name A still resolve), its mirror memberships go (with
 * tombstones so late webhooks about them cannot bring them back) and its app sessions are revoked.
 * Then B is inserted or updated as usual.
 *
 * Concurrency: rows are handled in email order. Two transactions writing the same (B, X) both see
 * A; the first renames it, the second's rename waits on the row lock and then matches nothing
 * (it re-checks the email), and the second insert of B waits on the first and is skipped (ON
 * CONFLICT DO NOTHING). An insert skipped because X was taken a moment ago by yet another id is
 * noticed (the id is still missing) and retried after retiring that holder, so nothing throws a
 * unique violation and nothing is silently attached to the wrong row.
 */

export interface MirrorUserInput {
  /** Scalekit user id (usr_…) */
  id: string;
  email: string;
  /** A field left undefined keeps what the row has (a new row gets null); null clears it. */
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  externalId?: string | null;
  /** The later of this and the stored one is kept (the callback's sign-in, Scalekit's last_login_time). */
  lastLoginAt?: Date;
}

export interface MirrorUsersResult {
  /** Ids of rows retired because Scalekit now gives their email to another id. */
  retiredUserIds: string[];
  /** With `onEmailTaken: 'skip'`: ids not written because another row holds their email. */
  skippedUserIds: string[];
}

export interface MirrorUsersOptions {
  /**
   * What to do when another id holds the email. 'retire' (the default) is right for an answer
   * Scalekit just gave (a call's response, a listing): it is the current truth. A webhook may be
   * a late retry about the OLD user, and retiring the live one for it would be wrong: such
   * callers pass 'skip' and leave the clash to a fresher answer (a re-sync, the next sign-in).
   */
  onEmailTaken?: 'retire' | 'skip';
}

export const RETIRED_EMAIL_DOMAIN = 'retired.invalid';

/** The email a retired row is parked under: unique (ids are) and never a deliverable address. */
export function retiredEmail(userId: string): string {
  return `${userId}@${RETIRED_EMAIL_DOMAIN}`;
}

/** The revokedReason of sessions ended because their user was retired. */
export const RETIRED_SESSION_REASON = 'user_deleted';

const PROFILE_FIELDS = ['firstName', 'lastName', 'name', 'externalId'] as const;
const MAX_ATTEMPTS = 3;

type Client = Pick<Prisma.TransactionClient, 'user' | 'membership' | 'session' | 'processedWebhook'>;

function byEmail(a: MirrorUserInput, b: MirrorUserInput): number {
  return a.email < b.email ? -1 : a.email > b.email ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function createData(user: MirrorUserInput): Prisma.UserCreateManyInput {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName ?? null,
    lastName: user.lastName ?? null,
    name: user.name ?? null,
    externalId: user.externalId ?? null,
    ...(user.lastLoginAt ? { lastLoginAt: user.lastLoginAt } : {}),
  };
}

type Stored = Pick<Prisma.UserGetPayload<object>, 'id' | 'email' | 'lastLoginAt' | (typeof PROFILE_FIELDS)[number]>;

/** Only what differs, so an unchanged user (most of a re-sync) costs no write. */
function changes(have: Stored, want: MirrorUserInput): Prisma.UserUpdateInput | null {
  const data: Prisma.UserUpdateInput = {};
  if (have.email !== want.email) data.email = want.email;
  for (const field of PROFILE_FIELDS) {
    const value = want[field];
    if (value !== undefined && have[field] !== value) data[field] = value;
  }
  // Never backwards: Scalekit's listing can trail a sign-in the callback has just recorded.
  if (want.lastLoginAt && (!have.lastLoginAt || have.lastLoginAt < want.lastLoginAt)) data.lastLoginAt = want.lastLoginAt;
  return Object.keys(data).length ? data : null;
}

/**
 * Insert or update these Scalekit users in the mirror, retiring any row that holds one of their
 * emails under another id. Run it inside the caller's transaction: the retirement commits (or
 * rolls back) with the rest of the caller's write.
 */
export async function upsertMirrorUsers(
  tx: Client,
  users: readonly MirrorUserInput[],
  options: MirrorUsersOptions = {},
): Promise<MirrorUsersResult> {
  // One row per id (the last answer wins), then one id per email: Scalekit's emails are unique.
  const ids = new Map<string, MirrorUserInput>();
  for (const user of users) ids.set(user.id, { ...user, email: user.email.trim().toLowerCase() });
  const emails = new Map<string, MirrorUserInput>();
  for (const user of ids.values()) emails.set(user.email, user);
  let pending = [...emails.values()].sort(byEmail);

  const retiredUserIds: string[] = [];
  const skippedUserIds: string[] = [];
  for (let attempt = 1; pending.length; attempt++) {
    if (options.onEmailTaken === 'skip') {
      const taken = new Set(await heldByOthers(tx, pending).then((held) => held.map((h) => h.email)));
      skippedUserIds.push(...pending.filter((u) => taken.has(u.email)).map((u) => u.id));
      pending = pending.filter((u) => !taken.has(u.email));
      if (!pending.length) break;
    } else {
      retiredUserIds.push(...(await retireHolders(tx, pending)));
    }
    const inserted = await tx.user.createManyAndReturn({ data: pending.map(createData), skipDuplicates: true, select: { id: true } });
    const fresh = new Set(inserted.map((u) => u.id));
    const rest = pending.filter((u) => !fresh.has(u.id));
    if (!rest.length) break;
    const stored = await tx.user.findMany({
      where: { id: { in: rest.map((u) => u.id) } },
      select: { id: true, email: true, firstName: true, lastName: true, name: true, externalId: true, lastLoginAt: true },
    });
    const have = new Map(stored.map((u) => [u.id, u]));
    for (const user of rest) {
      const row = have.get(user.id);
      const data = row && changes(row, user);
      if (data) await tx.user.update({ where: { id: user.id }, data });
    }
    // Skipped although the id is not there: its email was taken a moment ago by another id.
    pending = rest.filter((u) => !have.has(u.id));
    if (pending.length && attempt >= MAX_ATTEMPTS) {
      throw new Error(`Could not mirror Scalekit user(s) ${pending.map((u) => u.id).join(', ')}: their email keeps being taken`);
    }
  }
  return { retiredUserIds, skippedUserIds };
}

/** Rows holding one of these emails under another id, in email order. */
async function heldByOthers(tx: Client, users: readonly MirrorUserInput[]): Promise<Array<{ id: string; email: string }>> {
  const wanted = new Map(users.map((u) => [u.email, u.id]));
  const holders = await tx.user.findMany({ where: { email: { in: [...wanted.keys()] } }, select: { id: true, email: true } });
  return holders.filter((h) => wanted.get(h.email) !== h.id).sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

/** Retire every row that holds one of these emails under another id; returns the ids this call retired. */
async function retireHolders(tx: Client, users: readonly MirrorUserInput[]): Promise<string[]> {
  const stale = await heldByOthers(tx, users);
  if (!stale.length) return [];

  const retired: Array<{ id: string; email: string }> = [];
  for (const holder of stale) {
    // Re-checks the email after waiting on the row lock: a concurrent writer may have retired it already.
    const { count } = await tx.user.updateMany({ where: { id: holder.id, email: holder.email }, data: { email: retiredEmail(holder.id) } });
    if (count === 1) retired.push(holder);
  }
  if (!retired.length) return [];

  const retiredIds = retired.map((r) => r.id);
  const now = new Date();
  const memberships = await tx.membership.findMany({
    where: { userId: { in: retiredIds } },
    select: { id: true, organizationId: true, userId: true, syncState: true },
  });
  // SYNCED copies describe memberships Scalekit deleted with the user. A row the invitation service
  // is still working on (SENDING / FAILED) is its to finish: it only loses the dead user id.
  const synced = memberships.filter((m) => m.syncState === 'SYNCED');
  const inFlight = memberships.filter((m) => m.syncState !== 'SYNCED');
  if (synced.length) {
    await tx.membership.deleteMany({ where: { id: { in: synced.map((m) => m.id) } } });
    for (const m of synced) {
      await writeEntityVersion(tx, membershipVersionKey(m.organizationId, m.userId!), { at: now, deleted: true });
    }
  }
  if (inFlight.length) await tx.membership.updateMany({ where: { id: { in: inFlight.map((m) => m.id) } }, data: { userId: null } });
  // lib/session/store.ts revokeUserSessions does this on the global client; here it is the same
  // update inside the transaction, so a retired user's sessions end exactly when the row is retired.
  const sessions = await tx.session.updateMany({
    where: { userId: { in: retiredIds }, revokedAt: null },
    data: { revokedAt: now, revokedReason: RETIRED_SESSION_REASON },
  });
  log.info(
    { retiredUserIds: retiredIds, membershipsRemoved: synced.length, sessionsRevoked: sessions.count },
    'mirror: retired users Scalekit deleted (their email now belongs to a new Scalekit user)',
  );
  return retiredIds;
}
