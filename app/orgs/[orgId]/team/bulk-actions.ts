'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { INACTIVE_DAYS, MEMBER_STATUS_FILTERS } from '@/lib/members/service';
import { jobSender } from '@/lib/jobs/sender';
import { sendJob } from '@/lib/jobs/boss';
import {
  BULK_ACTION_KINDS,
  BULK_ACTION_MAX_ROWS,
  confirmBulkMemberAction,
  discardBulkMemberAction,
  previewBulkMemberAction,
} from '@/lib/members/bulk-actions';
import { roleSchema } from '@/lib/invitations/schemas';
import { adminAction, orgIdSchema, rowIdSchema, type ActionResult } from '../admin-action';

/**
 * Bulk member actions from the team page (lib/members/bulk-actions.ts). The permission depends
 * on the action (members:manage to change roles or remove, members:invite for invitations), so
 * the wrapper only requires membership and the service checks the rest.
 */

const memberId = rowIdSchema('Some of the selected people were not found in this organization.');
const selectionSchema = z.union([
  z.object({ membershipIds: z.array(memberId).min(1, 'Select at least one person.').max(BULK_ACTION_MAX_ROWS) }),
  z.object({
    filter: z.object({
      q: z.string().max(100).optional(),
      status: z.enum(MEMBER_STATUS_FILTERS).optional(),
      role: roleSchema.optional(),
      inactiveDays: z.literal(INACTIVE_DAYS).optional(),
    }),
  }),
]);

const previewInput = z.object({
  orgId: orgIdSchema,
  kind: z.enum(BULK_ACTION_KINDS, { error: 'Choose what to do with the selected people.' }),
  role: roleSchema.optional(),
  selection: selectionSchema,
});
const actionInput = z.object({ orgId: orgIdSchema, actionId: rowIdSchema('That bulk action does not exist in this organization.') });

const preview = adminAction(null, previewInput, async ({ orgId, kind, role, selection }, actor) => {
  const view = await previewBulkMemberAction(actor, orgId, { kind, role, selection });
  return { message: `${view.counts.pending} of ${view.counts.total} will be done.`, actionId: view.action.id };
});

const confirm = adminAction(null, actionInput, async ({ orgId, actionId }, actor) => {
  const boss = await jobSender();
  const view = await confirmBulkMemberAction(actor, orgId, actionId, (id) => sendJob(boss, 'members.bulk-action', { actionId: id }));
  revalidatePath(`/orgs/${orgId}/team`);
  return { message: `Started: ${view.counts.pending} to go.` };
});

const discard = adminAction(null, actionInput, async ({ orgId, actionId }, actor) => {
  await discardBulkMemberAction(actor, orgId, actionId);
  return { message: 'Discarded. Nothing was changed.' };
});

export async function previewBulkAction(input: z.input<typeof previewInput>): Promise<ActionResult<{ actionId: string }>> {
  return preview(input);
}

export async function confirmBulkAction(orgId: string, actionId: string): Promise<ActionResult> {
  return confirm({ orgId, actionId });
}

export async function discardBulkAction(orgId: string, actionId: string): Promise<ActionResult> {
  return discard({ orgId, actionId });
}
