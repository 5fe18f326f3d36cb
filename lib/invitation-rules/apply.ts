import type { Actor } from '@/lib/auth/actor';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import type { InvitationRequest, InvitationRule } from '@/lib/generated/prisma/client';
import { openInvitationRequest, type RequestOrigin } from '@/lib/invitation-requests/create';
import { announceRequest } from '@/lib/invitation-requests/notices';
import { errorForLog, log } from '@/lib/log';
import type { RateLimitCheck } from '@/lib/rate-limit/limiter';
import { orderRules, type DailyLimitBudget, type EvaluableRule, type RuleRef } from './evaluate';
import { ruleParametersSchema, type RuleParameters } from './kinds';

/**
 * The impure half of invitation rules, shared by every invite path (lib/invitations/invite.ts for
 * the form, the API and the directory; lib/invitations/bulk.ts for CSV files): reading an
 * organization's rules, the daily-limit counters, and holding an invitation as a request.
 */

/** A stored rule with its parameters checked (the same schema the settings form is checked with). */
export function toEvaluable(row: InvitationRule): EvaluableRule | null {
  const parsed = ruleParametersSchema.safeParse({ ...(row.parameters as object), kind: row.kind });
  if (!parsed.success) {
    // Written through the same schema, so this is a hand-edited row: say so loudly rather than guess.
    log.error({ ruleId: row.id, organizationId: row.organizationId, error: errorForLog(parsed.error) }, 'invitation rule unreadable');
    return null;
  }
  return { id: row.id, position: row.position, enabled: row.enabled, params: parsed.data as RuleParameters };
}

/** The organization's enabled rules, in evaluation order. Only this organization's: rules never cross organizations. */
export async function loadInvitationRules(organizationId: string): Promise<EvaluableRule[]> {
  const rows = await db.invitationRule.findMany({
    where: { organizationId, enabled: true },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
  });
  return orderRules(rows.map(toEvaluable).filter((r): r is EvaluableRule => r !== null));
}

const DAY_SECONDS = 24 * 3600;
const RULE_LIMIT_PREFIX = 'invite-rule:';

/** Who a daily limit counts: the person, the API key, or the system actor (every directory invite is "directory"). */
function senderSubject(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.userId}`;
    case 'api_key':
      return `key:${actor.apiKeyId}`;
    case 'system':
      return `system:${actor.label}`;
  }
}

/**
 * The daily limits as rate-limit checks, reserved in the same locked transaction as the hourly
 * invite budgets (lib/invitations/rate-limit.ts reserveInvites), so 30 parallel invites against a
 * limit of 20 grant exactly 20, across processes too. The window is 24 hours from the sender's
 * first invitation in it; the counter is keyed by the rule, so editing the number keeps the count.
 */
export function dailyLimitChecks(actor: Actor, limits: readonly DailyLimitBudget[]): RateLimitCheck[] {
  return limits.map((l) => ({
    rule: { name: `${RULE_LIMIT_PREFIX}${l.rule.id}`, limit: l.limit, windowSeconds: DAY_SECONDS },
    subject: senderSubject(actor),
  }));
}

function inHowLong(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  if (seconds < 90 * 60) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}

/** When a reservation was held back by a daily-limit rule: the refusal naming it (429, Retry-After). Null for any other budget. */
export function ruleLimitError(
  limits: readonly DailyLimitBudget[],
  limitedBy: { name: string } | null,
  retryAfterSeconds: number,
): AppError | null {
  if (!limitedBy?.name.startsWith(RULE_LIMIT_PREFIX)) return null;
  const id = limitedBy.name.slice(RULE_LIMIT_PREFIX.length);
  const budget = limits.find((l) => l.rule.id === id);
  if (!budget) return null;
  return new AppError(
    'rule_limit_reached',
    `Not sent: the invitation rule "${budget.rule.description}" allows no more today. Try again in ${inHowLong(retryAfterSeconds)}, or ask an admin to send it.`,
    { retryAfter: retryAfterSeconds, details: { ruleId: id } },
  );
}

/** A rule's refusal (EXTERNAL_DOMAINS_ROLE) as the error every path answers with: 422, the rule's id in details. */
export function ruleRefusedError(rule: RuleRef, message: string): AppError {
  return new AppError('rule_refused', message, { field: 'role', details: { ruleId: rule.id } });
}

/** What a hold tells the person who asked: the form's message, the bulk row's reason, the CSV's. */
export function heldMessage(rule: RuleRef): string {
  return `Held for approval: ${rule.description}.`;
}

export interface HeldInvitation {
  request: InvitationRequest;
  rule: RuleRef;
}

/**
 * Hold an invitation: open the request an admin decides on in Requests, instead of inviting. One
 * pending request per address (openInvitationRequest), so a retried post or a re-run bulk row
 * returns the request already waiting.
 */
export async function holdInvitation(
  actor: Actor,
  organizationId: string,
  invitation: { email: string; role: string; name?: string | null },
  rule: RuleRef,
  origin: RequestOrigin,
  bulkJobId?: string | null,
): Promise<HeldInvitation> {
  const { request, created } = await openInvitationRequest(actor, {
    organizationId,
    email: invitation.email,
    name: invitation.name ?? null,
    role: invitation.role,
    source: 'RULE',
    origin,
    rule,
    bulkJobId: bulkJobId ?? null,
  });
  // The inviters are told by email (lib/invitation-requests/notices.ts); not per row of a bulk file,
  // which would send one email per held row: the Requests page and its badge show those.
  if (created && origin !== 'bulk') await announceRequest(request);
  return { request, rule };
}
