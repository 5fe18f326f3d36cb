'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { AppError } from '@/lib/errors/app-error';
import { logoTooLarge, removeLogo, uploadLogo } from '@/lib/organizations/logo';
import { MAX_LOGO_BYTES } from '@/lib/organizations/logo-limits';
import { renameOrganization } from '@/lib/organizations/rename';
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
  /** A checkbox: sent as "on" when ticked, absent when not. */
  membersMayRequest: z.preprocess((v) => v === 'on' || v === true, z.boolean()),
});

const update = adminAction(
  'org:settings',
  settingsInput,
  async ({ orgId, maxAllowedUsers, allowedEmailDomains, membersMayRequest }, actor) => {
    const { changed } = await updateOrganizationSettings(actor, orgId, {
      maxAllowedUsers,
      allowedEmailDomains,
      membersMayRequest,
    });
    revalidatePath(`/orgs/${orgId}`, 'layout');
    return { message: changed ? 'Settings saved.' : 'Nothing to save: the settings were already like this.' };
  },
);

export async function updateSettingsAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  return update({
    orgId: form.get('orgId'),
    maxAllowedUsers: form.get('maxAllowedUsers'),
    allowedEmailDomains: form.get('allowedEmailDomains'),
    membersMayRequest: form.get('membersMayRequest'),
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

const rename = adminAction('org:settings', z.object({ orgId: orgIdSchema, name: z.unknown() }), async ({ orgId, name }, actor) => {
  const result = await renameOrganization(actor, orgId, name);
  revalidatePath('/', 'layout');
  return { message: result.changed ? `Renamed to ${result.name}.` : 'Nothing to save: the organization already has this name.' };
});

export async function renameOrganizationAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  return rename({ orgId: form.get('orgId'), name: form.get('name') });
}

const upload = adminAction('org:settings', z.object({ orgId: orgIdSchema, logo: z.unknown() }), async ({ orgId, logo }, actor) => {
  if (!(logo instanceof File) || logo.size === 0) throw new AppError('invalid_input', 'Choose an image file to upload.', { field: 'logo' });
  // Refused before it is read; next.config.ts lets bodies up to 2 MB reach this action so that it, not Next.js, answers.
  if (logo.size > MAX_LOGO_BYTES) throw logoTooLarge(logo.size);
  await uploadLogo(actor, orgId, { bytes: new Uint8Array(await logo.arrayBuffer()) });
  revalidatePath('/', 'layout');
  return { message: 'Logo uploaded.' };
});

export async function uploadLogoAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  return upload({ orgId: form.get('orgId'), logo: form.get('logo') });
}

const remove = adminAction('org:settings', z.object({ orgId: orgIdSchema }), async ({ orgId }, actor) => {
  const { removed } = await removeLogo(actor, orgId);
  revalidatePath('/', 'layout');
  return { message: removed ? 'Logo removed.' : 'There was no logo to remove.' };
});

export async function removeLogoAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  return remove({ orgId: form.get('orgId') });
}
