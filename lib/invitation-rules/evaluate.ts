import type { Actor } from '@/lib/auth/actor';
import { domainAllowed } from '@/lib/invitations/schemas';
import { describeRule, isApprovalKind, type RuleParameters } from './kinds';

/**
 * Deciding what an organization's invitation rules say about one invitation. Pure: the rules and
 * the invitation go in, a decision comes out; the one impure kind (the daily limit, a counter)
 * comes back as a budget for the caller to reserve atomically (lib/invitation-rules/apply.ts).
 *
 * Every actor is subject to the rules: people (admins included), API keys and system actors such
 * as the directory. An admin who wants an exception approves the held request in Requests; a rule
 * that exempted admins would let a stolen admin session or a misconfigured directory bypass it.
 *
 * Order: rules are read in position order (ties: id). A refusal wins over a hold whichever comes
 * first (holding an invitation that approval could never send would only waste an admin's time),
 * then the first hold, then the daily limits. An approved request (approvedRequestId) is not held
 * again by approval rules, but refusals and daily limits still apply to it.
 */

export interface EvaluableRule {
  id: string;
  position: number;
  enabled: boolean;
  params: RuleParameters;
}

export interface RuleRef {
  id: string;
  /** describeRule's sentence */
  description: string;
}

export interface DailyLimitBudget {
  rule: RuleRef;
  limit: number;
}

export interface InvitationContext {
  actor: Actor;
  /** Lower-cased, validated */
  email: string;
  role: string;
  source: 'form' | 'api' | 'bulk' | 'directory';
  /** Set when an admin approved a request for this invitation: approval rules let it through */
  approvedRequestId?: string | null;
}

export type RuleDecision =
  { kind: 'allow'; limits: DailyLimitBudget[] } | { kind: 'hold'; rule: RuleRef } | { kind: 'refuse'; rule: RuleRef; message: string };

function ref(rule: EvaluableRule): RuleRef {
  return { id: rule.id, description: describeRule(rule.params) };
}

export function orderRules<T extends Pick<EvaluableRule, 'position' | 'id'>>(rules: readonly T[]): T[] {
  return [...rules].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The refusal sentence of an EXTERNAL_DOMAINS_ROLE rule: which rule, and what would pass. */
export function externalRoleRefusal(rule: RuleRef, email: string, allowedRole: string, role: string): string {
  return `Not sent: the invitation rule "${rule.description}" does not allow inviting ${email} as ${role}. Invite them as ${allowedRole}, or ask an admin to change the rule in Settings.`;
}

export function evaluateInvitationRules(rules: readonly EvaluableRule[], context: InvitationContext): RuleDecision {
  let hold: RuleRef | null = null;
  const limits: DailyLimitBudget[] = [];
  for (const rule of orderRules(rules)) {
    if (!rule.enabled) continue;
    const p = rule.params;
    if (context.approvedRequestId && isApprovalKind(p.kind)) continue;
    switch (p.kind) {
      case 'EXTERNAL_DOMAINS_ROLE':
        if (!domainAllowed(context.email, p.domains) && context.role !== p.role) {
          const r = ref(rule);
          return { kind: 'refuse', rule: r, message: externalRoleRefusal(r, context.email, p.role, context.role) };
        }
        break;
      case 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS':
        if (!hold && !domainAllowed(context.email, p.domains)) hold = ref(rule);
        break;
      case 'REQUIRE_APPROVAL_FOR_ROLES':
        if (!hold && p.roles.includes(context.role)) hold = ref(rule);
        break;
      case 'DAILY_LIMIT_PER_INVITER':
        limits.push({ rule: ref(rule), limit: p.limit });
        break;
    }
  }
  if (hold) return { kind: 'hold', rule: hold };
  return { kind: 'allow', limits };
}
