import { lockEntity, membershipVersionKey, readEntityVersion, writeEntityVersion } from '@/lib/webhooks/entity-versions';
import { ScalekitBadRequestException, ScalekitConflictException, ScalekitNotFoundException } from '@scalekit-sdk/node';
import type { Actor } from '@/lib/auth/actor';
import { assertCan, assertCanGrantRole } from '@/lib/auth/authorize';
import { recordAudit, recordAudits } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { Prisma, type Membership, type MembershipStatus, type Organization } from '@/lib/generated/prisma/client';
import { errorForLog, log } from '@/lib/log';
import { countSeats } from '@/lib/members/service';
import { getScalekit } from '@/lib/scalekit/client';
import { describeScalekitError, ScalekitCallError, scalekitErrorCode } from '@/lib/scalekit/errors';
import { AppError } from '@/lib/errors/app-error';
import { inviteRateLimitError, reserveInvites } from './rate-limit';
import { domainAllowed, parseInviteInput, type InviteInput } from './schemas';
import { createUserAndMembershipAs, isInvitationStatus, membershipIn, splitName, userFields, type MirroredMembership, type ScalekitUserLike } from './scalekit-membership';

/**
 * Inviting people into an organization: one service for the form, the API
 * and bulk CSV, so all three share validation, idempotency, authorization
 * and audit.
 *
 * Idempotency rests on the mirror's unique (organizationId, email): before
 * Scalekit is called, a row is claimed with syncState SENDING. Of N
 * concurrent invites of one address exactly one claims it and calls
 * Scalekit; the others wait for that outcome and report "already invited".
 * A failed call either removes its claim (Scalekit certainly changed nothing)
 * or marks it FAILED (Scalekit may have acted, e.g. a timeout); the next
 * attempt takes the row over and reconciles with what Scalekit holds, so a
 * retry never creates a second invitation.
 *
 * Seats: a claim row counts as a seat (status PENDING_INVITE) from the moment it is inserted,
 * and claims are inserted only under a per-organization lock after counting the seats in use
 * (claimSeats), so parallel invites, bulk runs beside them and other instances never take more
 * than Organization.maxAllowedUsers. A released claim gives its seat back.
 */

export type InviteOutcome = 'invited' | 'already_invited' | 'already_member';

export interface InviteResult {
  outcome: InviteOutcome;
  membership: Membership;
}

export interface InviteOptions {
  /** Recorded in the audit event: where the invitation came from. */
  source?: 'form' | 'api' | 'bulk';
  bulkJobId?: string;
}

const POLL_MS = 60;

