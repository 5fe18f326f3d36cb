import { describe, expect, it } from 'vitest';
import { signWebhook } from '@/emulator/src/index';
import { POST } from '@/app/api/webhooks/scalekit/route';
import { useTeamTestStack } from '@/lib/members/testing';
import { revokeInvitation } from '@/lib/invitations/service';
import { inviteSent as inviteMember } from '@/lib/invitations/testing';
import { getEnv } from '@/lib/env';
import { documentedEvent } from '@/lib/webhooks/testing';

// No appUrl: the emulator's own webhooks go nowhere, so the only event the app sees is the
// late one this test delivers — the revoke alone must protect the mirror.
const stack = await useTeamTestStack();
const { prisma } = stack.db;

async function deliverMembershipCreated(userId: string, email: string, occurredAt: Date) {
  const payload = documentedEvent('user.organization_membership_created', { organizationId: 'org_acme', userId, email, occurredAt });
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await POST(
    new Request('http://localhost/api/webhooks/scalekit', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': payload.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(getEnv().SCALEKIT_WEBHOOK_SECRET, payload.id, timestamp, body),
      },
      body,
    }),
  );
  return (await response.json()) as { outcome?: string };
}

describe('revokeInvitation and late webhooks', () => {
  it('a user.organization_membership_created stamped before the revoke but delivered after it does not bring the invitation back', async () => {
    const invited = await inviteMember(stack.acmeAdmin, 'org_acme', { email: 'late-revoke@acme.test', role: 'member' });
    await new Promise((r) => setTimeout(r, 20));
    const stampedBeforeRevoke = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await revokeInvitation(stack.acmeAdmin, 'org_acme', invited.membership.id);

    expect((await deliverMembershipCreated(invited.membership.userId!, 'late-revoke@acme.test', stampedBeforeRevoke)).outcome).toBe(
      'stale',
    );
    expect(await prisma.membership.findFirst({ where: { organizationId: 'org_acme', email: 'late-revoke@acme.test' } })).toBeNull();
  });
});
