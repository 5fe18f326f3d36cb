import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import { validationError } from '@/lib/errors/zod';
import type { InvitationRule, Prisma } from '@/lib/generated/prisma/client';
import { organizationRoles } from '@/lib/roles/catalogue';
import { toEvaluable } from './apply';
import { orderRules } from './evaluate';
import { describeRule, ruleParametersSchema, storedParameters, type RuleKind, type RuleParameters } from './kinds';

/**
 * Managing an organization's invitation rules (Settings → Invitation rules): list, add,
 * enable/disable, remove, move up/down. Admins with org:settings only; every change is audited
 * (org.rule_added / org.rule_changed / org.rule_removed) in the transaction that makes it, with
 * the rule's sentence, so the audit log and the outbound webhooks derived from it read like the
 * settings page.
 */

export const MAX_RULES_PER_ORG = 50;

export interface RuleView {
  id: string;
  kind: RuleKind;
  params: RuleParameters;
  description: string;
  enabled: boolean;
  position: number;
  createdByLabel: string | null;
  createdAt: Date;
}

function view(row: InvitationRule): RuleView | null {
  const rule = toEvaluable(row);
  if (!rule) return null;
  return {
    id: row.id,
    kind: rule.params.kind,
    params: rule.params,
    description: describeRule(rule.params),
    enabled: row.enabled,
    position: row.position,
    createdByLabel: row.createdByLabel,
    createdAt: row.createdAt,
  };
}

async function rows(organizationId: string, client: Pick<Prisma.TransactionClient, 'invitationRule'> = db): Promise<InvitationRule[]> {
  return orderRules(await client.invitationRule.findMany({ where: { organizationId }, orderBy: [{ position: 'asc' }, { id: 'asc' }] }));
}

export async function listInvitationRules(actor: Actor, organizationId: string): Promise<RuleView[]> {
  assertCan(actor, organizationId, 'org:settings');
  return (await rows(organizationId)).map(view).filter((r): r is RuleView => r !== null);
}

/** One statement that serializes rule changes of one organization (positions are read, then written). */
async function lockRules(tx: Prisma.TransactionClient, organizationId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
}

function notFound(): AppError {
  return new AppError('not_found', 'That invitation rule does not exist in this organization. Reload the page to see the current rules.');
}

/** Parse what the settings form sent; roles must be roles of this organization. */
async function parseRule(organizationId: string, input: unknown): Promise<RuleParameters> {
  const parsed = ruleParametersSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, 'The rule is not valid.');
  const params = parsed.data as RuleParameters;
  const named = params.kind === 'REQUIRE_APPROVAL_FOR_ROLES' ? params.roles : params.kind === 'EXTERNAL_DOMAINS_ROLE' ? [params.role] : [];
  if (named.length) {
    const known = new Set((await organizationRoles(organizationId)).map((r) => r.name));
    const unknown = named.filter((r) => !known.has(r));
    if (unknown.length) {
      const field = params.kind === 'REQUIRE_APPROVAL_FOR_ROLES' ? 'roles' : 'role';
      throw new AppError('unknown_role', `This organization has no role named ${unknown.join(', ')}. Choose one of its roles.`, { field });
    }
  }
  return params;
}

export async function addInvitationRule(actor: Actor, organizationId: string, input: unknown): Promise<RuleView> {
  assertCan(actor, organizationId, 'org:settings');
  const params = await parseRule(organizationId, input);
  const description = describeRule(params);
  const created = await db.$transaction(async (tx) => {
    await lockRules(tx, organizationId);
    const existing = await rows(organizationId, tx);
    if (existing.length >= MAX_RULES_PER_ORG) {
      throw new AppError('validation_failed', `An organization can have at most ${MAX_RULES_PER_ORG} invitation rules. Remove one first.`);
    }
    const duplicate = existing.find((r) => {
      const v = view(r);
      return v?.description === description;
    });
    if (duplicate) throw new AppError('validation_failed', `This rule already exists: "${description}".`, { field: 'kind' });
    const rule = await tx.invitationRule.create({
      data: {
        organizationId,
        kind: params.kind,
        parameters: storedParameters(params) as Prisma.InputJsonValue,
        position: existing.length ? Math.max(...existing.map((r) => r.position)) + 1 : 0,
        createdByUserId: actor.kind === 'user' ? actor.userId : null,
        createdByLabel: actor.kind === 'user' ? actor.email : actor.label,
      },
    });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'org.rule_added',
        target: { type: 'invitation_rule', id: rule.id, label: description },
        metadata: { kind: params.kind, rule: description },
      },
      tx,
    );
    return rule;
  });
  return view(created)!;
}

