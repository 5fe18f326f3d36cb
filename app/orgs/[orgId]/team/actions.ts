'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { ROLE_LABELS, isRole } from '@/lib/auth/permissions';
import { resendInvitation, revokeInvitation } from '@/lib/invitations/service';
import { changeRole, removeMember } from '@/lib/members/service';
import { runAdminAction, type ActionResult } from '../admin-action';

/**
 * The team page's row actions. Each re-checks on the server that the caller is an admin of this
 * organization (runAdminAction) and looks the membership up inside it, so an id edited in the
 * browser cannot reach another organization's people.
 */

const idSchema = z.string().min(1).max(64);

class ActionInputError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function parseId(value: unknown): string {
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) throw new ActionInputError('That member was not found in this organization.', 404);
  return parsed.data;
}

function revalidateTeam(orgId: string): void {
  revalidatePath(`/orgs/${orgId}/team`);
  revalidatePath(`/orgs/${orgId}/audit`);
}

export async function changeRoleAction(orgId: string, membershipId: string, role: string): Promise<ActionResult> {
  return runAdminAction(orgId, async (actor, org) => {
    const id = parseId(membershipId);
    if (!isRole(role)) throw new ActionInputError('Choose a role: admin or member.', 400);
    const result = await changeRole(actor, org, id, role);
    revalidateTeam(org);
    return { message: result.changed ? `${result.membership.email} is now ${ROLE_LABELS[role].toLowerCase()}.` : `${result.membership.email} already had that role.` };
  });
}

export async function removeMemberAction(orgId: string, membershipId: string): Promise<ActionResult> {
  return runAdminAction(orgId, async (actor, org) => {
    const { email } = await removeMember(actor, org, parseId(membershipId));
    revalidateTeam(org);
    return { message: `${email} was removed from the organization.` };
  });
}

export async function resendInvitationAction(orgId: string, membershipId: string): Promise<ActionResult> {
  return runAdminAction(orgId, async (actor, org) => {
    const membership = await resendInvitation(actor, org, parseId(membershipId));
    revalidateTeam(org);
    return { message: `Invitation sent again to ${membership.email}.` };
  });
}

export async function revokeInvitationAction(orgId: string, membershipId: string): Promise<ActionResult> {
  return runAdminAction(orgId, async (actor, org) => {
    await revokeInvitation(actor, org, parseId(membershipId));
    revalidateTeam(org);
    return { message: 'Invitation revoked.' };
  });
}
