/**
 * The rule kinds and their labels, for the settings form in the browser: no zod here. Zod 4
 * probes `new Function` when a schema first parses, which a strict CSP (no 'unsafe-eval') reports
 * as a violation on every page that ships a schema to the client (e2e/security-headers.spec.ts).
 */

export const RULE_KINDS = [
  'REQUIRE_APPROVAL_OUTSIDE_DOMAINS',
  'REQUIRE_APPROVAL_FOR_ROLES',
  'DAILY_LIMIT_PER_INVITER',
  'EXTERNAL_DOMAINS_ROLE',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** What the kind picker says; the parameter fields follow from the kind. */
export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  REQUIRE_APPROVAL_OUTSIDE_DOMAINS: 'Approval for addresses outside some domains',
  REQUIRE_APPROVAL_FOR_ROLES: 'Approval for some roles',
  DAILY_LIMIT_PER_INVITER: 'Daily limit per person',
  EXTERNAL_DOMAINS_ROLE: 'Only one role for addresses outside some domains',
};

export const MAX_DAILY_LIMIT = 10_000;
