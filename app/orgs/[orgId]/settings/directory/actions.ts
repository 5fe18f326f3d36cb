'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { mapGroupToRole, requestDirectorySync, setDirectoryJoinMode } from '@/lib/directory/service';
import { adminAction, orgIdSchema, type ActionResult } from '../../admin-action';

export type DirectoryFormState = ActionResult | null;

const joinAs = adminAction(
  'org:settings',
  z.object({ orgId: orgIdSchema, joinAs: z.unknown() }),
  async ({ orgId, joinAs: value }, actor) => {
    const mode = await setDirectoryJoinMode(actor, orgId, value);
    revalidatePath(`/orgs/${orgId}/settings/directory`);
    return { message: mode === 'MEMBERS' ? 'Directory users now join as members.' : 'Directory users are now invited.' };
  },
);

export async function setJoinAsAction(_previous: DirectoryFormState, form: FormData): Promise<DirectoryFormState> {
  return joinAs({ orgId: form.get('orgId'), joinAs: form.get('joinAs') });
}

const mapGroup = adminAction(
  'org:settings',
  z.object({
    orgId: orgIdSchema,
    groupId: z.string({ error: 'Choose a directory group.' }).min(1, 'Choose a directory group.').max(64),
    // "" in the form = no role mapped
    role: z.preprocess((v) => (v === '' ? null : v), z.string().max(64).nullable()),
  }),
  async ({ orgId, groupId, role }, actor) => {
    const applied = await mapGroupToRole(actor, orgId, groupId, role);
    revalidatePath(`/orgs/${orgId}`, 'layout');
    if (!applied) return { message: 'Nothing to save: the group already had that role.' };
    const changed = applied.roleChanges + applied.created + applied.invited;
    const failed = applied.failed ? ` ${applied.failed} could not be changed yet (${applied.firstError}); the next sync retries them.` : '';
    return { message: `Mapping saved; ${changed} ${changed === 1 ? 'member' : 'members'} updated.${failed}` };
  },
);

export async function mapGroupAction(_previous: DirectoryFormState, form: FormData): Promise<DirectoryFormState> {
  return mapGroup({ orgId: form.get('orgId'), groupId: form.get('groupId'), role: form.get('role') });
}

const syncNow = adminAction('org:settings', z.object({ orgId: orgIdSchema }), async ({ orgId }, actor) => {
  await requestDirectorySync(actor, orgId);
  return { message: 'Directory sync queued. Reload in a moment to see its result.' };
});

export async function syncNowAction(_previous: DirectoryFormState, form: FormData): Promise<DirectoryFormState> {
  return syncNow({ orgId: form.get('orgId') });
}
