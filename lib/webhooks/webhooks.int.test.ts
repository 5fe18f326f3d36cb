import { ScalekitClient } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { signWebhook } from '@/emulator/src/index';
import { POST } from '@/app/api/webhooks/scalekit/route';
import { authStackFor, signInAtEmulator } from '@/lib/auth/test-support';
import { injectFault, useTeamTestStack } from '@/lib/members/testing';
import { createSession } from '@/lib/session/store';
import { SCALEKIT_EVENT_TYPES, unknownEventTypeCounts } from '@/lib/webhooks/catalogue';
import { deliverSigned, documentedEvent, type DeliveryOptions } from '@/lib/webhooks/testing';
import { documentedExample } from '@/test/contract/scalekit/schema';

/**
 * The webhook receiver, fed Scalekit's documented events (the OpenAPI document's own examples,
 * ids rewritten to rows set up here, each checked against the document's schema) through the
 * route handler with the raw body. State lives in the emulator, as it would in Scalekit: a
 * membership event makes the app read the membership from Scalekit. The emulator's own deliveries
 * are in webhooks-emulator.int.test.ts; here they go nowhere, so only what a test sends arrives.
 */

const SECRET = 'whsec_dGVhbWdhdGUtZGV2LXdlYmhvb2stc2VjcmV0LW5vdC1yZWFs';

const stack = await useTeamTestStack();
const { prisma } = stack.db;
const scalekit = new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');

const deliver = (payload: { id: string }, options: DeliveryOptions = {}) => deliverSigned(POST, SECRET, payload, options);

const membership = (type: string, userId: string, email: string, occurredAt?: Date, organizationId = 'org_acme') =>
  documentedEvent(type, { organizationId, userId, email, ...(occurredAt ? { occurredAt } : {}) });

/** A person provisioned in Scalekit (the emulator) without an invitation: an ACTIVE member. */
async function provision(email: string, organizationId = 'org_acme', roles: string[] = ['member']): Promise<string> {
  const { user } = await scalekit.user.createUserAndMembership(organizationId, { email, sendInvitationEmail: false });
  if (roles.join() !== 'member') await scalekit.user.updateMembership(organizationId, user!.id, { roles });
  return user!.id;
}

async function mirrorOf(email: string, organizationId = 'org_acme') {
  return prisma.membership.findUnique({ where: { organizationId_email: { organizationId, email } } });
}

