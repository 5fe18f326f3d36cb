import { ScalekitConflictException, ScalekitNotFoundException, type ScalekitClient } from '@scalekit-sdk/node';
import type { CreateUserAndMembershipResponse } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/users/users_pb';
import { findOrgUserByEmail } from '@/lib/invitations/invite';
import { membershipIn, type ScalekitUserLike } from '@/lib/invitations/scalekit-membership';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitCallError } from '@/lib/scalekit/errors';

/**
 * The Scalekit calls directory sync makes. Each is safe to repeat: a retry after a failure or a
 * crash finds what the first attempt did (ALREADY_EXISTS, NOT_FOUND) and finishes from there, so
 * nothing is created twice.
 */

export interface DirectoryPerson {
  email: string;
  firstName: string | null;
  lastName: string | null;
}

interface UserClientInternals {
  coreClient?: { connectExec?: (rpc: unknown, request: unknown) => Promise<CreateUserAndMembershipResponse> };
  client?: { createUserAndMembership?: unknown };
}

/**
 * CreateUserAndMembership with the role on the membership and no invitation email: a directory
 * user is provisioned, not invited (send_invitation_email=false, openapi UsersService_CreateUserAndMembership;
 * "Users without an explicit role mapping are assigned the organization's default member role",
 * developer-docs authenticate/manage-users-orgs/scim-provisioning.mdx:101-105). The SDK 2.11
 * wrapper sends no membership (so no roles), so the request goes through the SDK's own executor as
 * lib/invitations/scalekit-membership.ts createUserAndMembershipAs does; without those internals
 * it falls back to the wrapper and a role update (two calls).
 */
async function createWithRole(scalekit: ScalekitClient, organizationId: string, person: DirectoryPerson, role: string) {
  const internals = scalekit.user as unknown as UserClientInternals;
  const exec = internals.coreClient?.connectExec;
  const rpc = internals.client?.createUserAndMembership;
  const userProfile = { firstName: person.firstName ?? undefined, lastName: person.lastName ?? undefined };
  if (typeof exec !== 'function' || typeof rpc !== 'function') {
    const created = await scalekit.user.createUserAndMembership(organizationId, {
      email: person.email,
      userProfile,
      sendInvitationEmail: false,
    });
    return (await scalekit.user.updateMembership(organizationId, created.user!.id, { roles: [role] })).user;
  }
  const response = await exec.call(internals.coreClient, rpc, {
    organizationId,
    user: { email: person.email, userProfile, membership: { roles: [{ name: role }] } },
    sendInvitationEmail: false,
  });
  return response.user;
}

/**
 * Makes `person` an active member with `role` at Scalekit and returns Scalekit's user. Already a
 * member (an earlier attempt got through, or they were invited by hand): their membership is kept
 * and only the role set, when it differs.
 */
export async function provisionMember(organizationId: string, person: DirectoryPerson, role: string): Promise<ScalekitUserLike> {
  const scalekit = getScalekit();
  try {
    const user = await createWithRole(scalekit, organizationId, person, role);
    if (!user) throw new Error('Scalekit returned no user');
    return user as unknown as ScalekitUserLike;
  } catch (error) {
    if (!(error instanceof ScalekitConflictException)) throw ScalekitCallError.from(error);
  }
  try {
    const existing = await findOrgUserByEmail(organizationId, person.email);
    if (!existing) throw new Error(`Scalekit answered ALREADY_EXISTS for ${person.email} but lists no such member`);
    const m = membershipIn(existing, organizationId);
    if (m && !m.roles.includes(role)) {
      const updated = await scalekit.user.updateMembership(organizationId, existing.id, { roles: [role] });
      return updated.user as unknown as ScalekitUserLike;
    }
    return existing;
  } catch (error) {
    throw ScalekitCallError.from(error);
  }
}

/** UpdateMembership to `role`; Scalekit's user after the change. */
export async function setMemberRole(organizationId: string, userId: string, role: string): Promise<ScalekitUserLike | null> {
  try {
    const answer = await getScalekit().user.updateMembership(organizationId, userId, { roles: [role] });
    return (answer.user as unknown as ScalekitUserLike | undefined) ?? null;
  } catch (error) {
    throw ScalekitCallError.from(error);
  }
}

/** DeleteMembership; already gone counts as done. */
export async function endMembership(organizationId: string, userId: string): Promise<void> {
  try {
    await getScalekit().user.deleteMembership(organizationId, userId);
  } catch (error) {
    if (error instanceof ScalekitNotFoundException) return;
    throw ScalekitCallError.from(error);
  }
}
