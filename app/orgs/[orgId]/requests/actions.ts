'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { approveRequest, cancelRequest, denyRequest, requestInvitation } from '@/lib/invitation-requests/service';
import { adminAction, orgIdSchema, rowIdSchema, type ActionResult } from '../admin-action';

/**
 * The Requests page's and the team page's server actions: parsed with zod, the session re-checked
 * by adminAction, then lib/invitation-requests, which decides who may do what (asking needs only an
 * active membership and the organization's setting; deciding needs members:invite; cancelling,
 * being the one who asked). They never throw to the client.
 */

export type RequestFormState = (ActionResult & { at: number; values?: { email: string; role: string; reason: string } }) | null;

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());
const requestId = rowIdSchema('That request was not found.');

function refresh(orgId: string) {
  // The badge in the layout counts pending requests: refresh the whole organization's pages.
  revalidatePath(`/orgs/${orgId}`, 'layout');
}

const ask = adminAction(
  null,
  z.object({
    orgId: orgIdSchema,
    email: text,
    role: z.preprocess((v) => (typeof v === 'string' && v ? v : 'member'), z.string()),
    reason: text,
  }),
  async ({ orgId, email, role, reason }, actor) => {
    const { request, created } = await requestInvitation(actor, orgId, { email, role, reason }, { origin: 'form' });
    refresh(orgId);
    return {
      message: created
        ? `Request sent: an admin will decide whether to invite ${request.email}.`
        : `A request to invite ${request.email} is already waiting for an admin. Nothing new was sent.`,
    };
  },
);

export async function requestInvitationAction(_previous: RequestFormState, form: FormData): Promise<RequestFormState> {
  const raw = Object.fromEntries(['orgId', 'email', 'role', 'reason'].map((key) => [key, form.get(key)]));
  const result = await ask(raw);
  const values = {
    email: typeof raw.email === 'string' ? raw.email : '',
    role: typeof raw.role === 'string' ? raw.role : '',
    reason: typeof raw.reason === 'string' ? raw.reason : '',
  };
  return { ...result, at: Date.now(), ...(result.ok ? {} : { values }) };
}

const decision = z.object({ orgId: orgIdSchema, requestId, note: text });

const approve = adminAction('members:invite', decision, async ({ orgId, requestId, note }, actor) => {
  const { request, outcome } = await approveRequest(actor, orgId, requestId, { note });
  refresh(orgId);
  return {
    message:
      outcome === 'invited'
        ? `Approved: ${request.email} has been invited.`
        : outcome === 'already_invited'
          ? `Approved: ${request.email} already had an invitation, so nothing new was sent.`
          : `Approved: ${request.email} is already a member.`,
  };
});

const deny = adminAction('members:invite', decision, async ({ orgId, requestId, note }, actor) => {
  const request = await denyRequest(actor, orgId, requestId, { note });
  refresh(orgId);
  return { message: `Denied the request for ${request.email}.` };
});

const cancel = adminAction(null, z.object({ orgId: orgIdSchema, requestId }), async ({ orgId, requestId }, actor) => {
  const request = await cancelRequest(actor, orgId, requestId);
  refresh(orgId);
  return { message: `Cancelled your request for ${request.email}.` };
});

export async function approveRequestAction(input: { orgId: string; requestId: string; note: string }): Promise<ActionResult> {
  return approve(input);
}

export async function denyRequestAction(input: { orgId: string; requestId: string; note: string }): Promise<ActionResult> {
  return deny(input);
}

export async function cancelRequestAction(input: { orgId: string; requestId: string }): Promise<ActionResult> {
  return cancel(input);
}
