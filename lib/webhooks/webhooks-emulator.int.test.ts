import { ScalekitClient } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { authStackFor, signedInCookie } from '@/lib/auth/test-support';
import { useTeamTestStack } from '@/lib/members/testing';
import { serveWebhookRoute } from '@/lib/webhooks/testing';
import { webhookValidator } from '@/test/contract/scalekit/schema';

/**
 * End to end: a change made in Scalekit (the emulator, through the real SDK) reaches the mirror
 * by the emulator's own signed delivery over HTTP to the route. And everything the emulator sent
 * along the way is checked against Scalekit's published schema, so the emulator cannot drift into
 * events only this app understands.
 */

// The route behind a real HTTP server, for the emulator to deliver to.
const appUrl = await serveWebhookRoute();
const stack = await useTeamTestStack({ appUrl });
const { prisma } = stack.db;
const scalekit = new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');

interface DeliveredEvent {
  id: string;
  type: string;
  delivered: boolean;
  lastStatus: number;
  payload: Record<string, unknown>;
}

async function emulatorEvents(): Promise<DeliveredEvent[]> {
  return (await (await fetch(`${stack.emulator.url}/_emulator/events`)).json()) as DeliveredEvent[];
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const mirrorOf = (organizationId: string, email: string) =>
  prisma.membership.findUnique({ where: { organizationId_email: { organizationId, email } } });

describe('delivered by the emulator', () => {
  it('an invitation, a role change and a removal made in Scalekit reach the mirror', async () => {
    const { user } = await scalekit.user.createUserAndMembership('org_acme', { email: 'sent.by.scalekit@acme.test' });
    const invited = await eventually(
      () => mirrorOf('org_acme', 'sent.by.scalekit@acme.test'),
      (m) => m?.status === 'PENDING_INVITE',
    );
    expect(invited).toMatchObject({ userId: user!.id, status: 'PENDING_INVITE' });

    await scalekit.user.updateMembership('org_globex', 'usr_riley', { roles: ['member'] });
    expect(
      await eventually(
        () => mirrorOf('org_globex', 'riley@consultant.test'),
        (m) => m?.role === 'member',
      ),
    ).toMatchObject({
      role: 'member',
    });

    await scalekit.user.deleteMembership('org_globex', 'usr_riley');
    expect(
      await eventually(
        () => mirrorOf('org_globex', 'riley@consultant.test'),
        (m) => m === null,
      ),
    ).toBeNull();
    const deletion = (await emulatorEvents()).find((e) => e.type === 'user.organization_membership_deleted');
    expect(deletion).toMatchObject({ delivered: true, lastStatus: 200 });
  });

  it('a logout at Scalekit ends the app session that came from it', async () => {
    const { session } = await signedInCookie(authStackFor(stack.db, stack.emulator), 'max@acme.test');
    expect(session.scalekitSessionId).toMatch(/^ses_/);
    await scalekit.session.revokeSession(session.scalekitSessionId!);
    const row = await eventually(
      () => prisma.session.findUniqueOrThrow({ where: { id: session.id } }),
      (s) => s.revokedAt !== null,
    );
    expect(row.revokedReason).toBe('scalekit_logout');
  });

  it('every event the emulator sent is one Scalekit documents, in the documented shape', async () => {
    const events = await emulatorEvents();
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'user.organization_invitation',
        'user.organization_membership_updated',
        'user.organization_membership_deleted',
        'user.login',
        'user.logout',
      ]),
    );
    for (const event of events) {
      const validate = webhookValidator(event.type);
      expect([event.type, validate(event.payload) ? 'valid' : JSON.stringify(validate.errors)]).toEqual([event.type, 'valid']);
    }
  });
});
