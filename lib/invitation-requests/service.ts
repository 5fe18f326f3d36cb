import type PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { actorCan, assertCan } from '@/lib/auth/authorize';
import { actorFields, recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { AppError, ForbiddenError } from '@/lib/errors/app-error';
import type { InvitationRequest, InvitationRequestStatus, Membership, Organization } from '@/lib/generated/prisma/client';
import { assertDomainAllowed, inviteMember, loadOrganization, validateInvite, type SentOutcome } from '@/lib/invitations/invite';
import { CONTROL_CHARS } from '@/lib/invitations/schemas';
import { effectiveStatus } from '@/lib/members/status';
import { sendNotice } from '@/lib/mail/send';
import { announceRequest, noticeForDecision } from './notices';
import { decodeCursor, keysetPage, keysetWhere } from '@/lib/pagination/keyset';
import { consumeRateLimit, type RateLimitRule } from '@/lib/rate-limit/limiter';
import { findRole, organizationRoles } from '@/lib/roles/catalogue';
import { openInvitationRequest, type OpenedRequest, type RequestOrigin } from './create';

/**
 * Invitation requests: members ask, admins decide (docs/invitation-requests.md).
 *
 * Who may do what:
 *  - ask: an active member of the organization (any role) or an API key with the
 *    invitations:write scope, only while the organization's "Members can request invitations"
 *    setting is on;
 *  - see the queue and decide: whoever may invite (members:invite), because approving IS
 *    inviting: the invitation goes out through inviteMember as theirs, with its checks (seats,
 *    domains, the roles they may grant, their rate limit);
 *  - cancel: the member who asked, while it is pending.
 *
 * Approval order (why a retry always finishes the job): the request is checked PENDING, then the
 * invitation is sent through inviteMember, which is idempotent on (organization, email), then
 * the request is marked APPROVED by a compare-and-set on status = PENDING together with its audit
 * event. Scalekit failing leaves the request PENDING (and the invite claim FAILED, which the next
 * attempt reconciles); a crash after the invitation leaves it PENDING with the invitation there,
 * and the retry's inviteMember answers "already invited" with the same membership. Two admins at
 * once: both reach inviteMember, one sends, the other waits for that outcome; one compare-and-set
 * wins, the other is told who approved it.
 */

export const REASON_MAX = 500;
export const NOTE_MAX = 500;

function requestsPerMember(): RateLimitRule {
  return { name: 'request:actor', limit: getEnv().RATE_LIMIT_REQUESTS_PER_MEMBER_PER_HOUR, windowSeconds: 3600 };
}

function askerKey(actor: Actor): string {
  return actor.kind === 'user' ? `user:${actor.userId}` : actor.kind === 'api_key' ? `key:${actor.apiKeyId}` : `system:${actor.label}`;
}

/** Optional free text (a reason, a note): trimmed, one paragraph, no control characters. */
function freeText(field: string, label: string, max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n?|\n|\t/g, ' ').trim() : v),
    z
      .string({ error: `${label} must be text.` })
      .max(max, `${label} can be at most ${max} characters.`)
      .refine((t) => !CONTROL_CHARS.test(t), `${label} contains characters that cannot be shown.`)
      .optional()
      .transform((t) => (t ? t : null)),
  );
}

const reasonSchema = freeText('reason', 'The reason', REASON_MAX);
const noteSchema = freeText('note', 'The note', NOTE_MAX);

function parseText(schema: typeof reasonSchema, value: unknown, field: string): string | null {
  const parsed = schema.safeParse(value ?? undefined);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'This text is not valid.';
  throw new AppError('validation_failed', message, { field });
}

export interface RequestInput {
  email?: unknown;
  role?: unknown;
  name?: unknown;
  reason?: unknown;
}

export interface RequestOptions {
  origin?: Extract<RequestOrigin, 'form' | 'api'>;
  /** The pg-boss to queue notices on (tests); the app's sender by default. */
  boss?: PgBoss;
}

