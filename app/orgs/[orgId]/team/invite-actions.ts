'use server';

import { revalidatePath } from 'next/cache';
import { InvitationError } from '@/lib/invitations/errors';
import { resendInvitation, inviteMember } from '@/lib/invitations/service';
import { runAdminAction } from '../admin-action';
import type { InviteFormState } from './_components/invite-form-state';

/**
 * The invite form's server actions. They go through runAdminAction (session re-checked, caller
 * must be an admin of THIS org) and the same lib/invitations service as the API, so the form
 * gets the API's validation, idempotency and audit. They never throw to the client.
 */

function text(form: FormData, key: string): string | undefined {
  const value = form.get(key);
  return typeof value === 'string' ? value : undefined;
}

export async function inviteMemberAction(_previous: InviteFormState, form: FormData): Promise<InviteFormState> {
  const orgId = text(form, 'orgId');
  const values = { email: text(form, 'email') ?? '', role: text(form, 'role') ?? 'member', name: text(form, 'name') ?? '' };
  let fieldErrors: Record<string, string> | undefined;
  const result = await runAdminAction(orgId, async (actor, org) => {
    try {
      const { outcome, membership } = await inviteMember(actor, org, { email: values.email, role: values.role, ...(values.name.trim() ? { name: values.name } : {}) }, { source: 'form' });
      revalidatePath(`/orgs/${org}/team`);
      const message =
        outcome === 'invited'
          ? `Invitation sent to ${membership.email}.`
          : outcome === 'already_invited'
            ? `${membership.email} is already invited. Nothing new was sent.`
            : `${membership.email} is already a member of this organization.`;
      return { message, outcome, email: membership.email, membershipId: membership.id };
    } catch (error) {
      // runAdminAction keeps one field's message; the form shows every field's.
      if (error instanceof InvitationError && error.fields) fieldErrors = error.fields;
      throw error;
    }
  });
  if (result.ok) {
    return { status: 'done', outcome: result.outcome, message: result.message, email: result.email, membershipId: result.membershipId, at: Date.now() };
  }
  return { status: 'error', error: result.error, fieldErrors: { ...result.fieldErrors, ...fieldErrors }, values, at: Date.now() };
}

export async function resendFromInviteFormAction(orgId: string, membershipId: string) {
  return runAdminAction<Record<never, never>>(orgId, async (actor, org) => {
    if (typeof membershipId !== 'string' || membershipId.length > 64) throw new InvitationError('invitation_not_found', 'That invitation was not found.', 404);
    const membership = await resendInvitation(actor, org, membershipId);
    revalidatePath(`/orgs/${org}/team`);
    revalidatePath(`/orgs/${org}/audit`);
    return { message: `Invitation sent again to ${membership.email}.` };
  });
}
