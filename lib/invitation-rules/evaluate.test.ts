import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/actor';
import { systemActor } from '@/lib/auth/actor';
import { evaluateInvitationRules, type EvaluableRule, type InvitationContext } from './evaluate';
import { describeRule, ruleParametersSchema, type RuleParameters } from './kinds';

const admin: Actor = {
  kind: 'user',
  userId: 'usr_ada',
  email: 'ada@acme.com',
  name: null,
  organizationId: 'org_acme',
  role: 'admin',
  permissions: ['members:read', 'members:invite', 'members:manage', 'org:settings'],
  sessionId: 's',
};

const outside: RuleParameters = { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: ['acme.com', 'acme.io'] };
const adminRole: RuleParameters = { kind: 'REQUIRE_APPROVAL_FOR_ROLES', roles: ['admin'] };
const daily: RuleParameters = { kind: 'DAILY_LIMIT_PER_INVITER', limit: 20 };
const externalMember: RuleParameters = { kind: 'EXTERNAL_DOMAINS_ROLE', domains: ['acme.com'], role: 'member' };

function rule(id: string, position: number, params: RuleParameters, enabled = true): EvaluableRule {
  return { id, position, enabled, params };
}

function ctx(over: Partial<InvitationContext> = {}): InvitationContext {
  return { actor: admin, email: 'new@acme.com', role: 'member', source: 'form', ...over };
}

describe('describeRule', () => {
  it('says each kind as one sentence built from its parameters', () => {
    expect(describeRule(outside)).toBe("Invitations to addresses outside acme.com, acme.io need an admin's approval");
    expect(describeRule(adminRole)).toBe("Invitations with the role admin need an admin's approval");
    expect(describeRule({ kind: 'REQUIRE_APPROVAL_FOR_ROLES', roles: ['admin', 'owner'] })).toBe(
      "Invitations with the roles admin, owner need an admin's approval",
    );
    expect(describeRule(daily)).toBe('Each person can send at most 20 invitations a day');
    expect(describeRule({ kind: 'DAILY_LIMIT_PER_INVITER', limit: 1 })).toBe('Each person can send at most 1 invitation a day');
    expect(describeRule(externalMember)).toBe('Addresses outside acme.com can only be invited as member');
  });
});

describe('ruleParametersSchema', () => {
  it('cleans what an admin typed and refuses what cannot be a rule, naming the field', () => {
    expect(ruleParametersSchema.parse({ kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: ' @Acme.com, acme.io acme.com' })).toEqual(
      outside,
    );
    expect(ruleParametersSchema.parse({ kind: 'DAILY_LIMIT_PER_INVITER', limit: '20' })).toEqual(daily);
    expect(ruleParametersSchema.parse({ kind: 'REQUIRE_APPROVAL_FOR_ROLES', roles: 'admin, admin' })).toEqual(adminRole);

    const bad = (input: unknown) => ruleParametersSchema.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(bad({ kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: '' })).toEqual([
      ['domains', 'Enter at least one domain, like acme.com.'],
    ]);
    expect(bad({ kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: 'not a domain' })).toEqual([
      ['domains', '"not" is not a domain name (expected something like acme.com).'],
    ]);
    expect(bad({ kind: 'DAILY_LIMIT_PER_INVITER', limit: '0' })).toEqual([['limit', 'Enter a whole number from 1 to 10,000.']]);
    expect(bad({ kind: 'DAILY_LIMIT_PER_INVITER', limit: '2.5' })).toEqual([['limit', 'Enter a whole number from 1 to 10,000.']]);
    expect(bad({ kind: 'EXTERNAL_DOMAINS_ROLE', domains: 'acme.com', role: '' })).toEqual([['role', 'Choose a role.']]);
    expect(bad({ kind: 'NOPE' })?.[0]?.[1]).toBe('Choose what kind of rule to add.');
  });
});

