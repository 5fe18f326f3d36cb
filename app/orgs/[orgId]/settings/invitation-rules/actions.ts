'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { addInvitationRule, moveInvitationRule, removeInvitationRule, setInvitationRuleEnabled } from '@/lib/invitation-rules/service';
import { adminAction, orgIdSchema, rowIdSchema, type ActionResult } from '../../admin-action';

/**
 * Settings → Invitation rules. Thin: the input shape is parsed here, adminAction re-checks the
 * session and org:settings, and lib/invitation-rules validates the rule itself (its parameters
 * with the same schema the stored rules are read with) and audits the change.
 */

const ruleId = rowIdSchema('That invitation rule does not exist in this organization.');

function done(orgId: string) {
  revalidatePath(`/orgs/${orgId}/settings`);
  revalidatePath(`/orgs/${orgId}/audit`);
}

const add = adminAction('org:settings', z.object({ orgId: orgIdSchema, rule: z.unknown() }), async ({ orgId, rule }, actor) => {
  const added = await addInvitationRule(actor, orgId, rule);
  done(orgId);
  return { message: `Rule added: ${added.description}.` };
});

/** `rule` is the form's fields as typed: { kind, domains?, roles?, limit?, role? }. */
export async function addInvitationRuleAction(orgId: string, rule: Record<string, unknown>): Promise<ActionResult> {
  return add({ orgId, rule });
}

const toggle = adminAction(
  'org:settings',
  z.object({ orgId: orgIdSchema, ruleId, enabled: z.boolean({ error: 'Say whether the rule is on or off.' }) }),
  async ({ orgId, ruleId, enabled }, actor) => {
    const { rule, changed } = await setInvitationRuleEnabled(actor, orgId, ruleId, enabled);
    done(orgId);
    if (!changed) return { message: `Nothing changed: the rule was already ${enabled ? 'on' : 'off'}.` };
    return { message: `${enabled ? 'Turned on' : 'Turned off'}: ${rule.description}.` };
  },
);

export async function setInvitationRuleEnabledAction(orgId: string, id: string, enabled: boolean): Promise<ActionResult> {
  return toggle({ orgId, ruleId: id, enabled });
}

const move = adminAction(
  'org:settings',
  z.object({ orgId: orgIdSchema, ruleId, direction: z.enum(['up', 'down'], { error: 'Move a rule up or down.' }) }),
  async ({ orgId, ruleId, direction }, actor) => {
    const { changed } = await moveInvitationRule(actor, orgId, ruleId, direction);
    done(orgId);
    return { message: changed ? `Rule moved ${direction}.` : `The rule is already at the ${direction === 'up' ? 'top' : 'bottom'}.` };
  },
);

export async function moveInvitationRuleAction(orgId: string, id: string, direction: 'up' | 'down'): Promise<ActionResult> {
  return move({ orgId, ruleId: id, direction });
}

const remove = adminAction('org:settings', z.object({ orgId: orgIdSchema, ruleId }), async ({ orgId, ruleId }, actor) => {
  const { description } = await removeInvitationRule(actor, orgId, ruleId);
  done(orgId);
  return { message: `Rule removed: ${description}.` };
});

export async function removeInvitationRuleAction(orgId: string, id: string): Promise<ActionResult> {
  return remove({ orgId, ruleId: id });
}
