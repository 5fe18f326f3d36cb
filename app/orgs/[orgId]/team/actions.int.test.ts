import { describe, expect, it, vi } from 'vitest';
import { emailsTo } from '@/emulator/src/testing';
import { initialInviteFormState } from './_components/invite-form-state';
import { ada, freshEmail, scalekitMembersWithEmail, useInvitationTestbed } from '@/lib/invitations/testing';
import { listMembers } from '@/lib/members/service';
import { resyncOrganization } from '@/lib/organizations/resync';
import { signedInSession } from '@/lib/session/testing';

/**
 * The team page's server actions as the browser calls them: the real session check against
 * PostgreSQL, the real service, the real SDK against the emulator. Only Next.js's request scope
 * is stood in for (cookies/headers of "the current request", and revalidatePath, which needs a
 * render to invalidate): outside `next start` there is no request for them to read.
 */

const request = vi.hoisted(() => ({ cookie: '' }));
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (request.cookie.startsWith(`${name}=`) ? { name, value: request.cookie.slice(name.length + 1) } : undefined),
  }),
  headers: async () => new Headers({ cookie: request.cookie, 'user-agent': 'vitest' }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const bed = await useInvitationTestbed({ webhooks: true });
const { prisma } = bed.db;
const { inviteMemberAction, resendFromInviteFormAction } = await import('./invite-actions');
const { resendInvitationAction } = await import('./actions');

async function signInAs(userId: string, organizationId: string): Promise<void> {
  request.cookie = (await signedInSession(userId, organizationId)).cookie;
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

const COOLDOWN = /^This invitation was sent less than a minute ago\. You can resend it in \d+ seconds?\.$/;

await signInAs('usr_ada', 'org_acme');

describe('the invite form', () => {
  it('inviter_form: an invitation from the form names its sender on the team page, at Scalekit and in the email, also after webhooks and a re-sync', async () => {
    const email = freshEmail('form', 'acme.test');
    const state = await inviteMemberAction(initialInviteFormState, form({ orgId: 'org_acme', email, role: 'admin', name: 'Form Person' }));
    expect(state).toMatchObject({ status: 'done', outcome: 'invited' });

    expect(await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', email } })).toMatchObject({
      invitedByUserId: 'usr_ada',
      inviterEmail: 'ada@acme.test',
    });
    const [user] = await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email);
    expect(user!.memberships.find((m) => m.organizationId === 'org_acme')!.inviterEmail).toBe('ada@acme.test');
    expect((await emailsTo(bed.emulator, email))[0]!.text).toMatch(/^ada@acme\.test invited you to join Acme/);

    await bed.webhooksDelivered();
    await resyncOrganization(ada, 'org_acme');
    const row = (await listMembers(ada, 'org_acme', { q: email })).rows.find((r) => r.email === email);
    expect(row?.inviterEmail).toBe('ada@acme.test');
  });

  it('resendCooldown_form: the form’s and the row menu’s resend show the cooldown sentence and send nothing', async () => {
    const email = freshEmail('resend-ui', 'acme.test');
    const state = await inviteMemberAction(initialInviteFormState, form({ orgId: 'org_acme', email, role: 'member' }));
    if (state.status !== 'done') throw new Error('invite failed');

    const fromForm = await resendFromInviteFormAction('org_acme', state.membershipId);
    expect(fromForm).toMatchObject({ ok: false, error: expect.stringMatching(COOLDOWN) });
    const fromMenu = await resendInvitationAction('org_acme', state.membershipId);
    expect(fromMenu).toMatchObject({ ok: false, error: expect.stringMatching(COOLDOWN) });
    expect(await emailsTo(bed.emulator, email)).toHaveLength(1);

    await prisma.membership.update({ where: { id: state.membershipId }, data: { lastSentAt: new Date(Date.now() - 61_000) } });
    expect(await resendInvitationAction('org_acme', state.membershipId)).toMatchObject({
      ok: true,
      message: `Invitation sent again to ${email}.`,
    });
    expect(await resendFromInviteFormAction('org_acme', state.membershipId)).toMatchObject({
      ok: false,
      error: expect.stringMatching(COOLDOWN),
    });
    expect(await emailsTo(bed.emulator, email)).toHaveLength(2);
  });
});
