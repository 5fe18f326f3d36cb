'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { resyncOrganization } from '@/lib/organizations/resync';
import { updateOrganizationSettings } from '@/lib/organizations/settings';
import { adminAction, orgIdSchema, type ActionResult } from '../admin-action';

export type SettingsFormState = ActionResult | null;

/** Empty = unlimited; otherwise a whole number (the service checks the range). */
const seatLimit = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : ''),
  z
    .string()
    .regex(/^(\d{1,7})?$/, 'Enter a whole number, or leave it empty for no limit.')
    .transform((text) => (text === '' ? null : Number(text))),
);

const settingsInput = z.object({
  orgId: orgIdSchema,
  maxAllowedUsers: seatLimit,
  allowedEmailDomains: z.preprocess((v) => (typeof v === 'string' ? v.slice(0, 10_000) : ''), z.string()),
});

const update = adminAction('org:settings', settingsInput, async ({ orgId, maxAllowedUsers, allowedEmailDomains }, actor) => {
  const { changed } = await updateOrganizationSettings(actor, orgId, { maxAllowedUsers, allowedEmailDomains });
  revalidatePath(`/orgs/${orgId}`, 'layout');
  return { message: changed ? 'Settings saved.' : 'Nothing to save: the settings were already like this.' };
});

export async function updateSettingsAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  return update({
    orgId: form.get('orgId'),
    maxAllowedUsers: form.get('maxAllowedUsers'),
    allowedEmailDomains: form.get('allowedEmailDomains'),
  });
}

const resync = adminAction('org:settings', z.object({ orgId: orgIdSchema }), async ({ orgId }, actor) => {
  const result = await resyncOrganization(actor, orgId);
  revalidatePath(`/orgs/${orgId}`, 'layout');
  return {
    message: `Re-synced ${result.total} memberships from Scalekit: ${result.added} added, ${result.updated} updated, ${result.removed} removed.`,
  };
});

export async function resyncAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  return resync({ orgId: form.get('orgId') });
}
