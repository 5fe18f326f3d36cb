import { describe, expect, it, vi } from 'vitest';
import { freshEmail, scalekitMembersWithEmail, useInvitationTestbed } from '@/lib/invitations/testing';
import { signedInSession } from '@/lib/session/testing';

/**
 * The Requests page's and the team page's server actions as the browser calls them: the real
 * session check, the real service, the SDK against the emulator. Only Next.js's request scope
 * (cookies/headers, revalidatePath) is stood in for, as in team/actions.int.test.ts.
 */

const request = vi.hoisted(() => ({ cookie: '' }));
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (request.cookie.startsWith(`${name}=`) ? { name, value: request.cookie.slice(name.length + 1) } : undefined),
  }),
  headers: async () => new Headers({ cookie: request.cookie, 'user-agent': 'vitest' }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const bed = await useInvitationTestbed();
const { prisma } = bed.db;
const { approveRequestAction, cancelRequestAction, denyRequestAction, requestInvitationAction } = await import('./actions');

async function signInAs(userId: string, organizationId: string): Promise<void> {
  request.cookie = (await signedInSession(userId, organizationId)).cookie;
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

describe('request actions', () => {
  it('a member asks from the form (field errors keep what was typed); only an inviter approves; the member cancels their own', async () => {
    await signInAs('usr_max', 'org_acme');
    const bad = await requestInvitationAction(null, form({ orgId: 'org_acme', email: 'nope', role: 'member', reason: 'Sales' }));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { email: expect.any(String) }, values: { email: 'nope', reason: 'Sales' } });

    const email = freshEmail('action');
    const asked = await requestInvitationAction(null, form({ orgId: 'org_acme', email, role: 'member', reason: 'Sales' }));
    expect(asked).toMatchObject({ ok: true, message: `Request sent: an admin will decide whether to invite ${email}.` });
    const row = await prisma.invitationRequest.findFirstOrThrow({ where: { organizationId: 'org_acme', email } });

    // A member's approval is refused before the service runs, and nothing changes.
    const refused = await approveRequestAction({ orgId: 'org_acme', requestId: row.id, note: '' });
    expect(refused.ok).toBe(false);
    expect((await prisma.invitationRequest.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('PENDING');

    await signInAs('usr_ada', 'org_acme');
    const approved = await approveRequestAction({ orgId: 'org_acme', requestId: row.id, note: 'Welcome' });
    expect(approved).toMatchObject({ ok: true, message: `Approved: ${email} has been invited.` });
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(1);
    const again = await denyRequestAction({ orgId: 'org_acme', requestId: row.id, note: '' });
    expect(again).toMatchObject({ ok: false, code: 'request_decided' });

    await signInAs('usr_max', 'org_acme');
    const other = freshEmail('withdrawn');
    await requestInvitationAction(null, form({ orgId: 'org_acme', email: other, role: 'member', reason: '' }));
    const mine = await prisma.invitationRequest.findFirstOrThrow({ where: { organizationId: 'org_acme', email: other } });
    expect(await cancelRequestAction({ orgId: 'org_acme', requestId: mine.id })).toMatchObject({ ok: true });
    expect((await prisma.invitationRequest.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe('CANCELLED');
  });
});
