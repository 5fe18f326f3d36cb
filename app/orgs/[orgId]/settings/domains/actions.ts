'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { JOIN_MODE_LABELS, setDomainJoinMode } from '@/lib/organizations/verified-domains';
import { adminAction, orgIdSchema, type ActionResult } from '../../admin-action';

export type DomainFormState = ActionResult | null;

const joinModeAction = adminAction(
  'org:settings',
  z.object({ orgId: orgIdSchema, domainId: z.unknown(), joinMode: z.unknown() }),
  async ({ orgId, domainId, joinMode }, actor) => {
    const domain = await setDomainJoinMode(actor, orgId, { domainId, joinMode });
    revalidatePath(`/orgs/${orgId}/settings/domains`);
    return { message: `${domain.domain}: ${JOIN_MODE_LABELS[domain.joinMode]}.` };
  },
);

export async function setJoinModeAction(_previous: DomainFormState, form: FormData): Promise<DomainFormState> {
  return joinModeAction({ orgId: form.get('orgId'), domainId: form.get('domainId'), joinMode: form.get('joinMode') });
}