/** A SENDING claim older than this belongs to a request that died; another may take it over. */
export function staleClaimAfterMs(): number {
  // The SDK retries UNAVAILABLE with 1 + 2 + 4 s of backoff, each attempt bounded by the timeout.
  return getEnv().SCALEKIT_TIMEOUT_MS * 4 + 8_000;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorCodeOf(error: unknown): string | null {
  return scalekitErrorCode(error);
}

/** Parse untrusted input, naming the field at fault. */
export function validateInvite(input: unknown): InviteInput {
  const parsed = parseInviteInput(input);
  if (parsed.ok) return parsed.value;
  const [field] = Object.keys(parsed.fields);
  const code = field === 'email' ? 'invalid_email' : field === 'role' ? 'invalid_role' : 'validation_failed';
  throw new AppError(code, parsed.message, { field: field === '_' ? undefined : field, fields: parsed.fields });
}

export async function loadOrganization(organizationId: string): Promise<Organization> {
  const org = await db.organization.findUnique({ where: { id: organizationId } });
  if (!org) throw new AppError('organization_not_found', 'That organization does not exist.');
  return org;
}

export function assertDomainAllowed(org: Organization, email: string): void {
  if (!domainAllowed(email, org.allowedEmailDomains)) {
    const list = org.allowedEmailDomains.join(', ');
    throw new AppError('domain_not_allowed', `${org.name} only invites addresses at ${list}. Ask an admin to add the domain in Settings.`, { field: 'email' });
  }
}

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

/** The inviter Scalekit is told about: an email address, so only a person's. */
function scalekitInviterEmail(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.email : null;
}

export function seatLimitError(org: Pick<Organization, 'name'>, limit: number | null): AppError {
  return new AppError('seat_limit_reached', `${org.name} has used all ${limit ?? 'its'} seats. Raise the seat limit in Settings or remove someone first.`);
}

// Generous: under a burst, claims of one organization queue on its seat lock one after another.
const SEAT_TRANSACTION = { maxWait: 15_000, timeout: 20_000 } as const;

/**
 * Run `claim` with the number of free seats, such that the count and the claim inserts it makes
 * cannot interleave with another claim of the same organization (any instance): a transaction
 * holding pg_advisory_xact_lock('seats:<org>'). Each statement after the lock sees every claim
 * committed before it, so the last free seat goes to one caller only. Organizations without a
 * limit skip the lock.
 */
async function claimSeats<T>(organizationId: string, claim: (tx: Prisma.TransactionClient, free: number, limit: number | null) => Promise<T>): Promise<T> {
  // Read fresh, not from the caller's copy: a limit set a moment ago must already take the lock.
  const org = await db.organization.findUnique({ where: { id: organizationId }, select: { maxAllowedUsers: true } });
  if (org?.maxAllowedUsers == null) return claim(db, Number.POSITIVE_INFINITY, null);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`seats:${organizationId}`}))`;
    // Re-reads the limit too, under the lock.
    const seats = await countSeats(organizationId, new Date(), tx);
    return claim(tx, seats.limit === null ? Number.POSITIVE_INFINITY : Math.max(0, seats.limit - seats.used), seats.limit);
  }, SEAT_TRANSACTION);
}

/**
 * The cheap early answer for a full organization, before any budget is spent on an invite that
 * cannot take a seat. Not the guarantee (that is claimSeats): an address that already has a row
 * needs no new seat and goes on to be reported as already invited or a member.
 */
async function assertSeatAvailable(org: Organization, email: string): Promise<void> {
  if (org.maxAllowedUsers === null) return;
  const [{ used, limit }, existing] = await Promise.all([
    countSeats(org.id),
    db.membership.findUnique({ where: { organizationId_email: { organizationId: org.id, email } }, select: { id: true } }),
  ]);
  if (!existing && limit !== null && used >= limit) throw seatLimitError(org, limit);
}

/**
 * Invite one person. Returns what happened; throws AppError for input
 * or policy refusals and ScalekitCallError when Scalekit fails.
 */
export async function inviteMember(actor: Actor, organizationId: string, rawInput: unknown, options: InviteOptions = {}): Promise<InviteResult> {
  assertCan(actor, organizationId, 'members:invite');
  const input = validateInvite(rawInput);
  assertCanGrantRole(actor, organizationId, input.role);
  const org = await loadOrganization(organizationId);
  assertDomainAllowed(org, input.email);
  await assertSeatAvailable(org, input.email);
  const budget = await reserveInvites(actor, org.id, 1);
  if (budget.granted < 1) throw inviteRateLimitError(budget, org.name);
  return claimAndSend(actor, org, input, options);
}

/** inviteMember after validation and the rate limit: the claim loop. Exported for the bulk runner, which did both per chunk. */
export async function claimAndSend(actor: Actor, org: Organization, input: InviteInput, options: InviteOptions): Promise<InviteResult> {
  const staleAfter = staleClaimAfterMs();
  const deadline = Date.now() + staleAfter + 5_000;
  for (;;) {
    const claim = await tryClaim(actor, org, input);
    if (claim) return send(actor, org, input, claim, false, options);

    const existing = await db.membership.findUnique({ where: { organizationId_email: { organizationId: org.id, email: input.email } } });
    if (!existing) continue; // released between our insert and read: claim again
    if (existing.syncState === 'SYNCED') {
      return { outcome: isInvitationStatus(existing.status) ? 'already_invited' : 'already_member', membership: existing };
    }
    if (existing.syncState === 'FAILED' || Date.now() - existing.updatedAt.getTime() > staleAfter) {
      const taken = await takeOver(existing);
      if (taken) return send(actor, org, input, taken, true, options);
      continue;
    }
    // Another request is sending this very invitation: report its outcome rather than send twice.
    if (Date.now() > deadline) return { outcome: 'already_invited', membership: existing };
    await sleep(POLL_MS + Math.random() * POLL_MS);
  }
}

function claimRow(actor: Actor, organizationId: string, input: InviteInput): Prisma.MembershipCreateManyInput {
  return {
    organizationId,
    email: input.email,
    name: input.name ?? null,
    role: input.role,
    status: 'PENDING_INVITE',
    syncState: 'SENDING',
    externalId: input.externalId ?? null,
    metadata: input.metadata ?? undefined,
    ...inviterFields(actor),
  };
}

/** The claim row for one address, or null when the address already has a row (ours to wait for, adopt or take over). */
async function tryClaim(actor: Actor, org: Organization, input: InviteInput): Promise<Membership | null> {
  return claimSeats(org.id, async (tx, free, limit) => {
    if (free < 1) {
      const existing = await tx.membership.findUnique({ where: { organizationId_email: { organizationId: org.id, email: input.email } }, select: { id: true } });
      if (existing) return null;
      throw seatLimitError(org, limit);
    }
    // ON CONFLICT DO NOTHING rather than catching a unique violation, which would abort the transaction.
    const [created] = await tx.membership.createManyAndReturn({ data: [claimRow(actor, org.id, input)], skipDuplicates: true });
    return created ?? null;
  });
}

/** Compare-and-set on updatedAt: of several retries, one wins the row. */
async function takeOver(row: Membership): Promise<Membership | null> {
  const { count } = await db.membership.updateMany({
    where: { id: row.id, syncState: row.syncState, updatedAt: row.updatedAt },
    data: { syncState: 'SENDING', syncError: null },
  });
  return count === 1 ? db.membership.findUnique({ where: { id: row.id } }) : null;
}

/** Drop a claim when Scalekit certainly created nothing; the address is free again. */
async function release(claim: Membership): Promise<void> {
  await db.membership.deleteMany({ where: { id: claim.id, syncState: 'SENDING' } });
}

async function markFailed(claim: Membership, message: string, extra: Prisma.MembershipUncheckedUpdateManyInput = {}): Promise<void> {
  await db.membership.updateMany({ where: { id: claim.id }, data: { syncState: 'FAILED', syncError: message, ...extra } });
}

/** Failures after which Scalekit has not changed anything (it refused before acting). */
function certainlyUnchanged(code: ScalekitCallError['code']): boolean {
  return code !== 'scalekit_timeout' && code !== 'scalekit_error';
}

/** Give up on this attempt: free or flag the claim, then tell the caller. */
async function abandon(claim: Membership, takeover: boolean, error: AppError): Promise<never> {
  // A taken-over row records that an earlier attempt may have reached Scalekit; keep that truth.
  const unchanged = !(error instanceof ScalekitCallError) || certainlyUnchanged(error.code);
  if (unchanged && !takeover) await release(claim);
  else await markFailed(claim, error.message);
  throw error;
}

async function findOrgUserByEmail(organizationId: string, email: string): Promise<ScalekitUserLike | null> {
  const res = await getScalekit().user.searchOrganizationUsers(organizationId, email, 10);
  return (res.users as ScalekitUserLike[]).find((u) => u.email.toLowerCase() === email) ?? null;
}

/**
 * Scalekit's answer for one claimed invitation, before the mirror is written. The claim row
 * stays SENDING until finishInvites records it, so a crash in between is reconciled by the
 * next attempt's takeover (it adopts what Scalekit holds), never duplicated.
 */
export interface SentInvite {
  input: InviteInput;
  claim: Membership;
  takeover: boolean;
  user: ScalekitUserLike;
  membership: MirroredMembership;
  outcome: InviteOutcome;
  role: string;
}

async function send(actor: Actor, org: Organization, input: InviteInput, claim: Membership, takeover: boolean, options: InviteOptions): Promise<InviteResult> {
  const sent = await sendToScalekit(actor, org, input, claim, takeover);
  const [membership] = await finishInvites(actor, org, [sent], options);
  return { outcome: sent.outcome, membership: membership! };
}

/** The Scalekit half of an invite: create (or adopt) the membership and set its role. Throws after freeing or flagging the claim. */
export async function sendToScalekit(actor: Actor, org: Organization, input: InviteInput, claim: Membership, takeover: boolean): Promise<SentInvite> {
  const scalekit = getScalekit();
  let user: ScalekitUserLike;
  let adopted = false;
  try {
    const res = await createUserAndMembershipAs(
      scalekit,
      org.id,
      {
        email: input.email,
        externalId: input.externalId,
        userProfile: input.name ? splitName(input.name) : undefined,
        metadata: input.metadata,
        sendInvitationEmail: true,
      },
      scalekitInviterEmail(actor),
    );
    user = res.user as ScalekitUserLike;
  } catch (error) {
    const code = errorCodeOf(error);
    if (error instanceof ScalekitConflictException && code !== 'EXTERNAL_ID_ALREADY_EXISTS') {
      // Scalekit already has this membership: an earlier attempt of ours got through, or it was made elsewhere.
      try {
        const found = await findOrgUserByEmail(org.id, input.email);
        if (!found) return abandon(claim, takeover, new ScalekitCallError(describeScalekitError(error)));
        user = found;
        adopted = true;
      } catch (lookupError) {
        return abandon(claim, true, ScalekitCallError.from(lookupError));
      }
    } else {
      return abandon(claim, takeover, refusal(error, org, input) ?? ScalekitCallError.from(error));
    }
  }

  const membership = membershipIn(user, org.id);
  if (!membership) {
    return abandon(claim, true, new ScalekitCallError({ ...describeScalekitError(null), message: 'Scalekit did not return the new membership. Try again.' }));
  }

  let outcome: InviteOutcome;
  if (!adopted) outcome = 'invited';
  else if (!isInvitationStatus(membership.status)) outcome = 'already_member';
  else outcome = takeover ? 'invited' : 'already_invited';

  // The SDK's createUserAndMembership cannot carry roles: set a non-default role in a second call.
  // An adopted membership that someone else made keeps its role; an invite must not change it.
  let roles = membership.roles;
  if (outcome === 'invited' && !roles.includes(input.role)) {
    try {
      await scalekit.user.updateMembership(org.id, user.id, { roles: [input.role] });
      roles = [input.role];
    } catch (error) {
      const failure = ScalekitCallError.from(error);
      await upsertUser(user);
      await markFailed(claim, `The invitation was sent, but setting the role to ${input.role} failed: ${failure.message}`, {
        userId: user.id,
        status: membership.status,
      });
      throw failure;
    }
  }

  const role = roles.includes('admin') ? 'admin' : (roles[0] ?? input.role);
  return { input, claim, takeover, user, membership, outcome, role };
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
    await upsertUsers(sent.map((s) => s.user), tx);
    const updated: Membership[] = [];
    for (const s of sent) {
      updated.push(
        await tx.membership.update({
          where: { id: s.claim.id },
          data: {
            userId: s.user.id,
            role: s.role,
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

export interface ManyClaims {
  /** Claimed for this caller to send, by email */
  claims: Map<string, Membership>;
  /** New addresses with no seat left for them: not claimed, not to be sent */
  overSeatLimit: Set<string>;
  /** The seat limit the claims were counted against */
  limit: number | null;
}

/**
 * Claim many addresses in one statement, as far as the seats go (in input order): the rows
 * created are this caller's to send; an address that already has a row (invited, or being sent
 * by someone else) needs no new seat, is left out, and goes through claimAndSend's per-row loop,
 * which knows how to wait for, adopt or take over such a row.
 */
export async function claimMany(actor: Actor, organizationId: string, inputs: InviteInput[]): Promise<ManyClaims> {
  if (!inputs.length) return { claims: new Map(), overSeatLimit: new Set(), limit: null };
  return claimSeats(organizationId, async (tx, free, limit) => {
    let fresh = inputs;
    const overSeatLimit = new Set<string>();
    if (Number.isFinite(free)) {
      const taken = new Set(
        (await tx.membership.findMany({ where: { organizationId, email: { in: inputs.map((i) => i.email) } }, select: { email: true } })).map((m) => m.email),
      );
      fresh = inputs.filter((i) => !taken.has(i.email));
      for (const input of fresh.slice(free)) overSeatLimit.add(input.email);
      fresh = fresh.slice(0, free);
    }
    const created = await tx.membership.createManyAndReturn({ data: fresh.map((input) => claimRow(actor, organizationId, input)), skipDuplicates: true });
    return { claims: new Map(created.map((m) => [m.email, m])), overSeatLimit, limit };
  });
}

/** Scalekit refusals that are really about the input or the org's limits. */
function refusal(error: unknown, org: Organization, input: InviteInput): AppError | null {
  const code = errorCodeOf(error);
  if (error instanceof ScalekitBadRequestException && code === 'SEAT_LIMIT_REACHED') return seatLimitError(org, org.maxAllowedUsers);
  if (error instanceof ScalekitBadRequestException && code === 'INVALID_EMAIL') {
    return new AppError('invalid_email', `Scalekit rejected ${input.email} as an email address.`, { field: 'email' });
  }
  if (error instanceof ScalekitBadRequestException && code === 'INVALID_ROLE') {
    return new AppError('invalid_role', `Scalekit does not know the role "${input.role}".`, { field: 'role' });
  }
  if (error instanceof ScalekitConflictException && code === 'EXTERNAL_ID_ALREADY_EXISTS') {
    return new AppError('external_id_taken', `Another user already has externalId "${input.externalId}".`, { field: 'externalId' });
  }
  if (error instanceof ScalekitNotFoundException && code === 'ORGANIZATION_NOT_FOUND') {
    return new AppError('organization_not_found', 'Scalekit does not know this organization.');
  }
  return null;
}

async function upsertUser(user: ScalekitUserLike, client: Pick<Prisma.TransactionClient, 'user'> = db): Promise<void> {
  const fields = userFields(user);
  await client.user.upsert({ where: { id: user.id }, create: { id: user.id, ...fields }, update: fields });
}

/** New users in one insert; the few that exist already (adopted invitations) are updated one by one. */
async function upsertUsers(users: ScalekitUserLike[], tx: Prisma.TransactionClient): Promise<void> {
  const unique = [...new Map(users.map((u) => [u.id, u])).values()];
  const inserted = await tx.user.createManyAndReturn({ data: unique.map((u) => ({ id: u.id, ...userFields(u) })), skipDuplicates: true, select: { id: true } });
  const fresh = new Set(inserted.map((u) => u.id));
  for (const user of unique) if (!fresh.has(user.id)) await upsertUser(user, tx);
}

/** A membership of THIS organization by id: an id from another org reads as not found. */
async function loadInvitation(organizationId: string, membershipId: string): Promise<Membership> {
  const row = typeof membershipId === 'string' && membershipId.length <= 64
    ? await db.membership.findFirst({ where: { id: membershipId, organizationId } })
    : null;
  if (!row) throw new AppError('invitation_not_found', 'That invitation does not exist in this organization.');
  return row;
}

/** An invitation's status as of now: Scalekit reads an expired one as INVITE_EXPIRED. */
export function effectiveStatus(row: Pick<Membership, 'status' | 'expiresAt'>, now: Date = new Date()): MembershipStatus {
  if (row.status === 'PENDING_INVITE' && row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return 'INVITE_EXPIRED';
  return row.status;
}

/** One resend per invitation per this many seconds, counted from the last email (invitation or resend). */
export const RESEND_COOLDOWN_SECONDS = 60;

function resendTooSoon(waitSeconds: number): AppError {
  const wait = `${waitSeconds} ${waitSeconds === 1 ? 'second' : 'seconds'}`;
  return new AppError('resend_too_soon', `This invitation was sent less than a minute ago. You can resend it in ${wait}.`, { retryAfter: waitSeconds });
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
        : error instanceof ScalekitBadRequestException && errorCodeOf(error) === 'INVITE_NOT_PENDING'
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
    await recordAudit(
      { actor, organizationId, action: 'invitation.resent', target: { type: 'membership', id: row.id, label: row.email }, metadata: { resentCount: updated.resentCount } },
      tx,
    );
    return updated;
  });
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
      // Leave a tombstone (as removeMember does) so a late membership.created/updated webhook
      // sent before the revoke cannot bring the invitation back.
      const key = membershipVersionKey(organizationId, revokedUserId);
      await lockEntity(tx, key);
      const previous = await readEntityVersion(tx, key);
      await writeEntityVersion(tx, key, { at: new Date(Math.max(Date.now(), (previous?.at.getTime() ?? 0) + 1)), deleted: true });
    }
    await tx.membership.deleteMany({ where: { id: row.id, organizationId } });
    await recordAudit(
      { actor, organizationId, action: 'invitation.revoked', target: { type: 'membership', id: row.id, label: row.email }, metadata: { role: row.role } },
      tx,
    );
  });
}

export interface ListInvitationsOptions {
  status?: 'PENDING_INVITE' | 'INVITE_EXPIRED' | 'FAILED';
  cursor?: string | null;
  limit?: number;
}

export interface InvitationPage {
  invitations: Membership[];
  nextCursor: string | null;
}

/** Pending, expired and failed invitations, newest first, keyset-paginated on (createdAt, id). */
export async function listInvitations(actor: Actor, organizationId: string, options: ListInvitationsOptions = {}): Promise<InvitationPage> {
  assertCan(actor, organizationId, 'invitations:read');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 100);
  const now = new Date();
  const where: Prisma.MembershipWhereInput = { organizationId };
  if (options.status === 'FAILED') where.syncState = { in: ['FAILED', 'SENDING'] };
  else if (options.status === 'INVITE_EXPIRED') where.OR = [{ status: 'INVITE_EXPIRED' }, { status: 'PENDING_INVITE', expiresAt: { lte: now } }];
  else if (options.status === 'PENDING_INVITE') where.AND = [{ status: 'PENDING_INVITE' }, { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }];
  else where.OR = [{ status: { in: ['PENDING_INVITE', 'INVITE_EXPIRED'] } }, { syncState: { not: 'SYNCED' } }];
  const cursor = decodeCursor(options.cursor);
  if (cursor) {
    where.AND = [
      ...((where.AND as Prisma.MembershipWhereInput[] | undefined) ?? []),
      { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] },
    ];
  }
  const rows = await db.membership.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 });
  const page = rows.slice(0, limit).map((r) => ({ ...r, status: effectiveStatus(r, now) }));
  const last = page[page.length - 1];
  return { invitations: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

function encodeCursor(row: Pick<Membership, 'createdAt' | 'id'>): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string | null | undefined): { createdAt: Date; id: string } | null {
  if (!cursor) return null;
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new AppError('validation_failed', 'The cursor is not valid.', { field: 'cursor' });
  return { createdAt, id };
}