function assertCanAsk(actor: Actor, org: Organization): void {
  if (actor.organizationId !== org.id) throw new ForbiddenError();
  if (actor.kind === 'api_key') assertCan(actor, org.id, 'members:invite');
  if (!org.membersMayRequest) {
    throw new AppError(
      'requests_disabled',
      `${org.name} does not take invitation requests. Ask an admin to invite the person, or to turn on "Members can request invitations" in Settings.`,
    );
  }
}

/** The same "already a member / already invited" answers as the invite form, before anything is queued. */
async function assertNotInOrganization(org: Organization, email: string): Promise<void> {
  const existing = await db.membership.findUnique({
    where: { organizationId_email: { organizationId: org.id, email } },
    select: { status: true, expiresAt: true, syncState: true },
  });
  if (!existing) return;
  const status = effectiveStatus(existing);
  if (status === 'ACTIVE' || status === 'INACTIVE') {
    throw new AppError('already_member', `${email} is already a member of ${org.name}. Nothing was requested.`, { field: 'email' });
  }
  if (status === 'PENDING_INVITE' && existing.syncState === 'SYNCED') {
    throw new AppError('already_invited', `${email} already has a pending invitation to ${org.name}. Nothing was requested.`, {
      field: 'email',
    });
  }
  // An expired invitation, or one that failed to send: asking again is how it gets another one.
}

/**
 * A member (or an API key) asks for someone to be invited. Validated as the invite form is (the
 * same schema, the organization's roles and allowed domains, "already a member / already
 * invited"), then counted against the asker's hourly budget, then queued. Asking again for an
 * address that already waits returns the waiting request (created: false) and counts nothing
 * twice in the queue.
 */
