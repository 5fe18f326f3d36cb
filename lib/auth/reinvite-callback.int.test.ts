import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { finishLogin, signedInCookie, signInAtEmulator, startAuthStack } from '@/lib/auth/test-support';
import { RETIRED_SESSION_REASON, retiredEmail } from '@/lib/users/mirror-user';

/**
 * The sign-in callback for a new Scalekit id with an email the mirror knows under an old id: the
 * person was removed, Scalekit deleted their user (remove-users-from-organization.mdx in
 * developer-docs), and they were invited again (issue 11).
 */
const stack = await startAuthStack();
const { prisma } = stack.db;

describe('completeLogin for a re-created Scalekit user (same email, new usr_ id)', () => {
  it('signs the new id in, retires the old row and ends its sessions, and accepts the membership under the new id', async () => {
    const email = 'max@acme.test';
    const { session: oldSession } = await signedInCookie(stack, email);
    expect(oldSession.userId).toBe('usr_max');

    // Removed and re-invited in Scalekit itself; the mirror still has usr_max and its membership.
    const { scalekit } = await stack.deps();
    await scalekit.user.deleteMembership('org_acme', 'usr_max');
    try {
      await scalekit.user.deleteUser('usr_max');
    } catch (error) {
      if (!(error instanceof ScalekitNotFoundException)) throw error;
    }
    const { user: created } = await scalekit.user.createUserAndMembership('org_acme', { email, sendInvitationEmail: true });
    const newId = created!.id;
    expect(newId).not.toBe('usr_max');

    const login = await signInAtEmulator(stack, email, { intent: 'invite', loginHint: email, organizationId: 'org_acme' });
    const result = await finishLogin(stack, login);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user).toMatchObject({ id: newId, email });
    expect(result.session).toMatchObject({ userId: newId, organizationId: 'org_acme' });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: newId } })).toMatchObject({ email });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: newId } })).lastLoginAt).not.toBeNull();
    expect(await prisma.user.findUniqueOrThrow({ where: { id: 'usr_max' } })).toMatchObject({ email: retiredEmail('usr_max') });
    expect(await prisma.session.findUniqueOrThrow({ where: { id: oldSession.id } })).toMatchObject({
      revokedReason: RETIRED_SESSION_REASON,
    });
    const rows = await prisma.membership.findMany({ where: { organizationId: 'org_acme', email } });
    expect(rows.map((r) => [r.userId, r.status, r.syncState])).toEqual([[newId, 'ACTIVE', 'SYNCED']]);
  });
});
