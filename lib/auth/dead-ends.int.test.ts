import { SCALEKIT_PERMISSIONS } from '@/lib/auth/permissions';
import { describe, expect, it } from 'vitest';
import { adminPageAccess, noLongerMember, revokedInvitation } from '@/lib/auth/dead-ends';
import { revokeInvitation } from '@/lib/invitations/service';
import { inviteSent as inviteMember } from '@/lib/invitations/testing';
import { ada, freshEmail, useInvitationTestbed } from '@/lib/invitations/testing';
import { removeMember } from '@/lib/members/service';

const ALL = [...SCALEKIT_PERMISSIONS];
import { liveSession } from '@/lib/auth/test-support';

const bed = await useInvitationTestbed();
const { prisma } = bed.db;

const contextFor = async (userId: string, organizationId: string) => (await liveSession(userId, organizationId)).context();

describe('admin pages: who gets the page, the explanation, or a 404 (real PostgreSQL)', () => {
  it('adminPage_memberGetsExplanation: a member learns the org and its active admins; an admin passes', async () => {
    const max = await contextFor('usr_max', 'org_acme');
    const access = await adminPageAccess(max, 'org_acme');
    expect(access).toMatchObject({ kind: 'member', organization: { id: 'org_acme', name: 'Acme' } });
    if (access.kind !== 'member') throw new Error('unreachable');
    expect(access.admins.map((a) => a.email)).toEqual(['ada@acme.test']);
    expect(await adminPageAccess(await contextFor('usr_ada', 'org_acme'), 'org_acme')).toEqual({ kind: 'allowed' });
  });

  it('adminPage_outsiderGets404: an admin of another org and an edited id learn nothing', async () => {
    const ginaCtx = await contextFor('usr_gina', 'org_globex');
    expect(await adminPageAccess(ginaCtx, 'org_acme')).toEqual({ kind: 'outsider' });
    expect(await adminPageAccess(ginaCtx, 'org_doesnotexist')).toEqual({ kind: 'outsider' });
    // Riley: admin of Globex, only a member of Acme; the session's active org does not matter.
    const riley = await contextFor('usr_riley', 'org_globex');
    expect((await adminPageAccess(riley, 'org_acme')).kind).toBe('member');
    expect((await adminPageAccess(riley, 'org_globex')).kind).toBe('allowed');
  });

  it('names at most three admins, only ACTIVE ones', async () => {
    for (let i = 0; i < 4; i++) {
      await prisma.membership.create({
        data: { organizationId: 'org_acme', email: freshEmail('admin'), role: 'admin', permissions: ALL, status: 'ACTIVE' },
      });
    }
    await prisma.membership.create({
      data: { organizationId: 'org_acme', email: 'gone.admin@acme.test', role: 'admin', permissions: ALL, status: 'INACTIVE' },
    });
    const access = await adminPageAccess(await contextFor('usr_max', 'org_acme'), 'org_acme');
    if (access.kind !== 'member') throw new Error('expected member');
    expect(access.admins).toHaveLength(3);
    expect(access.admins.map((a) => a.email)).not.toContain('gone.admin@acme.test');
  });
});

describe('sign-in dead ends (real PostgreSQL + emulator)', () => {
  it('removedUser_toldNoLongerMember: removed from every organization → true; members, invitees and strangers → false', async () => {
    expect(await noLongerMember('max@acme.test')).toBe(false);
    expect(await noLongerMember('new.hire@acme.test')).toBe(false);
    expect(await noLongerMember('stranger@nowhere.test')).toBe(false);
    const row = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', userId: 'usr_max' } });
    await removeMember(ada, 'org_acme', row.id);
    expect(await noLongerMember('MAX@acme.test')).toBe(true);
    // Riley is removed from Acme but still in Globex: not a dead end.
    const riley = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', userId: 'usr_riley' } });
    await removeMember(ada, 'org_acme', riley.id);
    expect(await noLongerMember('riley@consultant.test')).toBe(false);
  });

  it('a person Scalekit just created (user webhook first, membership not mirrored yet) is not told they were removed', async () => {
    const email = freshEmail('brand.new', 'acme.test');
    await prisma.user.create({ data: { id: `usr_${Date.now().toString(36)}`, email } });
    expect(await noLongerMember(email)).toBe(false);
  });

  it('revokedInvitation_saysRevoked: a revoked invitation link names the org; live, re-sent and never-sent ones do not', async () => {
    const email = freshEmail('revoked', 'acme.test');
    const sent = await inviteMember(ada, 'org_acme', { email, role: 'member' });
    expect(await revokedInvitation(email, 'org_acme')).toBeNull();
    await revokeInvitation(ada, 'org_acme', sent.membership.id);
    expect(await revokedInvitation(email, 'org_acme')).toEqual({ organizationName: 'Acme' });
    // Another org's id in the link says nothing about Acme.
    expect(await revokedInvitation(email, 'org_globex')).toBeNull();
    expect(await revokedInvitation(freshEmail('never'), 'org_acme')).toBeNull();
    // Invited again: the link works again.
    await inviteMember(ada, 'org_acme', { email, role: 'member' });
    expect(await revokedInvitation(email, 'org_acme')).toBeNull();
  });
});
