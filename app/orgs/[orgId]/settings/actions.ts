'use server';

import { revalidatePath } from 'next/cache';
import { resyncOrganization } from '@/lib/organizations/resync';
import { updateOrganizationSettings } from '@/lib/organizations/settings';
import { runAdminAction, type ActionResult } from '../admin-action';

export type SettingsFormState = ActionResult | null;

class SettingsInputError extends Error {
  readonly status = 400;
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Empty = unlimited; otherwise a whole number (the service checks the range). */
function parseSeatLimit(value: FormDataEntryValue | null): number | null {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return null;
  if (!/^\d{1,7}$/.test(text)) throw new SettingsInputError('Enter a whole number, or leave it empty for no limit.', 'maxAllowedUsers');
  return Number(text);
}

export async function updateSettingsAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  return runAdminAction(form.get('orgId'), async (actor, orgId) => {
    const domains = form.get('allowedEmailDomains');
    const { changed } = await updateOrganizationSettings(actor, orgId, {
      maxAllowedUsers: parseSeatLimit(form.get('maxAllowedUsers')),
      allowedEmailDomains: typeof domains === 'string' ? domains.slice(0, 10_000) : '',
    });
    revalidatePath(`/orgs/${orgId}`, 'layout');
    return { message: changed ? 'Settings saved.' : 'Nothing to save: the settings were already like this.' };
  });
}

export async function resyncAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  return runAdminAction(form.get('orgId'), async (actor, orgId) => {
    const result = await resyncOrganization(actor, orgId);
    revalidatePath(`/orgs/${orgId}`, 'layout');
    return {
      message: `Re-synced ${result.total} memberships from Scalekit: ${result.added} added, ${result.updated} updated, ${result.removed} removed.`,
    };
  });
}
