'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { heldMessage } from '@/lib/invitation-rules/apply';
import { resendInvitation, inviteMember } from '@/lib/invitations/service';
import { adminAction, orgIdSchema, rowIdSchema } from '../admin-action';
import type { InviteFormState } from './_components/invite-form-state';

/**
 * The invite form's server actions. They go through adminAction (session re-checked, the caller's
 * role in THIS org must grant members:invite) and the same lib/invitations service as the API, so the form
 * gets the API's validation (every field's message), idempotency and audit. They never throw to
 * the client.
 */

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

/** The form as sent; lib/invitations validates the invitation itself, as it does for the API. */
const inviteFormInput = z.object({
  orgId: orgIdSchema,
  email: text,
  role: z.preprocess((v) => (typeof v === 'string' && v ? v : 'member'), z.string()),
  name: text,
});

const invite = adminAction('members:invite', inviteFormInput, async ({ orgId, email, role, name }, actor) => {
  const result = await inviteMember(actor, orgId, { email, role, name }, { source: 'form' });
  revalidatePath(`/orgs/${orgId}/team`);
  if (result.outcome === 'held') {
    // An invitation rule held it: nothing was sent; the request waits in the Requests queue.
    return {
      message: `${heldMessage(result.rule)} An admin will review it in Requests.`,
      outcome: result.outcome,
      email: result.request.email,
      membershipId: null,
      requestId: result.request.id,
    };
  }
  const { outcome, membership } = result;
  const message =
    outcome === 'invited'
      ? `Invitation sent to ${membership.email}.`
      : outcome === 'already_invited'
        ? `${membership.email} is already invited. Nothing new was sent.`
        : `${membership.email} is already a member of this organization.`;
  return { message, outcome, email: membership.email, membershipId: membership.id, requestId: null };
});

export async function inviteMemberAction(_previous: InviteFormState, form: FormData): Promise<InviteFormState> {
  const raw = Object.fromEntries(['orgId', 'email', 'role', 'name'].map((key) => [key, form.get(key)]));
  const values = {
    email: typeof raw.email === 'string' ? raw.email : '',
    role: typeof raw.role === 'string' && raw.role ? raw.role : 'member',
    name: typeof raw.name === 'string' ? raw.name : '',
  };
  const result = await invite(raw);
  if (result.ok) {
    if (result.outcome === 'held' || !result.membershipId) {
      return { status: 'held', message: result.message, email: result.email, requestId: result.requestId ?? '', at: Date.now() };
    }
    return {
      status: 'done',
      outcome: result.outcome,
      message: result.message,
      email: result.email,
      membershipId: result.membershipId,
      at: Date.now(),
    };
  }
  return { status: 'error', error: result.error, fieldErrors: result.fieldErrors ?? {}, values, at: Date.now() };
}

const resend = adminAction(
  'members:invite',
  z.object({ orgId: orgIdSchema, membershipId: rowIdSchema('That invitation was not found.') }),
  async ({ orgId, membershipId }, actor) => {
    const membership = await resendInvitation(actor, orgId, membershipId);
    revalidatePath(`/orgs/${orgId}/team`);
    revalidatePath(`/orgs/${orgId}/audit`);
    return { message: `Invitation sent again to ${membership.email}.` };
  },
);

export async function resendFromInviteFormAction(orgId: string, membershipId: string) {
  return resend({ orgId, membershipId });
}