export async function requestInvitation(
  actor: Actor,
  organizationId: string,
  raw: RequestInput,
  options: RequestOptions = {},
): Promise<OpenedRequest> {
  const org = await loadOrganization(organizationId);
  assertCanAsk(actor, org);
  const input = validateInvite({ email: raw.email, role: raw.role, ...(raw.name ? { name: raw.name } : {}) });
  const reason = parseText(reasonSchema, raw.reason, 'reason');
  findRole(await organizationRoles(organizationId), input.role);
  assertDomainAllowed(org, input.email);
  await assertNotInOrganization(org, input.email);

  const budget = await consumeRateLimit(requestsPerMember(), askerKey(actor));
  if (!budget.allowed) {
    const minutes = Math.ceil(budget.retryAfterSeconds / 60);
    throw new AppError(
      'rate_limited',
      `You have asked for ${budget.limit} invitations this hour, the most allowed. Nothing was requested; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { retryAfter: budget.retryAfterSeconds },
    );
  }

  const opened = await openInvitationRequest(actor, {
    organizationId,
    email: input.email,
    name: input.name ?? null,
    role: input.role,
    reason,
    source: 'MEMBER',
    origin: options.origin ?? 'form',
  });
  if (opened.created) await announceRequest(opened.request, { boss: options.boss });
  return opened;
}

export type RequestStatusFilter = InvitationRequestStatus | 'DECIDED';

export interface ListRequestsOptions {
  status?: RequestStatusFilter;
  cursor?: string | null;
  limit?: number;
}

export interface RequestPage {
  requests: InvitationRequest[];
  nextCursor: string | null;
  prevCursor: string | null;
}

/** May this actor see the organization's queue and decide? (people: members:invite; keys: invitations:write). */
export function canReviewRequests(actor: Actor, organizationId: string): boolean {
  return actor.organizationId === organizationId && actorCan(actor, 'members:invite');
}

/** The queue, newest first, keyset-paginated on (createdAt, id) like GET /api/invitations. */
export async function listRequests(actor: Actor, organizationId: string, options: ListRequestsOptions = {}): Promise<RequestPage> {
  assertCan(actor, organizationId, 'members:invite');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 100);
  const cursor = options.cursor ? decodeCursor(options.cursor) : null;
  if (options.cursor && !cursor) throw new AppError('invalid_cursor', undefined, { field: 'cursor' });
  const keyset = keysetWhere(cursor);
  const status = options.status === 'DECIDED' ? { in: ['APPROVED', 'DENIED', 'CANCELLED'] as InvitationRequestStatus[] } : options.status;
  const rows = await db.invitationRequest.findMany({
    where: { organizationId, ...(status ? { status } : {}), ...(keyset.where ?? {}) },
    orderBy: keyset.orderBy,
    take: limit + 1,
  });
  const page = keysetPage(rows, limit, cursor);
  return { requests: page.rows, nextCursor: page.nextCursor, prevCursor: page.prevCursor };
}

/** The badge: pending requests, or null for someone who cannot decide them (no badge, no query). */
export async function pendingRequestCount(actor: Actor, organizationId: string): Promise<number | null> {
  if (!canReviewRequests(actor, organizationId)) return null;
  return db.invitationRequest.count({ where: { organizationId, status: 'PENDING' } });
}

/** What the signed-in member asked for in this organization, newest first. */
export async function listMyRequests(actor: Actor, organizationId: string, limit = 50): Promise<InvitationRequest[]> {
  if (actor.organizationId !== organizationId) throw new ForbiddenError();
  if (actor.kind !== 'user') return [];
  return db.invitationRequest.findMany({
    where: { organizationId, requestedByUserId: actor.userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: Math.min(Math.max(limit, 1), 100),
  });
}

export async function getRequest(actor: Actor, organizationId: string, requestId: string): Promise<InvitationRequest> {
  assertCan(actor, organizationId, 'members:invite');
  return findRequest(organizationId, requestId);
}

async function findRequest(organizationId: string, requestId: string): Promise<InvitationRequest> {
  const request = await db.invitationRequest.findFirst({ where: { id: requestId, organizationId } });
  if (!request) throw new AppError('request_not_found');
  return request;
}

const STATUS_WORDS: Record<InvitationRequestStatus, string> = {
  PENDING: 'pending',
  APPROVED: 'approved',
  DENIED: 'denied',
  CANCELLED: 'cancelled',
};

function alreadyDecided(request: InvitationRequest): AppError {
  const by = request.status === 'CANCELLED' ? (request.decidedByLabel ?? 'the member who asked') : (request.decidedByLabel ?? 'someone');
  const when = request.decidedAt ? ` on ${request.decidedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return new AppError(
    'request_decided',
    `This request for ${request.email} was already ${STATUS_WORDS[request.status]} by ${by}${when}. Only pending requests can be decided.`,
  );
}

function assertPending(request: InvitationRequest): void {
  if (request.status !== 'PENDING') throw alreadyDecided(request);
}

export interface DecisionOptions {
  note?: unknown;
  boss?: PgBoss;
  /** Where the approval came from, for the invitation's audit event. */
  source?: 'form' | 'api';
}

type Decision = 'APPROVED' | 'DENIED' | 'CANCELLED';

const DECISION_ACTION = { APPROVED: 'request.approved', DENIED: 'request.denied', CANCELLED: 'request.cancelled' } as const;

/**
 * PENDING → decided, with its audit event, as one compare-and-set: of two admins deciding at once
 * exactly one writes; the other learns who did.
 */
async function decide(
  actor: Actor,
  request: InvitationRequest,
  status: Decision,
  note: string | null,
  extra: { membershipId?: string; outcome?: SentOutcome } = {},
): Promise<InvitationRequest> {
  const who = actorFields(actor);
  const decided = await db.$transaction(async (tx) => {
    const { count } = await tx.invitationRequest.updateMany({
      where: { id: request.id, organizationId: request.organizationId, status: 'PENDING' },
      data: {
        status,
        pendingEmail: null,
        decidedByUserId: actor.kind === 'user' ? actor.userId : null,
        decidedByLabel: who.actorLabel,
        decisionNote: note,
        decidedAt: new Date(),
        ...(extra.membershipId ? { membershipId: extra.membershipId } : {}),
      },
    });
    if (count !== 1) return null;
    await recordAudit(
      {
        actor,
        organizationId: request.organizationId,
        action: DECISION_ACTION[status],
        target: { type: 'invitation_request', id: request.id, label: request.email },
        metadata: {
          source: request.source,
          role: request.role,
          ...(note ? { note } : {}),
          ...(extra.membershipId ? { membershipId: extra.membershipId } : {}),
          ...(extra.outcome ? { outcome: extra.outcome } : {}),
        },
      },
      tx,
    );
    return tx.invitationRequest.findUniqueOrThrow({ where: { id: request.id } });
  });
  if (decided) return decided;
  throw alreadyDecided(await findRequest(request.organizationId, request.id));
}

export interface ApprovalResult {
  request: InvitationRequest;
  /** What inviteMember did: invited, or the person was already invited / a member by then. */
  outcome: SentOutcome;
  /** The invitation (or membership) the request now points at */
  membership: Membership;
}

/**
 * Approve: send the invitation through the normal pipeline as the approving admin's, then mark
 * the request APPROVED (see the order at the top of this file). A refusal by the pipeline (no
 * seat left, a role the admin may not grant, a domain no longer allowed) leaves the request
 * PENDING and says why; the admin can deny it or fix the cause.
 */
export async function approveRequest(
  actor: Actor,
  organizationId: string,
  requestId: string,
  options: DecisionOptions = {},
): Promise<ApprovalResult> {
  assertCan(actor, organizationId, 'members:invite');
  const note = parseText(noteSchema, options.note, 'note');
  const request = await findRequest(organizationId, requestId);
  assertPending(request);
  const result = await inviteMember(
    actor,
    organizationId,
    { email: request.email, role: request.role, ...(request.name ? { name: request.name } : {}) },
    { source: options.source ?? 'form', approvedRequestId: request.id },
  );
  // approvedRequestId lets the invitation past approval rules (lib/invitation-rules), so a hold here
  // means a rule the approval cannot override: nothing was sent and the request stays pending.
  if (result.outcome === 'held') {
    throw new AppError(
      'rule_refused',
      `The rule "${result.rule.description}" still holds this invitation. Nothing was sent; the request stays pending.`,
    );
  }
  const { outcome, membership } = result;
  const decided = await decide(actor, request, 'APPROVED', note, { membershipId: membership.id, outcome });
  const org = await loadOrganization(organizationId);
  await sendNotice(await noticeForDecision(org, decided, actor.kind === 'user' ? actor.email : null), { boss: options.boss });
  return { request: decided, outcome, membership };
}

/** Deny with an optional note; nothing is sent to the person named in the request. */
export async function denyRequest(
  actor: Actor,
  organizationId: string,
  requestId: string,
  options: DecisionOptions = {},
): Promise<InvitationRequest> {
  assertCan(actor, organizationId, 'members:invite');
  const note = parseText(noteSchema, options.note, 'note');
  const request = await findRequest(organizationId, requestId);
  assertPending(request);
  const decided = await decide(actor, request, 'DENIED', note);
  const org = await loadOrganization(organizationId);
  await sendNotice(await noticeForDecision(org, decided, actor.kind === 'user' ? actor.email : null), { boss: options.boss });
  return decided;
}

/** The member who asked withdraws a pending request. Nobody else may (an admin denies instead). */
export async function cancelRequest(actor: Actor, organizationId: string, requestId: string): Promise<InvitationRequest> {
  if (actor.organizationId !== organizationId) throw new ForbiddenError();
  const request = await db.invitationRequest.findFirst({ where: { id: requestId, organizationId } });
  // Someone else's request is "not found" to a member: they cannot see the queue.
  if (!request || actor.kind !== 'user' || request.requestedByUserId !== actor.userId) throw new AppError('request_not_found');
  assertPending(request);
  return decide(actor, request, 'CANCELLED', null);
}

/** Whether the organization takes requests (its Settings toggle), for pages deciding what to offer. */
export async function requestsEnabled(organizationId: string): Promise<boolean> {
  const org = await db.organization.findUnique({ where: { id: organizationId }, select: { membersMayRequest: true } });
  return org?.membersMayRequest ?? false;
}

export { announceRequest };