describe('signature', () => {
  const payload = () => membership('user.organization_membership_created', 'usr_sig', 'sig@acme.test');

  it.each([
    ['a wrong secret', { secret: 'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==' }],
    ['a timestamp older than 5 minutes', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
    ['a timestamp in the future', { timestamp: Math.floor(Date.now() / 1000) + 3600 }],
    ['a garbage signature', { signature: 'v1,AAAA' }],
    ['no signature', { signature: '' }],
  ])('%s → 401, nothing changes', async (_name, options) => {
    const p = payload();
    const result = await deliver(p, options);
    expect(result).toEqual({ status: 401, body: { error: { code: 'invalid_signature', message: expect.any(String) } } });
    expect(await mirrorOf('sig@acme.test')).toBeNull();
    expect(await prisma.processedWebhook.findUnique({ where: { id: p.id } })).toBeNull();
  });

  it('a body changed after signing (even re-serialised JSON) → 401', async () => {
    const p = payload();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook(SECRET, p.id, timestamp, JSON.stringify(p));
    const result = await deliver(p, { timestamp, signature, body: JSON.stringify(p, null, 2) });
    expect(result.status).toBe(401);
    expect(await mirrorOf('sig@acme.test')).toBeNull();
  });

  it('a signed body that is not an event, or a documented type with data of another shape → 400, not recorded', async () => {
    expect((await deliver({ id: 'evt_not_json' }, { body: 'not json at all' })).status).toBe(400);
    for (const type of [
      'user.organization_membership_created',
      'user.organization_membership_deleted',
      'organization.deleted',
      'user.logout',
    ]) {
      const bad = { ...documentedEvent(type), data: { nope: 1 } };
      const result = await deliver(bad);
      expect(result).toEqual({ status: 400, body: { error: { code: 'invalid_payload', message: expect.stringContaining(type) } } });
      expect(await prisma.processedWebhook.findUnique({ where: { id: bad.id } })).toBeNull();
    }
  });
});

describe('membership events: the state is read from Scalekit', () => {
  it('user.organization_membership_created mirrors the membership Scalekit holds, once; the same id again is a no-op', async () => {
    const userId = await provision('once@acme.test');
    const p = membership('user.organization_membership_created', userId, 'once@acme.test');
    expect(await deliver(p)).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
    expect(await mirrorOf('once@acme.test')).toMatchObject({ userId, status: 'ACTIVE', role: 'member', syncState: 'SYNCED' });
    await prisma.membership.update({
      where: { organizationId_email: { organizationId: 'org_acme', email: 'once@acme.test' } },
      data: { role: 'admin' },
    });
    expect(await deliver(p)).toEqual({ status: 200, body: { ok: true, outcome: 'duplicate' } });
    expect((await mirrorOf('once@acme.test'))?.role).toBe('admin');
  });

  it('the email and name come from Scalekit’s user, not from the payload', async () => {
    const { user } = await scalekit.user.createUserAndMembership('org_acme', {
      email: 'Grace.Hopper@Acme.test',
      userProfile: { firstName: 'Grace', lastName: 'Hopper' },
      sendInvitationEmail: false,
    });
    const p = membership('user.organization_membership_created', user!.id, 'someone.else@example.com');
    expect((await deliver(p)).body.outcome).toBe('applied');
    expect(await mirrorOf('grace.hopper@acme.test')).toMatchObject({ userId: user!.id, name: 'Grace Hopper' });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user!.id } })).toMatchObject({ firstName: 'Grace', lastName: 'Hopper' });
  });

  it('a delivery whose webhook-id (msg_…) differs from the event id is applied once, deduplicated on the event id', async () => {
    const userId = await provision('msgid@acme.test');
    const p = membership('user.organization_membership_created', userId, 'msgid@acme.test');
    expect(await deliver(p, { webhookId: 'msg_first_attempt' })).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
    expect(await deliver(p, { webhookId: 'msg_second_attempt' })).toEqual({ status: 200, body: { ok: true, outcome: 'duplicate' } });
    expect(await prisma.processedWebhook.findUnique({ where: { id: p.id } })).toMatchObject({
      type: 'user.organization_membership_created',
    });
  });

  it('concurrent deliveries of one event id apply it exactly once', async () => {
    const userId = await provision('race@acme.test');
    const p = membership('user.organization_membership_created', userId, 'race@acme.test');
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(p)));
    expect(results.map((r) => r.body.outcome).sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await prisma.auditEvent.count({ where: { action: 'member.joined', targetLabel: 'race@acme.test' } })).toBe(1);
  });

  it('user.organization_invitation mirrors a pending invitation with Scalekit’s expiry', async () => {
    const { user } = await scalekit.user.createUserAndMembership('org_acme', { email: 'invitee@acme.test', sendInvitationEmail: true });
    expect((await deliver(membership('user.organization_invitation', user!.id, 'invitee@acme.test'))).body.outcome).toBe('applied');
    const row = await mirrorOf('invitee@acme.test');
    expect(row).toMatchObject({ userId: user!.id, status: 'PENDING_INVITE', role: 'member', acceptedAt: null });
    expect(row!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it('an invitation accepted at Scalekit → ACTIVE on the next membership event, audited as invitation.accepted', async () => {
    expect(await mirrorOf('new.hire@acme.test')).toMatchObject({ status: 'PENDING_INVITE' });
    await signInAtEmulator(authStackFor(stack.db, stack.emulator), 'new.hire@acme.test');
    const p = membership('user.organization_membership_created', 'usr_newhire', 'new.hire@acme.test');
    expect((await deliver(p)).body.outcome).toBe('applied');
    expect(await mirrorOf('new.hire@acme.test')).toMatchObject({ status: 'ACTIVE', acceptedAt: expect.any(Date) });
    expect(
      await prisma.auditEvent.findFirst({ where: { action: 'invitation.accepted', targetLabel: 'new.hire@acme.test' } }),
    ).toMatchObject({ actorType: 'system' });
  });

  it('user.organization_membership_updated after a role change in Scalekit writes the new role', async () => {
    const userId = await provision('promoted@acme.test');
    await deliver(membership('user.organization_membership_created', userId, 'promoted@acme.test'));
    await scalekit.user.updateMembership('org_acme', userId, { roles: ['admin'] });
    expect((await deliver(membership('user.organization_membership_updated', userId, 'promoted@acme.test'))).body.outcome).toBe('applied');
    expect((await mirrorOf('promoted@acme.test'))?.role).toBe('admin');
  });

  it('user.organization_membership_deleted removes the row, ends the person’s sessions in that organization and audits it', async () => {
    const userId = await provision('leaver@acme.test');
    await deliver(membership('user.organization_membership_created', userId, 'leaver@acme.test'));
    const session = await createSession({
      userId,
      organizationId: 'org_acme',
      refreshToken: 'rt_leaver',
      accessTokenExpiresAt: new Date(Date.now() + 60_000),
      expiresAt: new Date(Date.now() + 3600_000),
    });
    await scalekit.user.deleteMembership('org_acme', userId);
    expect((await deliver(membership('user.organization_membership_deleted', userId, 'leaver@acme.test'))).body.outcome).toBe('applied');
    expect(await mirrorOf('leaver@acme.test')).toBeNull();
    expect(await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).toMatchObject({
      revokedAt: expect.any(Date),
      revokedReason: 'member_removed',
    });
    expect(await prisma.auditEvent.findFirst({ where: { action: 'member.removed', targetLabel: 'leaver@acme.test' } })).toMatchObject({
      actorType: 'system',
    });
  });

  it('a created event for a membership Scalekit no longer holds does not bring it back', async () => {
    const userId = await provision('gone@acme.test');
    await deliver(membership('user.organization_membership_created', userId, 'gone@acme.test'));
    await scalekit.user.deleteMembership('org_acme', userId);
    // The deletion's own event is lost; a retried created event arrives instead.
    expect((await deliver(membership('user.organization_membership_created', userId, 'gone@acme.test'))).body.outcome).toBe('applied');
    expect(await mirrorOf('gone@acme.test')).toBeNull();
  });

  it('a person removed, deleted by Scalekit and invited again (new usr_ id, same email) → the old row is retired, the new one mirrored', async () => {
    const oldId = await provision('again@acme.test');
    await deliver(membership('user.organization_membership_created', oldId, 'again@acme.test'));
    await scalekit.user.deleteMembership('org_acme', oldId);
    await scalekit.user.deleteUser(oldId).catch(() => undefined); // Scalekit deletes a user with no memberships left
    const newId = await provision('again@acme.test');
    expect(newId).not.toBe(oldId);
    // The deletion event was lost; the new membership's event arrives.
    expect((await deliver(membership('user.organization_membership_created', newId, 'again@acme.test'))).body.outcome).toBe('applied');
    expect(await mirrorOf('again@acme.test')).toMatchObject({ userId: newId, status: 'ACTIVE' });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: oldId } })).email).toBe(`${oldId}@retired.invalid`);
  });

  it('out of order: an event older than a deletion is stale; one after a re-invite applies', async () => {
    const t0 = new Date(Date.now() - 60_000);
    const userId = await provision('ooo@acme.test');
    await deliver(membership('user.organization_membership_created', userId, 'ooo@acme.test', t0));
    const deleted = membership('user.organization_membership_deleted', userId, 'ooo@acme.test', new Date(t0.getTime() + 20_000));
    expect((await deliver(deleted)).body.outcome).toBe('applied');
    expect(await mirrorOf('ooo@acme.test')).toBeNull();

    const late = membership('user.organization_membership_updated', userId, 'ooo@acme.test', new Date(t0.getTime() + 10_000));
    expect((await deliver(late)).body.outcome).toBe('stale');
    expect(await mirrorOf('ooo@acme.test')).toBeNull();

    // Scalekit still holds the membership (only our mirror was told of a deletion): a newer event restores it.
    const reinvited = membership('user.organization_invitation', userId, 'ooo@acme.test', new Date(t0.getTime() + 30_000));
    expect((await deliver(reinvited)).body.outcome).toBe('applied');
    expect(await mirrorOf('ooo@acme.test')).toMatchObject({ userId, status: 'ACTIVE' });
  });

  it('out of order: an update older than the newest applied one is skipped', async () => {
    const t0 = new Date(Date.now() - 30_000);
    const userId = await provision('roles@acme.test', 'org_acme', ['admin']);
    await deliver(membership('user.organization_membership_updated', userId, 'roles@acme.test', t0));
    expect((await mirrorOf('roles@acme.test'))?.role).toBe('admin');
    await scalekit.user.updateMembership('org_acme', userId, { roles: ['member'] });
    const older = membership('user.organization_membership_updated', userId, 'roles@acme.test', new Date(t0.getTime() - 5_000));
    expect((await deliver(older)).body.outcome).toBe('stale');
    expect((await mirrorOf('roles@acme.test'))?.role).toBe('admin');
    await deliver(membership('user.organization_membership_updated', userId, 'roles@acme.test', new Date(t0.getTime() + 5_000)));
    expect((await mirrorOf('roles@acme.test'))?.role).toBe('member');
  });

  it('created and updated for a new person at once → one row with Scalekit’s current role', async () => {
    for (let round = 0; round < 5; round++) {
      const email = `burst${round}@acme.test`;
      const userId = await provision(email, 'org_acme', ['admin']);
      const t0 = new Date(Date.now() - 10_000);
      const results = await Promise.all([
        deliver(membership('user.organization_membership_created', userId, email, t0)),
        deliver(membership('user.organization_membership_updated', userId, email, new Date(t0.getTime() + 1_000))),
        deliver(membership('user.organization_invitation', userId, email, new Date(t0.getTime() - 1_000))),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      const rows = await prisma.membership.findMany({ where: { organizationId: 'org_acme', email } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ userId, role: 'admin', status: 'ACTIVE' });
    }
  });

  it('user.signup and memberships of an organization the mirror does not know yet bring the organization in from Scalekit', async () => {
    const { organization } = await scalekit.organization.createOrganization('Newco');
    const orgId = organization!.id;
    const first = await provision('n1@newco.test', orgId, ['admin']);
    const second = await provision('n2@newco.test', orgId, ['admin']);
    // Several first events at once: none may fail.
    const results = await Promise.all([
      deliver(membership('user.signup', first, 'n1@newco.test', undefined, orgId)),
      deliver(membership('user.organization_membership_created', second, 'n2@newco.test', undefined, orgId)),
      deliver(membership('user.organization_membership_created', first, 'n1@newco.test', undefined, orgId)),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await prisma.organization.findUnique({ where: { id: orgId } })).toMatchObject({ name: 'Newco' });
    expect(await prisma.membership.count({ where: { organizationId: orgId, status: 'ACTIVE', role: 'admin' } })).toBe(2);
  });

  it('Scalekit down while reading the membership → 500, nothing recorded, and the retry applies it', async () => {
    const userId = await provision('retry@acme.test');
    const p = membership('user.organization_membership_created', userId, 'retry@acme.test');
    await injectFault(stack.emulator, { target: 'GetUser', grpcCode: 'UNAVAILABLE', count: 10 });
    expect((await deliver(p)).status).toBe(500);
    expect(await prisma.processedWebhook.findUnique({ where: { id: p.id } })).toBeNull();
    await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    expect((await deliver(p)).body.outcome).toBe('applied');
    expect(await mirrorOf('retry@acme.test')).toMatchObject({ userId });
  });
});

describe('organization events', () => {
  it('organization.updated takes the name and external id from the payload and the seat limit from Scalekit', async () => {
    await scalekit.organization.upsertUserManagementSettings('org_globex', { maxAllowedUsers: 12 });
    const p = documentedEvent('organization.updated', { organizationId: 'org_globex', displayName: 'Globex Corporation' });
    expect((await deliver(p)).body.outcome).toBe('applied');
    expect(await prisma.organization.findUniqueOrThrow({ where: { id: 'org_globex' } })).toMatchObject({
      name: 'Globex Corporation',
      externalId: 'org_external_123',
      maxAllowedUsers: 12,
    });
    const older = documentedEvent('organization.updated', {
      organizationId: 'org_globex',
      displayName: 'Globex (old name)',
      occurredAt: new Date(Date.now() - 60_000),
    });
    expect((await deliver(older)).body.outcome).toBe('stale');
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: 'org_globex' } })).name).toBe('Globex Corporation');
  });

  it('organization.created for an organization made in Scalekit’s dashboard adds it', async () => {
    const { organization } = await scalekit.organization.createOrganization('Initech');
    const p = documentedEvent('organization.created', { organizationId: organization!.id, displayName: 'Initech' });
    expect((await deliver(p)).body.outcome).toBe('applied');
    expect(await prisma.organization.findUnique({ where: { id: organization!.id } })).toMatchObject({ name: 'Initech' });
  });

  it('organization.deleted removes its memberships, revokes its API keys, ends its sessions; a late update is stale', async () => {
    const { organization } = await scalekit.organization.createOrganization('Doomed');
    const orgId = organization!.id;
    const userId = await provision('d1@doomed.test', orgId, ['admin']);
    await deliver(membership('user.organization_membership_created', userId, 'd1@doomed.test', undefined, orgId));
    expect(await prisma.membership.count({ where: { organizationId: orgId } })).toBe(1);
    const key = await prisma.apiKey.create({
      data: { organizationId: orgId, name: 'crm', prefix: 'tg_doomed', hash: 'x'.repeat(64), scopes: [], createdByUserId: userId },
    });
    const session = await createSession({
      userId,
      organizationId: orgId,
      refreshToken: 'rt_doomed',
      accessTokenExpiresAt: new Date(Date.now() + 60_000),
      expiresAt: new Date(Date.now() + 3600_000),
    });
    const deletedAt = new Date();
    expect((await deliver(documentedEvent('organization.deleted', { organizationId: orgId, occurredAt: deletedAt }))).body.outcome).toBe(
      'applied',
    );
    expect(await prisma.membership.count({ where: { organizationId: orgId } })).toBe(0);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).not.toBeNull();
    expect(await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).toMatchObject({ revokedReason: 'organization_deleted' });
    const late = documentedEvent('organization.updated', { organizationId: orgId, occurredAt: new Date(deletedAt.getTime() - 1_000) });
    expect((await deliver(late)).body.outcome).toBe('stale');
  });
});

