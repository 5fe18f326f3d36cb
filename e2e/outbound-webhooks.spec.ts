import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { freshOrganization, InviteDialog, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { TeamPage } from './pages/team-page';
import { WebhooksPage } from './pages/webhooks-page';

/**
 * Outbound webhooks end to end: an admin adds an endpoint pointing at a receiver this spec runs
 * on 127.0.0.1 (the e2e app allows private addresses, e2e/support/test-env.ts), then changes
 * things in the team; the job worker beside the app delivers each event, signed, in order, and the
 * delivery log shows them; Replay sends one again with the same webhook-id.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; organization_id: string; data: Record<string, unknown> };
}

test('an endpoint receives signed events in order, the delivery log lists them, and Replay re-delivers', async ({ page }) => {
  test.setTimeout(180_000);
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/teamgate`;

  try {
    const { tag, orgId, admin } = await freshOrganization();
    const member = `member-${tag}@acme.test`;
    await scalekit.user.createUserAndMembership(orgId, { email: member, sendInvitationEmail: false });
    await webhooksDelivered(orgId);

    const webhooks = new WebhooksPage(page);
    await signIn(page, admin, `/orgs/${orgId}/settings/webhooks`);
    await expect(page.getByTestId('webhooks-empty')).toBeVisible();
    // SSRF-style mistakes are refused with a sentence (here: no scheme at all).
    await webhooks.url.fill('crm.example.com/hooks');
    await webhooks.add.click();
    await expect(webhooks.urlError).toHaveText(/not a URL/);

    const secret = await webhooks.addEndpoint(receiverUrl, { description: `CRM ${tag}` });
    expect(secret).toMatch(/^whsec_/);
    await expect(webhooks.endpoint(receiverUrl).getByTestId('webhook-endpoint-status')).toHaveText('Enabled');

    const team = new TeamPage(page);
    await team.goto(orgId);
    const invitee = `invitee-${tag}@acme.test`;
    await new InviteDialog(page).invite(invitee);
    await team.waitForRow(invitee, orgId);
    await team.runRowAction(invitee, 'Revoke invitation', 'Revoke');
    await team.runRowAction(member, 'Make admin', 'Change role');

    const expected = ['invitation.created', 'invitation.revoked', 'member.role_changed'];
    await expect.poll(() => received.map((r) => r.json.type), { timeout: 90_000 }).toEqual(expected);
    const wh = new Webhook(secret);
    for (const r of received) {
      const headers = {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      };
      expect(wh.verify(r.body, headers)).toEqual(r.json);
      expect(r.json.organization_id).toBe(orgId);
      expect(r.headers['webhook-id']).toBe(r.json.id);
    }
    expect(received.map((r) => r.json.data.email)).toEqual([invitee, invitee, member]);
    expect(received[2]!.json.data).toMatchObject({ previous_role: 'member', role: 'admin', actor: { type: 'user', label: admin } });

    await webhooks.goto(orgId);
    // Newest first; each delivered with the receiver's 204.
    await expect(webhooks.deliveryTypes()).toHaveText([...expected].reverse(), { timeout: 15_000 });
    await expect(webhooks.deliveries.getByTestId('webhook-delivery-status')).toHaveText(['Delivered', 'Delivered', 'Delivered']);
    await expect(webhooks.deliveries.getByTestId('webhook-delivery-response').first()).toContainText('204');

    await webhooks.replay('invitation.created');
    await expect.poll(() => received.length, { timeout: 60_000 }).toBe(4);
    expect(received[3]!.json.type).toBe('invitation.created');
    expect(received[3]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
    expect(received[3]!.body).toBe(received[0]!.body);
    await expect(webhooks.deliveryTypes()).toHaveText(['invitation.created', ...[...expected].reverse()], { timeout: 15_000 });
    await expect(webhooks.deliveries.first()).toContainText('(replay)');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
