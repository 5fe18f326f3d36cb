import { describe, expect, it } from 'vitest';
import { emailsTo } from '@/emulator/src/testing';
import { createApiKey } from '@/lib/api-keys/service';
import { listMembers } from '@/lib/members/service';
import { resyncOrganization } from '@/lib/organizations/resync';
import { signedInSession } from '@/lib/session/testing';
import { POST } from '@/app/api/invitations/route';
import { previewBulkInvite, runBulkInvite } from './bulk';
import { ada, freshEmail, scalekitMembersWithEmail, useInvitationTestbed } from './testing';

/**
 * "Invited by" for every way in (the form's path is in app/orgs/[orgId]/team/actions.int.test.ts):
 * recorded on the mirror row, sent to Scalekit (whose invitation email names the inviter), and
 * still there after Scalekit's webhooks for the new membership and a re-sync have been applied.
 * The emulator delivers its webhooks to the app's real route here.
 */

const bed = await useInvitationTestbed({ webhooks: true });
const { prisma } = bed.db;
const APP = 'http://localhost:3000';

async function shownInviter(email: string): Promise<string | null> {
  const page = await listMembers(ada, 'org_acme', { q: email });
  const row = page.rows.find((r) => r.email === email);
  if (!row) throw new Error(`${email} is not on the team page`);
  return row.inviterEmail;
}

async function scalekitInviter(email: string): Promise<string | null> {
  const [user] = await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email);
  return user?.memberships.find((m) => m.organizationId === 'org_acme')?.inviterEmail ?? null;
}

/** After Scalekit's own events for these invitations and a re-sync, the mirror still names the inviter. */
async function settle(): Promise<void> {
  await bed.webhooksDelivered();
  await resyncOrganization(ada, 'org_acme');
}

describe('the inviter is recorded, shown and sent to Scalekit', () => {
  it('inviter_bulk: every row of a bulk run names the admin who ran it, in the mirror, at Scalekit and in the email', async () => {
    const emails = [freshEmail('bulk-a', 'acme.test'), freshEmail('bulk-b', 'acme.test')];
    const { job } = await previewBulkInvite(ada, 'org_acme', { text: `email,role\n${emails[0]},member\n${emails[1]},admin` });
    const run = await runBulkInvite(ada, 'org_acme', job.id);
    expect(run.counts.invited).toBe(2);

    for (const email of emails) {
      expect(await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', email } })).toMatchObject({
        invitedByUserId: 'usr_ada',
        inviterEmail: 'ada@acme.test',
      });
      expect(await scalekitInviter(email)).toBe('ada@acme.test');
      const [mail] = await emailsTo(bed.emulator, email);
      expect(mail!.text).toMatch(/^ada@acme\.test invited you to join Acme/);
    }
    await settle();
    for (const email of emails) expect(await shownInviter(email)).toBe('ada@acme.test');
  });

  it('inviter_apiKey: an invitation sent with an API key shows the key’s name, and keeps it through webhooks and re-syncs', async () => {
    const { secret } = await createApiKey(ada, 'org_acme', 'HR sync');
    const email = freshEmail('api-key', 'acme.test');
    const res = await POST(
      new Request(`${APP}/api/invitations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email, role: 'member' }),
      }),
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { invitation: { inviterEmail: string } }).invitation.inviterEmail).toBe('API key “HR sync”');
    expect(await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', email } })).toMatchObject({
      invitedByUserId: null,
      inviterEmail: 'API key “HR sync”',
    });
    // A key has no email address for Scalekit to put in the invitation, so none is sent.
    expect(await scalekitInviter(email)).toBeNull();
    await settle();
    expect(await shownInviter(email)).toBe('API key “HR sync”');
  });

  it('inviter_apiSession: an invitation sent through the API with a session names that admin everywhere', async () => {
    const { cookie, csrf } = await signedInSession('usr_ada', 'org_acme');
    const email = freshEmail('api-session', 'acme.test');
    const res = await POST(
      new Request(`${APP}/api/invitations`, {
        method: 'POST',
        headers: {
          cookie,
          origin: APP,
          'sec-fetch-site': 'same-origin',
          'x-csrf-token': csrf,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ invitations: [{ email }] }),
      }),
    );
    expect(res.status).toBe(200);
    expect(await scalekitInviter(email)).toBe('ada@acme.test');
    expect((await emailsTo(bed.emulator, email))[0]!.text).toMatch(/^ada@acme\.test invited you/);
    await settle();
    expect(await shownInviter(email)).toBe('ada@acme.test');
  });
});
