import { randomBytes } from 'node:crypto';
import { ScalekitConflictException } from '@scalekit-sdk/node';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { resolvePermissions } from '@/lib/auth/permissions';
import { grantableRole, organizationRoles } from '@/lib/roles/catalogue';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { Prisma, type InvitationRequest, type Membership, type Organization } from '@/lib/generated/prisma/client';
import { dailyLimitChecks, holdInvitation, loadInvitationRules, ruleLimitError, ruleRefusedError } from '@/lib/invitation-rules/apply';
import { evaluateInvitationRules, type RuleRef } from '@/lib/invitation-rules/evaluate';
import { getScalekit } from '@/lib/scalekit/client';
import { describeScalekitError, ScalekitCallError } from '@/lib/scalekit/errors';
import { AppError } from '@/lib/errors/app-error';
import { inviteRateLimitError, reserveInvites } from './rate-limit';
import { domainAllowed, parseInviteInput, type InviteInput } from './schemas';
import {
  createUserAndMembershipAs,
  isInvitationStatus,
  membershipIn,
  splitName,
  type MirroredMembership,
  type ScalekitUserLike,
} from './scalekit-membership';
import { finishInvites, inviterFields, markFailed, release, upsertUser } from './mirror';
import { certainlyUnchanged, refusal } from './scalekit-refusals';
import { assertSeatAvailable, claimSeats, seatLimitError } from './seats';

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

export type InviteOutcome = 'invited' | 'already_invited' | 'already_member' | 'held';
/** What happened when the invitation went to Scalekit (everything but a rule's hold). */
export type SentOutcome = Exclude<InviteOutcome, 'held'>;

export interface SentResult {
  outcome: SentOutcome;
  membership: Membership;
}

/** An invitation rule held it: nothing reached Scalekit; the request waits for an admin in Requests. */
export interface HeldResult {
  outcome: 'held';
  request: InvitationRequest;
  rule: RuleRef;
}

export type InviteResult = SentResult | HeldResult;

export interface InviteOptions {
  /** Recorded in the audit event: where the invitation came from. */
  source?: 'form' | 'api' | 'bulk' | 'directory';
  bulkJobId?: string;
  /**
   * Set by the approval of an invitation request: approval-type invitation rules do not hold it
   * again (refusals and daily limits still apply). Checked to name a request of this organization
   * for this address that is not denied or cancelled.
   */
  approvedRequestId?: string;
}

const POLL_MS = 60;

/** A SENDING claim older than this belongs to a request that died; another may take it over. */
export function staleClaimAfterMs(): number {
  // The SDK retries UNAVAILABLE with 1 + 2 + 4 s of backoff, each attempt bounded by the timeout.
  return getEnv().SCALEKIT_TIMEOUT_MS * 4 + 8_000;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    throw new AppError('domain_not_allowed', `${org.name} only invites addresses at ${list}. Ask an admin to add the domain in Settings.`, {
      field: 'email',
    });
  }
}

/** The inviter Scalekit is told about: an email address, so only a person's. */
function scalekitInviterEmail(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.email : null;
}

/**
 * Invite one person. Returns what happened; throws AppError for input
 * or policy refusals and ScalekitCallError when Scalekit fails.
 */
export async function inviteMember(
  actor: Actor,
  organizationId: string,
  rawInput: unknown,
  options: InviteOptions = {},
): Promise<InviteResult> {
  assertCan(actor, organizationId, 'members:invite');
  const input = validateInvite(rawInput);
  const org = await loadOrganization(organizationId);
  grantableRole(actor, organizationId, await organizationRoles(organizationId), input.role);
  assertDomainAllowed(org, input.email);
  if (options.approvedRequestId) await assertApprovedRequest(org.id, input.email, options.approvedRequestId);
  // The organization's invitation rules, the same for every path and every actor (lib/invitation-rules/evaluate.ts).
  const source = options.source ?? 'form';
  const decision = evaluateInvitationRules(await loadInvitationRules(org.id), {
    actor,
    email: input.email,
    role: input.role,
    source,
    approvedRequestId: options.approvedRequestId ?? null,
  });
  if (decision.kind === 'refuse') throw ruleRefusedError(decision.rule, decision.message);
  await assertSeatAvailable(org, input.email);
  if (decision.kind === 'hold') {
    // Someone already in (or invited): say so, as an unheld invite would, rather than queue a request for nothing.
    const existing = await db.membership.findUnique({ where: { organizationId_email: { organizationId: org.id, email: input.email } } });
    if (existing?.syncState === 'SYNCED') {
      return { outcome: isInvitationStatus(existing.status) ? 'already_invited' : 'already_member', membership: existing };
    }
    const held = await holdInvitation(actor, org.id, input, decision.rule, source, options.bulkJobId);
    return { outcome: 'held', ...held };
  }
  const budget = await reserveInvites(actor, org.id, 1, dailyLimitChecks(actor, decision.limits));
  if (budget.granted < 1)
    throw ruleLimitError(decision.limits, budget.limitedBy, budget.retryAfterSeconds) ?? inviteRateLimitError(budget, org.name);
  return claimAndSend(actor, org, input, options);
}