describe('session events', () => {
  async function sessionFor(userId: string, scalekitSessionId: string) {
    return createSession({
      userId,
      organizationId: 'org_acme',
      scalekitSessionId,
      refreshToken: `rt_${scalekitSessionId}`,
      accessTokenExpiresAt: new Date(Date.now() + 60_000),
      expiresAt: new Date(Date.now() + 3600_000),
    });
  }

  it('user.logout ends the app session opened from that Scalekit session, and no other', async () => {
    const ended = await sessionFor('usr_max', 'ses_signed_out_at_scalekit');
    const other = await sessionFor('usr_max', 'ses_other_device');
    const p = documentedEvent('user.logout', { userId: 'usr_max', organizationId: 'org_acme', sessionId: 'ses_signed_out_at_scalekit' });
    expect((await deliver(p)).body.outcome).toBe('applied');
    expect(await prisma.session.findUniqueOrThrow({ where: { id: ended.id } })).toMatchObject({ revokedReason: 'scalekit_logout' });
    expect((await prisma.session.findUniqueOrThrow({ where: { id: other.id } })).revokedAt).toBeNull();
    const unknown = documentedEvent('user.logout', { userId: 'usr_max', sessionId: 'ses_never_seen_here' });
    expect((await deliver(unknown)).body.outcome).toBe('ignored');
  });

  it('the documented logout example as published (its session’s user_id differs from data.user.id) is read by session id', async () => {
    const example = documentedExample('user.logout') as { data: { user_session: { session_id: string } } };
    const session = await sessionFor('usr_ada', example.data.user_session.session_id);
    const p = documentedEvent('user.logout');
    expect((await deliver(p)).body.outcome).toBe('applied');
    expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).not.toBeNull();
  });

  it('user.login records the sign-in time; an older one does not move it back', async () => {
    const at = new Date(Date.now() - 1_000);
    expect((await deliver(documentedEvent('user.login', { userId: 'usr_riley', occurredAt: at }))).body.outcome).toBe('applied');
    expect((await prisma.user.findUniqueOrThrow({ where: { id: 'usr_riley' } })).lastLoginAt?.getTime()).toBe(at.getTime());
    const older = documentedEvent('user.login', { userId: 'usr_riley', occurredAt: new Date(at.getTime() - 60_000) });
    expect((await deliver(older)).body.outcome).toBe('ignored');
    expect((await prisma.user.findUniqueOrThrow({ where: { id: 'usr_riley' } })).lastLoginAt?.getTime()).toBe(at.getTime());
  });
  it('user.login for a session in Globex records a sign-in on riley’s Globex membership only, without a method', async () => {
    const acmeBefore = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', userId: 'usr_riley' } });
    const at = new Date(Date.now() - 500);
    const p = documentedEvent('user.login', { userId: 'usr_riley', organizationId: 'org_globex', occurredAt: at });
    expect((await deliver(p)).body.outcome).toBe('applied');
    const globex = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_globex', userId: 'usr_riley' } });
    expect(globex.lastSignInAt?.getTime()).toBe(at.getTime());
    expect(globex.lastSignInMethod).toBeNull();
    const acme = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', userId: 'usr_riley' } });
    expect(acme.lastSignInAt?.getTime() ?? null).toBe(acmeBefore.lastSignInAt?.getTime() ?? null);
  });
});

describe('the catalogue', () => {
  it('every documented event type is answered 2xx as published (handled ones applied or ignored, none refused)', async () => {
    for (const type of SCALEKIT_EVENT_TYPES) {
      const result = await deliver(documentedEvent(type));
      expect([type, result.status]).toEqual([type, 200]);
      expect(['applied', 'ignored', 'stale']).toContain(result.body.outcome);
    }
  });

  it('a type Scalekit does not document is acknowledged, recorded and counted as unknown', async () => {
    const before = (await unknownEventTypeCounts())['membership.created'] ?? 0;
    for (let i = 0; i < 2; i++) {
      const p = { ...documentedEvent('user.organization_membership_created'), type: 'membership.created' };
      expect(await deliver(p)).toEqual({ status: 200, body: { ok: true, outcome: 'unknown' } });
    }
    expect((await unknownEventTypeCounts())['membership.created']).toBe(before + 2);
    expect(await unknownEventTypeCounts()).not.toHaveProperty('organization.sso_enabled');
  });
});