describe('evaluateInvitationRules', () => {
  it('allows everything when the organization has no rules', () => {
    expect(evaluateInvitationRules([], ctx({ email: 'x@elsewhere.test', role: 'admin' }))).toEqual({ kind: 'allow', limits: [] });
  });

  it('REQUIRE_APPROVAL_OUTSIDE_DOMAINS holds addresses outside the domains only', () => {
    const rules = [rule('r1', 0, outside)];
    expect(evaluateInvitationRules(rules, ctx({ email: 'a@acme.io' })).kind).toBe('allow');
    expect(evaluateInvitationRules(rules, ctx({ email: 'a@sub.acme.com' }))).toEqual({
      kind: 'hold',
      rule: { id: 'r1', description: describeRule(outside) },
    });
    expect(evaluateInvitationRules(rules, ctx({ email: 'a@gmail.com' })).kind).toBe('hold');
  });

  it('REQUIRE_APPROVAL_FOR_ROLES holds the listed roles only', () => {
    const rules = [rule('r1', 0, adminRole)];
    expect(evaluateInvitationRules(rules, ctx({ role: 'member' })).kind).toBe('allow');
    expect(evaluateInvitationRules(rules, ctx({ role: 'admin' }))).toMatchObject({ kind: 'hold', rule: { id: 'r1' } });
  });

  it('DAILY_LIMIT_PER_INVITER comes back as a budget to reserve, not a decision', () => {
    expect(evaluateInvitationRules([rule('r1', 0, daily)], ctx())).toEqual({
      kind: 'allow',
      limits: [{ rule: { id: 'r1', description: 'Each person can send at most 20 invitations a day' }, limit: 20 }],
    });
  });

  it('EXTERNAL_DOMAINS_ROLE refuses another role for outside addresses, naming the rule and what would pass', () => {
    const rules = [rule('r1', 0, externalMember)];
    expect(evaluateInvitationRules(rules, ctx({ email: 'a@partner.test', role: 'member' })).kind).toBe('allow');
    expect(evaluateInvitationRules(rules, ctx({ email: 'a@acme.com', role: 'admin' })).kind).toBe('allow');
    const refused = evaluateInvitationRules(rules, ctx({ email: 'a@partner.test', role: 'admin' }));
    expect(refused).toMatchObject({ kind: 'refuse', rule: { id: 'r1', description: describeRule(externalMember) } });
    expect(refused.kind === 'refuse' && refused.message).toBe(
      'Not sent: the invitation rule "Addresses outside acme.com can only be invited as member" does not allow inviting a@partner.test as admin. Invite them as member, or ask an admin to change the rule in Settings.',
    );
  });

  it('reads rules in position order: the first hold names its rule; a refusal wins over an earlier hold', () => {
    const a = rule('a', 2, outside);
    const b = rule('b', 1, adminRole);
    const outsideAdmin = ctx({ email: 'x@gmail.com', role: 'admin' });
    expect(evaluateInvitationRules([a, b], outsideAdmin)).toMatchObject({ kind: 'hold', rule: { id: 'b' } });
    expect(evaluateInvitationRules([{ ...a, position: 0 }, b], outsideAdmin)).toMatchObject({ kind: 'hold', rule: { id: 'a' } });
    // Same position: the id decides, so two app instances never disagree.
    expect(evaluateInvitationRules([{ ...a, position: 1 }, b], outsideAdmin)).toMatchObject({ kind: 'hold', rule: { id: 'a' } });
    const refuse = rule('z', 9, externalMember);
    expect(evaluateInvitationRules([a, b, refuse], outsideAdmin)).toMatchObject({ kind: 'refuse', rule: { id: 'z' } });
  });

  it('skips disabled rules', () => {
    expect(evaluateInvitationRules([rule('r1', 0, outside, false)], ctx({ email: 'x@gmail.com' })).kind).toBe('allow');
  });

  it('an approved request passes approval rules, not refusals or limits', () => {
    const rules = [rule('o', 0, outside), rule('r', 1, adminRole), rule('d', 2, daily), rule('e', 3, externalMember)];
    expect(evaluateInvitationRules(rules, ctx({ email: 'x@gmail.com', approvedRequestId: 'req_1' }))).toMatchObject({
      kind: 'allow',
      limits: [{ rule: { id: 'd' }, limit: 20 }],
    });
    expect(evaluateInvitationRules(rules, ctx({ email: 'x@gmail.com', role: 'admin', approvedRequestId: 'req_1' }))).toMatchObject({
      kind: 'refuse',
      rule: { id: 'e' },
    });
  });

  it('applies to every actor alike: API keys and the directory system actor are held too', () => {
    const rules = [rule('o', 0, outside)];
    const key: Actor = { kind: 'api_key', apiKeyId: 'k', label: 'HR', organizationId: 'org_acme', scopes: ['invitations:write'] };
    for (const actor of [admin, key, systemActor('directory', 'org_acme')]) {
      expect(evaluateInvitationRules(rules, ctx({ actor, email: 'x@gmail.com', source: 'directory' })).kind).toBe('hold');
    }
  });
});