/** approvedRequestId lets an invitation past approval rules: it must be a live request for this very address here. */
async function assertApprovedRequest(organizationId: string, email: string, requestId: string): Promise<void> {
  const request = await db.invitationRequest.findFirst({
    where: { id: requestId, organizationId, email, status: { in: ['PENDING', 'APPROVED'] } },
    select: { id: true },
  });
  if (!request) throw new AppError('not_found', 'That invitation request does not exist in this organization, or was denied or cancelled.');
}

/** inviteMember after validation and the rate limit: the claim loop. Exported for the bulk runner, which did both per chunk. */
export async function claimAndSend(actor: Actor, org: Organization, input: InviteInput, options: InviteOptions): Promise<SentResult> {
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
      const existing = await tx.membership.findUnique({
        where: { organizationId_email: { organizationId: org.id, email: input.email } },
        select: { id: true },
      });
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

/** Give up on this attempt: free or flag the claim, then tell the caller. */
async function abandon(claim: ClaimRef, takeover: boolean, error: AppError): Promise<never> {
  // A taken-over row records that an earlier attempt may have reached Scalekit; keep that truth.
  const unchanged = !(error instanceof ScalekitCallError) || certainlyUnchanged(error.code);
  if (unchanged && !takeover) await release(claim);
  else await markFailed(claim, error.message);
  throw error;
}

export async function findOrgUserByEmail(organizationId: string, email: string): Promise<ScalekitUserLike | null> {
  const res = await getScalekit().user.searchOrganizationUsers(organizationId, email, 10);
  return (res.users as ScalekitUserLike[]).find((u) => u.email.toLowerCase() === email) ?? null;
}

/**
 * What the send and the write-back need of a claim row: a full Membership (claimAndSend's own
 * claim) or the few columns a batch claim returns (claimMany).
 */
export type ClaimRef = Pick<Membership, 'id' | 'email' | 'name' | 'invitedAt'>;

/**
 * Scalekit's answer for one claimed invitation, before the mirror is written. The claim row
 * stays SENDING until finishInvites records it, so a crash in between is reconciled by the
 * next attempt's takeover (it adopts what Scalekit holds), never duplicated.
 */
export interface SentInvite {
  input: InviteInput;
  claim: ClaimRef;
  takeover: boolean;
  user: ScalekitUserLike;
  membership: MirroredMembership;
  outcome: SentOutcome;
  role: string;
}

async function send(
  actor: Actor,
  org: Organization,
  input: InviteInput,
  claim: Membership,
  takeover: boolean,
  options: InviteOptions,
): Promise<SentResult> {
  const sent = await sendToScalekit(actor, org, input, claim, takeover);
  const [membership] = await finishInvites(actor, org, [sent], options);
  return { outcome: sent.outcome, membership: membership! };
}

/** The Scalekit half of an invite: create (or adopt) the membership and set its role. Throws after freeing or flagging the claim. */
export async function sendToScalekit(
  actor: Actor,
  org: Organization,
  input: InviteInput,
  claim: ClaimRef,
  takeover: boolean,
): Promise<SentInvite> {
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
    if (error instanceof ScalekitConflictException) {
      // Either Scalekit already has this membership (an earlier attempt of ours got through, or
      // it was made elsewhere) or another user holds the externalId. Which one is a fact to look
      // up, not an error string to trust (scalekit-refusals.ts).
      try {
        const found = await findOrgUserByEmail(org.id, input.email);
        if (!found) return abandon(claim, takeover, refusal(error, org, input) ?? new ScalekitCallError(describeScalekitError(error)));
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
    return abandon(
      claim,
      true,
      new ScalekitCallError({ ...describeScalekitError(null), message: 'Scalekit did not return the new membership. Try again.' }),
    );
  }

  let outcome: SentOutcome;
  if (!adopted) outcome = 'invited';
  else if (!isInvitationStatus(membership.status)) outcome = 'already_member';
  else outcome = takeover ? 'invited' : 'already_invited';

  // The SDK's createUserAndMembership cannot carry roles: set a non-default role in a second call.
  // An adopted membership that someone else made keeps its role; an invite must not change it.
  let current = membership;
  if (outcome === 'invited' && !membership.roles.includes(input.role)) {
    try {
      const updated = await scalekit.user.updateMembership(org.id, user.id, { roles: [input.role] });
      // Scalekit answers with the user, whose membership carries the new role's permissions.
      current = (updated.user && membershipIn(updated.user as unknown as ScalekitUserLike, org.id)) || {
        ...membership,
        roles: [input.role],
        role: input.role,
        permissions: resolvePermissions(input.role, null),
      };
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

  return { input, claim, takeover, user, membership: current, outcome, role: current.role };
}

export interface ManyClaims {
  /** Claimed for this caller to send, by email */
  claims: Map<string, ClaimRef>;
  /** New addresses with no seat left for them: not claimed, not to be sent */
  overSeatLimit: Set<string>;
  /** The seat limit the claims were counted against */
  limit: number | null;
}

let claimCounter = 0;

/**
 * An id in the shape of Prisma's cuid() (the column's default, which a raw insert does not get):
 * "c", the time in base 36, a counter, randomness. Time-ordered in input order, so claims made in
 * one statement (one createdAt) keep the file's order on the team page's (createdAt, id) sort.
 */
function claimId(): string {
  claimCounter = (claimCounter + 1) % 36 ** 4;
  return `c${Date.now().toString(36).padStart(8, '0')}${claimCounter.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

/**
 * Claim many addresses in one statement, as far as the seats go (in input order): the rows
 * created are this caller's to send; an address that already has a row (invited, or being sent
 * by someone else) needs no new seat, is left out, and goes through claimAndSend's per-row loop,
 * which knows how to wait for, adopt or take over such a row.
 *
 * One raw INSERT … SELECT FROM jsonb_to_recordset(…) ON CONFLICT DO NOTHING (the rows claimRow describes):
 * Prisma's createManyAndReturn builds and maps an object per row, which for a bulk file cost
 * more CPU than the claim itself (docs/benchmarks.md).
 */
export async function claimMany(actor: Actor, organizationId: string, inputs: InviteInput[]): Promise<ManyClaims> {
  if (!inputs.length) return { claims: new Map(), overSeatLimit: new Set(), limit: null };
  return claimSeats(organizationId, async (tx, free, limit) => {
    let fresh = inputs;
    const overSeatLimit = new Set<string>();
    if (Number.isFinite(free)) {
      const taken = new Set(
        (
          await tx.$queryRaw<Array<{ email: string }>>`
            SELECT email FROM "Membership" WHERE "organizationId" = ${organizationId} AND email = ANY(${inputs.map((i) => i.email)}::text[])`
        ).map((m) => m.email),
      );
      fresh = inputs.filter((i) => !taken.has(i.email));
      for (const input of fresh.slice(free)) overSeatLimit.add(input.email);
      fresh = fresh.slice(0, free);
    }
    if (!fresh.length) return { claims: new Map(), overSeatLimit, limit };
    const { invitedByUserId, inviterEmail } = inviterFields(actor);
    const now = new Date().toISOString();
    const values = JSON.stringify(
      fresh.map((i) => ({
        id: claimId(),
        email: i.email,
        name: i.name ?? null,
        role: i.role,
        externalId: i.externalId ?? null,
        metadata: i.metadata ?? null,
      })),
    );
    const created = await tx.$queryRaw<ClaimRef[]>`
      INSERT INTO "Membership" ("id", "organizationId", "email", "name", "role", "status", "syncState", "externalId", "metadata",
        "invitedByUserId", "inviterEmail", "createdAt", "updatedAt")
      SELECT id, ${organizationId}, email, name, role, 'PENDING_INVITE'::"MembershipStatus", 'SENDING'::"SyncState", "externalId", metadata,
        ${invitedByUserId}, ${inviterEmail}, ${now}::timestamp(3), ${now}::timestamp(3)
      FROM jsonb_to_recordset(${values}::jsonb) AS c(id text, email text, name text, role text, "externalId" text, metadata jsonb)
      ON CONFLICT DO NOTHING
      RETURNING "id", "email", "name", "invitedAt"`;
    return { claims: new Map(created.map((m) => [m.email, m])), overSeatLimit, limit };
  });
}
