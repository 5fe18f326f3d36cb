import { z } from 'zod';
import { ROLE_NAME_PATTERN } from '@/lib/auth/permissions';
import { parseDomainList } from '@/lib/organizations/domains';

/**
 * The kinds of conditional invitation rule, their parameters, and the one sentence each rule is
 * shown as: in Settings, in a refusal, in a held invitation's request, in a bulk row's reason and
 * the results CSV. No database or server imports.
 */

export { MAX_DAILY_LIMIT, RULE_KIND_LABELS, RULE_KINDS, type RuleKind } from './kind-labels';
import { MAX_DAILY_LIMIT, type RuleKind } from './kind-labels';
export const MAX_RULE_ROLES = 20;

export type RuleParameters =
  | { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS'; domains: string[] }
  | { kind: 'REQUIRE_APPROVAL_FOR_ROLES'; roles: string[] }
  | { kind: 'DAILY_LIMIT_PER_INVITER'; limit: number }
  | { kind: 'EXTERNAL_DOMAINS_ROLE'; domains: string[]; role: string };

/** Domains as an admin types them (comma, space or newline separated) or as stored (an array); at least one. */
const domainsSchema = z
  .union([z.string(), z.array(z.string())], { error: 'Enter at least one domain, like acme.com.' })
  .transform((value, ctx) => {
    const parsed = parseDomainList(typeof value === 'string' ? value.slice(0, 10_000) : value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    if (parsed.domains.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Enter at least one domain, like acme.com.' });
      return z.NEVER;
    }
    return parsed.domains;
  });

const roleName = z
  .string({ error: 'Choose a role.' })
  .trim()
  .min(1, { message: 'Choose a role.', abort: true })
  .regex(ROLE_NAME_PATTERN, 'A role name is 1 to 64 letters, digits or underscores, such as member.');

const rolesSchema = z
  .union([z.string(), z.array(z.string())], { error: 'Choose at least one role.' })
  .transform((v) => [...new Set((typeof v === 'string' ? v.split(/[\s,]+/) : v).map((r) => r.trim()).filter(Boolean))])
  .pipe(z.array(roleName).min(1, 'Choose at least one role.').max(MAX_RULE_ROLES, `Choose at most ${MAX_RULE_ROLES} roles.`));

const limitSchema = z.coerce
  .number({ error: `Enter a whole number from 1 to ${MAX_DAILY_LIMIT.toLocaleString('en-US')}.` })
  .int(`Enter a whole number from 1 to ${MAX_DAILY_LIMIT.toLocaleString('en-US')}.`)
  .min(1, `Enter a whole number from 1 to ${MAX_DAILY_LIMIT.toLocaleString('en-US')}.`)
  .max(MAX_DAILY_LIMIT, `Enter a whole number from 1 to ${MAX_DAILY_LIMIT.toLocaleString('en-US')}.`);

/** One rule's kind and parameters, from the settings form or from the database (same check both ways). */
export const ruleParametersSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('REQUIRE_APPROVAL_OUTSIDE_DOMAINS'), domains: domainsSchema }),
    z.object({ kind: z.literal('REQUIRE_APPROVAL_FOR_ROLES'), roles: rolesSchema }),
    z.object({ kind: z.literal('DAILY_LIMIT_PER_INVITER'), limit: limitSchema }),
    z.object({ kind: z.literal('EXTERNAL_DOMAINS_ROLE'), domains: domainsSchema, role: roleName }),
  ],
  { error: 'Choose what kind of rule to add.' },
);

/** The parameters as stored in InvitationRule.parameters (the kind lives in its own column). */
export function storedParameters(params: RuleParameters): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => key !== 'kind'));
}

function list(items: readonly string[]): string {
  return items.join(', ');
}

/** The rule as a sentence a person reads; the only place a rule's wording is made. */
export function describeRule(params: RuleParameters): string {
  switch (params.kind) {
    case 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS':
      return `Invitations to addresses outside ${list(params.domains)} need an admin's approval`;
    case 'REQUIRE_APPROVAL_FOR_ROLES':
      return `Invitations with the role${params.roles.length > 1 ? 's' : ''} ${list(params.roles)} need an admin's approval`;
    case 'DAILY_LIMIT_PER_INVITER':
      return `Each person can send at most ${params.limit} invitation${params.limit === 1 ? '' : 's'} a day`;
    case 'EXTERNAL_DOMAINS_ROLE':
      return `Addresses outside ${list(params.domains)} can only be invited as ${params.role}`;
  }
}

/** Rules that hold an invitation for approval (an approved request is not held by them again). */
export function isApprovalKind(kind: RuleKind): boolean {
  return kind === 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS' || kind === 'REQUIRE_APPROVAL_FOR_ROLES';
}
