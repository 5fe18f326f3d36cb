'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { roleSchema } from '@/lib/invitations/schemas';
import { resendInvitation, revokeInvitation } from '@/lib/invitations/service';
import { changeRole, removeMember } from '@/lib/members/service';
import { adminAction, orgIdSchema, rowIdSchema, type ActionResult } from '../admin-action';

/**
 * The team page's row actions. adminAction re-checks on the server that the caller's role in this
 * organization grants the action, and the services look the membership up inside it, so an id edited in the
 * browser cannot reach another organization's people.
 */

const memberInput = z.object({ orgId: orgIdSchema, membershipId: rowIdSchema('That member was not found in this organization.') });
const roleInput = memberInput.extend({ role: roleSchema });

function revalidateTeam(orgId: string): void {
  revalidatePath(`/orgs/${orgId}/team`);
  revalidatePath(`/orgs/${orgId}/audit`);
}

const changeRoleOf = adminAction('members:manage', roleInput, async ({ orgId, membershipId, role }, actor) => {
  const result = await changeRole(actor, orgId, membershipId, role);
  revalidateTeam(orgId);
  return {
    message: result.changed
      ? `${result.membership.email} is now ${result.roleLabel}.`
      : `${result.membership.email} already had that role.`,
  };
});

const removeOne = adminAction('members:manage', memberInput, async ({ orgId, membershipId }, actor) => {
  const { email } = await removeMember(actor, orgId, membershipId);
  revalidateTeam(orgId);
  return { message: `${email} was removed from the organization.` };
});

const resendOne = adminAction('members:invite', memberInput, async ({ orgId, membershipId }, actor) => {
  const membership = await resendInvitation(actor, orgId, membershipId);
  revalidateTeam(orgId);
  return { message: `Invitation sent again to ${membership.email}.` };
});

const revokeOne = adminAction('members:invite', memberInput, async ({ orgId, membershipId }, actor) => {
  await revokeInvitation(actor, orgId, membershipId);
  revalidateTeam(orgId);
  return { message: 'Invitation revoked.' };
});

export async function changeRoleAction(orgId: string, membershipId: string, role: string): Promise<ActionResult> {
  return changeRoleOf({ orgId, membershipId, role });
}

export async function removeMemberAction(orgId: string, membershipId: string): Promise<ActionResult> {
  return removeOne({ orgId, membershipId });
}

export async function resendInvitationAction(orgId: string, membershipId: string): Promise<ActionResult> {
  return resendOne({ orgId, membershipId });
}

export async function revokeInvitationAction(orgId: string, membershipId: string): Promise<ActionResult> {
  return revokeOne({ orgId, membershipId });
}
