import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import { documentedEventTypes, documentedExample, webhookValidator } from '../../test/contract/scalekit/schema';
import type { Emulator } from './index.js';
import { EVENT_CATALOGUE } from './webhooks.js';
import { callbackParams, CLIENT_ID, CLIENT_SECRET, postJson, REDIRECT_URI, sdk, signInWithCode, startEmulator } from './testing.js';

// Every path that makes the emulator send a webhook, driven from outside (SDK, hosted pages,
// dev endpoints); every captured event is checked against Scalekit's published schema
// (test/contract/scalekit/webhooks.json, from developer-docs openapi/scalekit.yaml).

interface Event {
  spec_version: string;
  id: string;
  type: string;
  object: string;
  organization_id?: string;
  environment_id: string;
  display_name: string;
  data: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const received: Event[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Event);
    res.writeHead(204).end();
  });
});

let emu: Emulator;
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  emu = await startEmulator({ appUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await emu.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});
beforeEach(() => {
  emu.reset();
  received.length = 0;
});

/** Waits until `count` events of `type` arrived, then returns them. */
async function eventsOf(type: string, count = 1): Promise<Event[]> {
  const end = Date.now() + 5000;
  for (;;) {
    const found = received.filter((e) => e.type === type);
    if (found.length >= count) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${type}; got ${received.map((e) => e.type).join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lets in-flight deliveries land, then checks every event received so far against Scalekit's schema. */
async function expectAllDocumented(): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
  expect(received.length).toBeGreaterThan(0);
  for (const event of received) {
    const validate = webhookValidator(event.type);
    expect(validate(event), `${event.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(event.display_name).toBe(documentedExample(event.type).display_name);
  }
}

async function exchange(code: string) {
  const res = await fetch(`${emu.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code,
      redirect_uri: REDIRECT_URI,
    }).toString(),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string };
}

async function signIn(email: string, params: Record<string, string> = {}) {
  const result = await signInWithCode(emu, email, params);
  expect(result.status, result.html).toBe(302);
  const tokens = await exchange(callbackParams(result.location).get('code')!);
  return { pages: result.pages, sid: decodeJwt(tokens.access_token).sid as string };
}

describe('the catalogue', () => {
  it('holds only types Scalekit documents, each with the documented object and display_name', () => {
    for (const [type, entry] of Object.entries(EVENT_CATALOGUE)) {
      expect(documentedEventTypes).toContain(type);
      const example = documentedExample(type);
      expect([type, entry.object, entry.displayName]).toEqual([type, example.object, example.display_name]);
    }
    expect(Object.keys(EVENT_CATALOGUE)).not.toContain('user.created');
    expect(Object.keys(EVENT_CATALOGUE).some((t) => t.startsWith('membership.'))).toBe(false);
  });
});

describe('organization events', () => {
  it('sends organization.created, organization.updated and organization.deleted with the organization as data', async () => {
    const client = sdk(emu);
    const { organization } = await client.organization.createOrganization('Initech', { externalId: 'crm-initech' });
    const orgId = organization!.id;
    await client.organization.updateOrganization(orgId, { displayName: 'Initech Inc' });
    await client.organization.deleteOrganization(orgId);
    const [created] = await eventsOf('organization.created');
    const [updated] = await eventsOf('organization.updated');
    const [deleted] = await eventsOf('organization.deleted');
    expect(created).toMatchObject({ object: 'Organization', organization_id: orgId });
    expect(created!.data).toMatchObject({ id: orgId, display_name: 'Initech', external_id: 'crm-initech', region_code: 'US' });
    expect(created!.data.settings.features).toEqual([
      { name: 'sso', enabled: false },
      { name: 'dir_sync', enabled: false },
    ]);
    expect(created!.data.deleted_at).toBeUndefined();
    expect(updated!.data.display_name).toBe('Initech Inc');
    expect(deleted!.data).toMatchObject({ id: orgId, deleted_at: expect.any(String) });
    await expectAllDocumented();
  });

  it('omits external_id for an organization without one (the schema types it as a string)', async () => {
    await sdk(emu).organization.createOrganization('No External');
    const [created] = await eventsOf('organization.created');
    expect('external_id' in created!.data).toBe(false);
    await expectAllDocumented();
  });

  it('deletes an organization with one event, taking along users who belonged only to it', async () => {
    const client = sdk(emu);
    const { organization } = await client.organization.createOrganization('Short Lived');
    const { user } = await client.user.createUserAndMembership(organization!.id, { email: 'only@short.test' });
    await client.user.createMembership(organization!.id, 'usr_ada', { roles: ['member'], sendInvitationEmail: false });
    // Deliveries run after the RPC answers: wait for this one, or it may land after the reset below.
    await eventsOf('user.organization_membership_created');
    received.length = 0;
    await client.organization.deleteOrganization(organization!.id);
    await eventsOf('organization.deleted');
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((e) => e.type)).toEqual(['organization.deleted']);
    await expect(client.user.getUser(user!.id)).rejects.toBeInstanceOf(ScalekitNotFoundException);
    expect((await client.user.getUser('usr_ada')).user?.email).toBe('ada@acme.test');
    await expectAllDocumented();
  });
});

describe('events other modules send', () => {
  it('organization.domain_created and _deleted carry the envelope and validate', async () => {
    const client = sdk(emu);
    const d = (await client.domain.createDomain('org_acme', 'contract-test.com')).domain!;
    await client.domain.deleteDomain('org_acme', d.id);
    const [created] = await eventsOf('organization.domain_created');
    await eventsOf('organization.domain_deleted');
    expect(created).toMatchObject({ object: 'Organization', organization_id: 'org_acme' });
    await expectAllDocumented();
  });
});

describe('membership events', () => {
  it('an invitation is user.organization_invitation; direct provisioning is user.organization_membership_created', async () => {
    const client = sdk(emu);
    const { user: invited } = await client.user.createUserAndMembership('org_acme', { email: 'invited@acme.test' });
    const { user: direct } = await client.user.createUserAndMembership('org_acme', {
      email: 'direct@acme.test',
      externalId: 'crm-direct',
      sendInvitationEmail: false,
    });
    const [invitation] = await eventsOf('user.organization_invitation');
    const [joined] = await eventsOf('user.organization_membership_created');
    expect(invitation).toMatchObject({ object: 'OrgMembership', organization_id: 'org_acme' });
    expect(invitation!.data.user).toMatchObject({ id: invited!.id, email: 'invited@acme.test' });
    expect('external_id' in invitation!.data.user).toBe(false);
    expect(invitation!.data.user.user_profile.id).toMatch(/^usp_/);
    expect(joined!.data.user).toMatchObject({ id: direct!.id, external_id: 'crm-direct' });
    expect(joined!.data.organization.id).toBe('org_acme');
    await expectAllDocumented();
  });

  it('role change and resend are user.organization_membership_updated; removal is _deleted', async () => {
    const client = sdk(emu);
    const { user } = await client.user.createUserAndMembership('org_acme', { email: 'change@acme.test' });
    await client.user.updateMembership('org_acme', user!.id, { roles: ['admin'] });
    await client.user.resendInvite('org_acme', user!.id);
    await client.user.deleteMembership('org_acme', user!.id);
    const updates = await eventsOf('user.organization_membership_updated', 2);
    const [deleted] = await eventsOf('user.organization_membership_deleted');
    expect(updates.map((e) => e.data.user.id)).toEqual([user!.id, user!.id]);
    expect(deleted!.data).toMatchObject({ organization: { id: 'org_acme' }, user: { id: user!.id, email: 'change@acme.test' } });
    await expectAllDocumented();
  });

  it('a user profile update sends nothing (Scalekit documents no user.updated)', async () => {
    await sdk(emu).user.updateUser('usr_ada', { userProfile: { firstName: 'Augusta' } });
    await new Promise((r) => setTimeout(r, 150));
    expect(received).toEqual([]);
  });

  it('removing the last membership deletes the user; inviting the email again makes a new usr_ id', async () => {
    const client = sdk(emu);
    const { user } = await client.user.createUserAndMembership('org_acme', { email: 'again@acme.test' });
    await client.user.deleteMembership('org_acme', user!.id);
    await expect(client.user.getUser(user!.id)).rejects.toBeInstanceOf(ScalekitNotFoundException);
    const { user: again } = await client.user.createUserAndMembership('org_acme', { email: 'again@acme.test' });
    expect(again!.id).toMatch(/^usr_/);
    expect(again!.id).not.toBe(user!.id);
    await expectAllDocumented();
  });
});

describe('directory sync (SCIM) stand-ins', () => {
  it('provisioning is user.organization_membership_created; deprovisioning marks the membership INACTIVE and is _updated', async () => {
    const client = sdk(emu);
    const provisioned = await postJson<{ userId: string; status: string }>(`${emu.url}/_emulator/scim/provision`, {
      organizationId: 'org_acme',
      email: 'scim@acme.test',
      firstName: 'Sky',
      lastName: 'Sim',
    });
    expect(provisioned).toMatchObject({ status: 200, body: { status: 'ACTIVE' } });
    const [joined] = await eventsOf('user.organization_membership_created');
    expect(joined!.data.user).toMatchObject({ id: provisioned.body.userId, user_profile: { given_name: 'Sky' } });
    expect(received.map((e) => e.type)).not.toContain('user.organization_invitation');

    const gone = await postJson<{ status: string }>(`${emu.url}/_emulator/scim/deprovision`, {
      organizationId: 'org_acme',
      email: 'scim@acme.test',
    });
    expect(gone).toMatchObject({ status: 200, body: { status: 'INACTIVE' } });
    const [updated] = await eventsOf('user.organization_membership_updated');
    expect(updated!.data.user.id).toBe(provisioned.body.userId);
    // The membership stays, INACTIVE, so the user is not deleted.
    const { user } = await client.user.getUser(provisioned.body.userId);
    expect(user?.memberships.map((m) => [m.organizationId, m.membershipStatus])).toEqual([['org_acme', 2]]); // INACTIVE
    expect(received.map((e) => e.type)).not.toContain('user.organization_membership_deleted');
    // A deprovisioned member cannot sign in to the organization.
    const denied = await signInWithCode(emu, 'scim@acme.test', { organization_id: 'org_acme' });
    expect(denied.status).toBe(403);

    expect(
      (await postJson(`${emu.url}/_emulator/scim/provision`, { organizationId: 'org_acme', email: 'scim@acme.test' })).body,
    ).toMatchObject({
      status: 'ACTIVE',
    });
    await eventsOf('user.organization_membership_updated', 2);
    expect(
      (await postJson(`${emu.url}/_emulator/scim/deprovision`, { organizationId: 'org_acme', email: 'nobody@acme.test' })).status,
    ).toBe(404);
    expect((await postJson(`${emu.url}/_emulator/scim/deprovision`, { email: 'scim@acme.test' })).status).toBe(400);
    await expectAllDocumented();
  });
});

describe('session events', () => {
  it('accepting an invitation at login sends user.organization_membership_created, then user.login with the tokens sid', async () => {
    const { pages, sid } = await signIn('new.hire@acme.test');
    const [joined] = await eventsOf('user.organization_membership_created');
    expect(joined!.data.user).toMatchObject({ email: 'new.hire@acme.test', user_profile: { email_verified: true } });
    const [login] = await eventsOf('user.login');
    expect(login).toMatchObject({ object: 'User', organization_id: 'org_acme' });
    expect(login!.data.user).toMatchObject({ email: 'new.hire@acme.test', last_login_time: expect.any(String) });
    expect(login!.data.user_session).toMatchObject({
      session_id: sid,
      user_id: login!.data.user.id,
      organization_id: 'org_acme',
      status: 'ACTIVE',
      authenticated_organizations: ['org_acme'],
      expired_at: null,
      logout_at: null,
    });

    const out = await pages.request('/oidc/logout');
    expect(out.status).toBe(200);
    const [logout] = await eventsOf('user.logout');
    expect(logout!.data.user_session).toMatchObject({ session_id: sid, status: 'LOGGED_OUT', logout_at: expect.any(String) });
    expect(received.map((e) => e.type)).toEqual(['user.organization_membership_created', 'user.login', 'user.logout']);
    await expectAllDocumented();
  });

  it('SessionService RevokeSession and RevokeAllUserSessions send user.logout with status REVOKED', async () => {
    const first = await signIn('ada@acme.test');
    const second = await signIn('ada@acme.test');
    const client = sdk(emu);
    await client.session.revokeSession(first.sid);
    const [one] = await eventsOf('user.logout');
    expect(one!.data.user_session).toMatchObject({ session_id: first.sid, status: 'REVOKED', logout_at: expect.any(String) });
    await client.session.revokeAllUserSessions('usr_ada');
    const both = await eventsOf('user.logout', 2);
    expect(both[1]!.data.user_session).toMatchObject({ session_id: second.sid, status: 'REVOKED' });
    // Revoking again ends nothing, so nothing more is sent.
    await client.session.revokeSession(first.sid);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.filter((e) => e.type === 'user.logout')).toHaveLength(2);
    await expectAllDocumented();
  });

  it('a public sign-up sends organization.created, then user.signup (not a membership event)', async () => {
    expect((await postJson(`${emu.url}/_emulator/settings`, { publicSignup: true })).status).toBe(200);
    await signIn('founder@startup.test', { prompt: 'create' });
    const [created] = await eventsOf('organization.created');
    const [signup] = await eventsOf('user.signup');
    expect(signup).toMatchObject({ object: 'OrgMembership', organization_id: created!.data.id });
    expect(signup!.data.user.email).toBe('founder@startup.test');
    const types = received.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['organization.created', 'user.signup']);
    expect(types).not.toContain('user.organization_membership_created');
    expect(types).not.toContain('user.organization_invitation');
    await expectAllDocumented();
  });
});
