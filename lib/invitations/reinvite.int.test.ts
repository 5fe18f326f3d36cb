import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { emailsTo } from '@/emulator/src/testing';
import { removeMember } from '@/lib/members/service';
import { resyncOrganization } from '@/lib/organizations/resync';
import { retiredEmail } from '@/lib/users/mirror-user';
import { inviteSent as inviteMember } from './testing';
import { ada, freshEmail, scalekitMembersWithEmail, useInvitationTestbed } from './testing';

/**
 * Issue 11: Scalekit deletes a user with their last membership (developer-docs
 * src/content/docs/authenticate/manage-organizations/remove-users-from-organization.mdx), so the
 * same address invited again is a new usr_ id, while the mirror still has the old User row.
 */
const bed = await useInvitationTestbed();
const { prisma } = bed.db;

/** What Scalekit does itself on last-membership removal; the emulator may already have done it. */
async function deleteScalekitUser(userId: string): Promise<void> {
  try {
    await bed.scalekit.user.deleteUser(userId);
  } catch (error) {
    if (!(error instanceof ScalekitNotFoundException)) throw error;
  }
}

describe('a removed member whose Scalekit user was deleted, invited again', () => {
  it('is invited under the new Scalekit id: row SYNCED and pending, old user row retired, nothing left SENDING', async () => {
    const email = 'max@acme.test';
    const before = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', email } });
    expect(before.userId).toBe('usr_max');
    await removeMember(ada, 'org_acme', before.id);
    await deleteScalekitUser('usr_max');
    const mailsBefore = (await emailsTo(bed.emulator, email)).length;

    const result = await inviteMember(ada, 'org_acme', { email, role: 'member' });

    expect(result.outcome).toBe('invited');
    expect(result.membership).toMatchObject({ email, status: 'PENDING_INVITE', syncState: 'SYNCED', syncError: null });
    const newId = result.membership.userId!;
    expect(newId).toMatch(/^usr_/);
    expect(newId).not.toBe('usr_max');
    expect((await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).map((u) => u.id)).toEqual([newId]);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(mailsBefore + 1);

    expect(await prisma.user.findUniqueOrThrow({ where: { id: newId } })).toMatchObject({ email, firstName: null });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: 'usr_max' } })).toMatchObject({ email: retiredEmail('usr_max') });
    expect(await prisma.membership.count({ where: { syncState: 'SENDING' } })).toBe(0);
    expect(await prisma.membership.findMany({ where: { organizationId: 'org_acme', email } })).toHaveLength(1);
    // The removal's audit trail still names the old id.
    expect(await prisma.auditEvent.count({ where: { action: 'member.removed', targetId: before.id } })).toBe(1);
    expect(
      await prisma.auditEvent.count({ where: { action: 'invitation.created', targetId: result.membership.id, actorId: 'usr_ada' } }),
    ).toBe(1);

    // A second invite of the address is now the ordinary "already invited".
    expect((await inviteMember(ada, 'org_acme', { email, role: 'member' })).outcome).toBe('already_invited');
  });

  it('re-sync after a removal and re-invite made in Scalekit itself: the mirror follows the new id', async () => {
    const email = freshEmail('again');
    const first = await bed.scalekit.user.createUserAndMembership('org_acme', { email, sendInvitationEmail: false });
    const oldId = first.user!.id;
    await resyncOrganization(ada, 'org_acme');
    expect((await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', email } })).userId).toBe(oldId);

    await bed.scalekit.user.deleteMembership('org_acme', oldId);
    await deleteScalekitUser(oldId);
    const second = await bed.scalekit.user.createUserAndMembership('org_acme', { email, sendInvitationEmail: false });
    const newId = second.user!.id;
    expect(newId).not.toBe(oldId);

    const result = await resyncOrganization(ada, 'org_acme');

    expect(result.added).toBe(1);
    const rows = await prisma.membership.findMany({ where: { organizationId: 'org_acme', email } });
    expect(rows.map((r) => [r.userId, r.syncState])).toEqual([[newId, 'SYNCED']]);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: newId } })).toMatchObject({ email });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: oldId } })).toMatchObject({ email: retiredEmail(oldId) });
  });
});