export async function setInvitationRuleEnabled(
  actor: Actor,
  organizationId: string,
  ruleId: string,
  enabled: boolean,
): Promise<{ rule: RuleView; changed: boolean }> {
  assertCan(actor, organizationId, 'org:settings');
  return db.$transaction(async (tx) => {
    await lockRules(tx, organizationId);
    const row = await tx.invitationRule.findFirst({ where: { id: ruleId, organizationId } });
    if (!row) throw notFound();
    if (row.enabled === enabled) return { rule: view(row)!, changed: false };
    const updated = await tx.invitationRule.update({ where: { id: row.id }, data: { enabled } });
    const v = view(updated)!;
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'org.rule_changed',
        target: { type: 'invitation_rule', id: row.id, label: v.description },
        metadata: { change: enabled ? 'enabled' : 'disabled', rule: v.description },
      },
      tx,
    );
    return { rule: v, changed: true };
  });
}

export async function removeInvitationRule(actor: Actor, organizationId: string, ruleId: string): Promise<{ description: string }> {
  assertCan(actor, organizationId, 'org:settings');
  return db.$transaction(async (tx) => {
    await lockRules(tx, organizationId);
    const row = await tx.invitationRule.findFirst({ where: { id: ruleId, organizationId } });
    if (!row) throw notFound();
    const description = view(row)?.description ?? row.kind;
    await tx.invitationRule.delete({ where: { id: row.id } });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'org.rule_removed',
        target: { type: 'invitation_rule', id: row.id, label: description },
        metadata: { kind: row.kind, rule: description },
      },
      tx,
    );
    // Requests this rule held stay in the queue: an admin still decides on them.
    return { description };
  });
}

/**
 * Move a rule one place up or down (earlier rules are read first). Positions are renumbered 0..n-1
 * under the organization's lock, so two admins reordering at once never end with equal positions.
 */
export async function moveInvitationRule(
  actor: Actor,
  organizationId: string,
  ruleId: string,
  direction: 'up' | 'down',
): Promise<{ rules: RuleView[]; changed: boolean }> {
  assertCan(actor, organizationId, 'org:settings');
  return db.$transaction(async (tx) => {
    await lockRules(tx, organizationId);
    const ordered = await rows(organizationId, tx);
    const index = ordered.findIndex((r) => r.id === ruleId);
    if (index < 0) throw notFound();
    const target = direction === 'up' ? index - 1 : index + 1;
    const list = (xs: InvitationRule[]) => xs.map(view).filter((r): r is RuleView => r !== null);
    if (target < 0 || target >= ordered.length) return { rules: list(ordered), changed: false };
    const next = [...ordered];
    [next[index], next[target]] = [next[target]!, next[index]!];
    for (const [position, row] of next.entries()) {
      if (row.position !== position) await tx.invitationRule.update({ where: { id: row.id }, data: { position } });
    }
    const moved = view(ordered[index]!);
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'org.rule_changed',
        target: { type: 'invitation_rule', id: ruleId, label: moved?.description ?? null },
        metadata: { change: direction === 'up' ? 'moved_up' : 'moved_down', position: target + 1, rule: moved?.description ?? null },
      },
      tx,
    );
    return { rules: list(await rows(organizationId, tx)), changed: true };
  });
}
