import { describe, expect, it } from 'vitest';
import http2 from 'node:http2';
import type { Client } from '@connectrpc/connect';
import {
  ScalekitBadRequestException,
  ScalekitConflictException,
  ScalekitGatewayTimeoutException,
  ScalekitInternalServerException,
  ScalekitNotFoundException,
  ScalekitNotImplementedException,
  ScalekitServiceUnavailableException,
  ScalekitTooManyRequestsException,
  ScalekitForbiddenException,
} from '@scalekit-sdk/node';
import type CoreClient from '@scalekit-sdk/node/lib/core.js';
import type { UserService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/users/users_pb.js';
import type { StateSummary } from '../dev-endpoints.js';
import { emailsTo, postJson, sdk, useEmulator } from '../testing.js';

const PENDING_INVITE = 3;
const ACTIVE = 1;
const INVITE_EXPIRED = 4;

const emu = useEmulator();

async function state() {
  return (await fetch(`${emu.url}/_emulator/state`)).json() as Promise<StateSummary>;
}

// The SDK's private members these tests reach into; its .d.ts declares them untyped.
interface WithCoreClient {
  coreClient: CoreClient;
}
interface UserClientInternals extends WithCoreClient {
  client: Client<typeof UserService>;
}
const internals = <T>(sdkClient: object) => sdkClient as T;

describe('transport and management auth', () => {
  it('serves gRPC (h2c) and HTTP/1.1 on the same port', async () => {
    const health = await fetch(`${emu.url}/health`);
    expect(health.status).toBe(200);
    const { roles } = await sdk(emu).role.listRoles();
    expect(roles.map((r) => r.name)).toEqual(['admin', 'member', 'viewer']);
  });

  it('answers UNAUTHENTICATED without a bearer token, and the SDK fetches one and retries', async () => {
    const session = http2.connect(emu.url);
    const status = await new Promise<string>((resolve, reject) => {
      const req = session.request({
        ':method': 'POST',
        ':path': '/scalekit.v1.roles.RolesService/ListRoles',
        'content-type': 'application/grpc+proto',
        te: 'trailers',
      });
      req.on('response', (headers) => resolve(String(headers['grpc-status'])));
      req.on('error', reject);
      req.end(Buffer.from([0, 0, 0, 0, 0]));
    });
    session.close();
    expect(status).toBe('16');
    const client = sdk(emu);
    const org = await client.organization.getOrganization('org_acme');
    expect(org.organization?.displayName).toBe('Acme');
  });

  it('re-authenticates when the management token expires', async () => {
    await postJson(`${emu.url}/_emulator/settings`, { m2mTokenTtlSeconds: 1 });
    const client = sdk(emu);
    await client.organization.getOrganization('org_acme');
    const first = internals<WithCoreClient>(client).coreClient.accessToken as string;
    await new Promise((r) => setTimeout(r, 1100));
    const again = await client.organization.getOrganization('org_acme');
    expect(again.organization?.id).toBe('org_acme');
    expect(internals<WithCoreClient>(client).coreClient.accessToken).not.toBe(first);
  });

  it('refuses a wrong client secret at the token endpoint (401, as from Scalekit)', async () => {
    await expect(sdk(emu, { secret: 'wrong' }).organization.getOrganization('org_acme')).rejects.toMatchObject({
      response: { status: 401, data: { error: 'invalid_client' } },
    });
  });
});

describe('users and memberships', () => {
  it('lists organization users with page tokens and total_size', async () => {
    const client = sdk(emu);
    const first = await client.user.listOrganizationUsers('org_acme', { pageSize: 2 });
    expect(first.totalSize).toBe(4);
    expect(first.users.map((u) => u.email)).toEqual(['ada@acme.test', 'max@acme.test']);
    expect(first.prevPageToken).toBe('');
    const second = await client.user.listOrganizationUsers('org_acme', { pageSize: 2, pageToken: first.nextPageToken });
    expect(second.users.map((u) => u.email)).toEqual(['riley@consultant.test', 'new.hire@acme.test']);
    expect(second.nextPageToken).toBe('');
    expect(second.prevPageToken).not.toBe('');
    const riley = second.users[0]!;
    expect(riley.memberships.map((m) => [m.organizationId, m.roles.map((r) => r.name)])).toEqual([
      ['org_acme', ['member']],
      ['org_globex', ['admin']],
    ]);
    expect(second.users[1]!.memberships[0]!.membershipStatus).toBe(PENDING_INVITE);
  });

  it('rejects a page token from another listing and an out-of-range page size', async () => {
    const client = sdk(emu);
    const acme = await client.user.listOrganizationUsers('org_acme', { pageSize: 1 });
    await expect(client.user.listOrganizationUsers('org_globex', { pageToken: acme.nextPageToken })).rejects.toBeInstanceOf(
      ScalekitBadRequestException,
    );
    await expect(client.user.listOrganizationUsers('org_acme', { pageToken: 'garbage!' })).rejects.toMatchObject({
      errorCode: 'INVALID_PAGE_TOKEN',
    });
    await expect(client.user.listOrganizationUsers('org_acme', { pageSize: 101 })).rejects.toMatchObject({
      errorCode: 'INVALID_PAGE_SIZE',
    });
  });

  it('searches organization users by email or name', async () => {
    const res = await sdk(emu).user.searchOrganizationUsers('org_acme', 'riley', 10);
    expect(res.users.map((u) => u.id)).toEqual(['usr_riley']);
    expect(res.totalSize).toBe(1);
    const byName = await sdk(emu).user.searchOrganizationUsers('org_acme', 'Max Mem');
    expect(byName.users.map((u) => u.id)).toEqual(['usr_max']);
  });

  it('creates a user with a pending invitation and sends the invitation email by default', async () => {
    const client = sdk(emu);
    const { user } = await client.user.createUserAndMembership('org_acme', {
      email: 'New.Person@Acme.test',
      userProfile: { firstName: 'New', lastName: 'Person' },
    });
    expect(user?.id).toMatch(/^usr_\d+$/);
    expect(user?.email).toBe('new.person@acme.test');
    const m = user!.memberships[0]!;
    expect(m.membershipStatus).toBe(PENDING_INVITE);
    expect(m.roles.map((r) => r.name)).toEqual(['member']);
    const expiresInDays = (Number(m.expiresAt!.seconds) * 1000 - Date.now()) / 86_400_000;
    expect(expiresInDays).toBeGreaterThan(14.9);
    expect(expiresInDays).toBeLessThanOrEqual(15);
    const [mail] = await emailsTo(emu, 'new.person@acme.test');
    expect(mail!.subject).toBe("You're invited to join Acme on Teamgate");
    // Scalekit mails its own hosted link, which redirects to the app's initiate-login URL (fsa/guides/user-invitations.mdx).
    expect(mail!.links).toHaveLength(1);
    expect(mail!.links[0]!.startsWith(`${emu.url}/invitations/accept?token=`)).toBe(true);
    const hop = await fetch(mail!.links[0]!, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    const initiate = new URL(hop.headers.get('location')!);
    expect(`${initiate.origin}${initiate.pathname}`).toBe('http://localhost:3000/auth/login/initiate');
    expect(initiate.searchParams.get('login_hint')).toBe('new.person@acme.test');
    expect(initiate.searchParams.get('organization_id')).toBe('org_acme');
    expect(mail!.code).toBeNull();
    const fetched = await client.user.getUser(user!.id);
    expect(fetched.user?.userProfile?.firstName).toBe('New');
  });

  it('provisions an ACTIVE member without an email when send_invitation_email is false', async () => {
    const { user } = await sdk(emu).user.createUserAndMembership('org_acme', { email: 'direct@acme.test', sendInvitationEmail: false });
    expect(user!.memberships[0]!.membershipStatus).toBe(ACTIVE);
    expect(await emailsTo(emu, 'direct@acme.test')).toEqual([]);
  });

  it('maps validation failures to the SDK exceptions with ErrorInfo codes, changing nothing', async () => {
    const client = sdk(emu);
    const before = await state();
    await expect(client.user.createUserAndMembership('org_acme', { email: 'not-an-email' })).rejects.toSatisfy(
      (e: unknown) => e instanceof ScalekitBadRequestException && e.errorCode === 'INVALID_EMAIL',
    );
    await expect(client.user.createUserAndMembership('org_acme', { email: 'max@acme.test' })).rejects.toSatisfy(
      (e: unknown) => e instanceof ScalekitConflictException && e.errorCode === 'MEMBERSHIP_ALREADY_EXISTS',
    );
    await expect(client.user.createUserAndMembership('org_nope', { email: 'a@b.test' })).rejects.toSatisfy(
      (e: unknown) => e instanceof ScalekitNotFoundException && e.errorCode === 'ORGANIZATION_NOT_FOUND',
    );
    await expect(client.user.getUser('usr_nope')).rejects.toSatisfy(
      (e: unknown) => e instanceof ScalekitNotFoundException && e.errorCode === 'USER_NOT_FOUND',
    );
    await expect(client.user.updateMembership('org_globex', 'usr_max', { roles: ['admin'] })).rejects.toMatchObject({
      errorCode: 'MEMBERSHIP_NOT_FOUND',
    });
    await expect(client.user.updateMembership('org_acme', 'usr_max', { roles: ['owner'] })).rejects.toSatisfy(
      (e: unknown) => e instanceof ScalekitBadRequestException && e.errorCode === 'INVALID_ROLE',
    );
    const after = await state();
    expect(after.users).toBe(before.users);
    expect(after.organizations).toEqual(before.organizations);
    expect(after.emails).toBe(before.emails);
  });

  it('enforces max_allowed_users on invitations (ACTIVE + PENDING_INVITE count)', async () => {
    const client = sdk(emu);
    await client.organization.upsertUserManagementSettings('org_acme', { maxAllowedUsers: 5 });
    expect((await client.organization.getOrganizationUserManagementSetting('org_acme')).settings?.maxAllowedUsers).toBe(5);
    await client.user.createUserAndMembership('org_acme', { email: 'fifth@acme.test' });
    const refused = client.user.createUserAndMembership('org_acme', { email: 'sixth@acme.test' });
    await expect(refused).rejects.toSatisfy(
      (e: unknown) => e instanceof ScalekitBadRequestException && e.errorCode === 'SEAT_LIMIT_REACHED',
    );
    expect((await state()).users).toBe(6);
    expect(await emailsTo(emu, 'sixth@acme.test')).toEqual([]);
    // Removing a member frees the seat.
    await client.user.deleteMembership('org_acme', 'usr_max');
    await client.user.createUserAndMembership('org_acme', { email: 'sixth@acme.test' });
  });

  it('updates roles; empty roles from the SDK wrapper leave them unchanged', async () => {
    const client = sdk(emu);
    const res = await client.user.updateMembership('org_acme', 'usr_max', { roles: ['admin'] });
    expect(res.user?.memberships.find((m) => m.organizationId === 'org_acme')?.roles.map((r) => r.name)).toEqual(['admin']);
    expect(res.user?.memberships[0]?.permissions).toContain('members:manage');
    const unchanged = await client.user.updateMembership('org_acme', 'usr_max', {});
    expect(unchanged.user?.memberships[0]?.roles.map((r) => r.name)).toEqual(['admin']);
    expect((await client.user.listUserRoles('org_acme', 'usr_max')).roles.map((r) => r.name)).toEqual(['admin']);
    await client.user.assignUserRoles('org_acme', 'usr_max', ['member']);
    await client.user.removeUserRole('org_acme', 'usr_max', 'admin');
    expect((await client.user.listUserRoles('org_acme', 'usr_max')).roles.map((r) => r.name)).toEqual(['member']);
  });

  it('deletes a membership (cascade deletes a user left with none)', async () => {
    const client = sdk(emu);
    await client.user.deleteMembership('org_acme', 'usr_riley');
    const riley = await client.user.getUser('usr_riley');
    expect(riley.user?.memberships.map((m) => m.organizationId)).toEqual(['org_globex']);
    await expect(client.user.deleteMembership('org_acme', 'usr_riley')).rejects.toMatchObject({ errorCode: 'MEMBERSHIP_NOT_FOUND' });
    const userInternals = internals<UserClientInternals>(client.user);
    await userInternals.coreClient.connectExec(userInternals.client.deleteMembership, {
      organizationId: 'org_acme',
      identities: { case: 'id', value: 'usr_max' },
      cascade: true,
    });
    await expect(client.user.getUser('usr_max')).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });

  it('expires invitations and resends them with a new expiry and resent_count', async () => {
    const client = sdk(emu);
    await postJson(`${emu.url}/_emulator/settings`, { invitationExpirySeconds: 1 });
    const { user } = await client.user.createUserAndMembership('org_acme', { email: 'late@acme.test' });
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await client.user.getUser(user!.id);
    expect(expired.user?.memberships[0]?.membershipStatus).toBe(INVITE_EXPIRED);
    // An expired invitation holds no seat.
    expect((await state()).organizations.find((o) => o.id === 'org_acme')!.seatsUsed).toBe(4);
    await postJson(`${emu.url}/_emulator/settings`, { invitationExpirySeconds: 3600 });
    const { invite } = await client.user.resendInvite('org_acme', user!.id);
    expect(invite?.status).toBe('PENDING_INVITE');
    expect(invite?.resentCount).toBe(1);
    expect(Number(invite!.expiresAt!.seconds) * 1000).toBeGreaterThan(Date.now() + 3500_000);
    expect(await emailsTo(emu, 'late@acme.test')).toHaveLength(2);
    await expect(client.user.resendInvite('org_acme', 'usr_max')).rejects.toMatchObject({ errorCode: 'INVITE_NOT_PENDING' });

    // Still valid: a reminder with the same expiry ("If the invitation is still valid, a reminder
    // email will be sent instead", openapi/scalekit.yaml UserService_ResendInvite).
    const again = await client.user.resendInvite('org_acme', user!.id);
    expect(again.invite?.resentCount).toBe(2);
    expect(Number(again.invite!.expiresAt!.seconds)).toBe(Number(invite!.expiresAt!.seconds));
    expect(await emailsTo(emu, 'late@acme.test')).toHaveLength(3);
  });

  it('adds an existing user to another organization (CreateMembership) and updates/deletes users', async () => {
    const client = sdk(emu);
    const res = await client.user.createMembership('org_globex', 'usr_max', { roles: ['member'], sendInvitationEmail: false });
    expect(res.user?.memberships.map((m) => m.organizationId).sort()).toEqual(['org_acme', 'org_globex']);
    const updated = await client.user.updateUser('usr_max', { userProfile: { firstName: 'Maxine' }, metadata: { team: 'blue' } });
    expect(updated.user?.userProfile?.firstName).toBe('Maxine');
    expect(updated.user?.metadata).toEqual({ team: 'blue' });
    await client.user.deleteUser('usr_max');
    await expect(client.user.getUser('usr_max')).rejects.toMatchObject({ errorCode: 'USER_NOT_FOUND' });
    const all = await client.user.listUsers({ pageSize: 100 });
    expect(all.users.map((u) => u.id)).not.toContain('usr_max');
  });

  it('refuses a profile name longer than documented (first/last 200, given/family 255) and changes nothing', async () => {
    const client = sdk(emu);
    await expect(client.user.updateUser('usr_ada', { userProfile: { firstName: 'x'.repeat(201) } })).rejects.toMatchObject({
      errorCode: 'INVALID_USER_PROFILE',
    });
    expect((await client.user.getUser('usr_ada')).user?.userProfile?.firstName).not.toBe('x'.repeat(201));
    expect(
      (await client.user.updateUser('usr_ada', { userProfile: { firstName: 'x'.repeat(200) } })).user?.userProfile?.firstName,
    ).toHaveLength(200);
  });
});

describe('organizations and roles', () => {
  it('creates, gets, lists and updates organizations', async () => {
    const client = sdk(emu);
    const { organization } = await client.organization.createOrganization('Initech', { externalId: 'crm-initech' });
    expect(organization?.id).toMatch(/^org_/);
    expect((await client.organization.getOrganization(organization!.id)).organization?.externalId).toBe('crm-initech');
    const page1 = await client.organization.listOrganization({ pageSize: 2 });
    expect(page1.totalSize).toBe(3);
    const page2 = await client.organization.listOrganization({ pageSize: 2, pageToken: page1.nextPageToken });
    expect([...page1.organizations, ...page2.organizations].map((o) => o.displayName)).toEqual(['Acme', 'Globex', 'Initech']);
    const updated = await client.organization.updateOrganization(organization!.id, { displayName: 'Initech Corp' });
    expect(updated.organization?.displayName).toBe('Initech Corp');
    await expect(client.organization.createOrganization('  ')).rejects.toBeInstanceOf(ScalekitBadRequestException);
    await expect(client.organization.getOrganization('org_missing')).rejects.toMatchObject({ errorCode: 'ORGANIZATION_NOT_FOUND' });
  });

  it('lists environment and organization roles', async () => {
    const client = sdk(emu);
    const { roles } = await client.role.listOrganizationRoles('org_acme');
    expect(roles.map((r) => [r.name, r.isOrgRole])).toEqual([
      ['admin', false],
      ['member', false],
      ['viewer', false],
      ['acme_auditor', true],
    ]);
    const admin = roles.find((r) => r.name === 'admin')!;
    expect(admin.displayName).toBe('Admin');
    // Permissions only with `include` (openapi v1rolesRole.permissions); the SDK asks for them separately.
    expect(admin.permissions).toEqual([]);
    expect((await client.permission.listRolePermissions('admin')).permissions.map((p) => p.name)).toContain('members:invite');
    expect(roles.find((r) => r.name === 'member')?.defaultMember).toBe(true);
    expect((await client.role.listOrganizationRoles('org_globex')).roles.map((r) => r.name)).toEqual(['admin', 'member', 'viewer']);
    await expect(client.role.listOrganizationRoles('org_missing')).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });

  it('answers UNIMPLEMENTED for RPCs the emulator does not serve', async () => {
    const userInternals = internals<UserClientInternals>(sdk(emu).user);
    await expect(userInternals.coreClient.connectExec(userInternals.client.getSupportHash, {})).rejects.toBeInstanceOf(
      ScalekitNotImplementedException,
    );
  });
});

describe('fault injection through the SDK', () => {
  const fault = (body: unknown) => postJson(`${emu.url}/_emulator/faults`, body);

  it('maps each injected gRPC code to the SDK exception class', async () => {
    const client = sdk(emu);
    const cases: [string, abstract new (...args: never[]) => Error][] = [
      ['RESOURCE_EXHAUSTED', ScalekitTooManyRequestsException],
      ['INTERNAL', ScalekitInternalServerException],
      ['PERMISSION_DENIED', ScalekitForbiddenException],
      ['NOT_FOUND', ScalekitNotFoundException],
      ['ALREADY_EXISTS', ScalekitConflictException],
    ];
    for (const [grpcCode, cls] of cases) {
      expect((await fault({ target: 'GetOrganization', grpcCode })).status).toBe(201);
      await expect(client.organization.getOrganization('org_acme')).rejects.toBeInstanceOf(cls);
    }
    // Faults are consumed: the next call succeeds.
    expect((await client.organization.getOrganization('org_acme')).organization?.id).toBe('org_acme');
  });

  it('lets the SDK retry one UNAVAILABLE transparently, and surfaces exhaustion', async () => {
    const client = sdk(emu);
    await fault({ target: 'scalekit.v1.users.UserService/ListOrganizationUsers', grpcCode: 'UNAVAILABLE' });
    const res = await client.user.listOrganizationUsers('org_acme');
    expect(res.totalSize).toBe(4);
    await fault({ target: 'GetUser', grpcCode: 'UNAVAILABLE', count: 4 });
    await expect(client.user.getUser('usr_ada')).rejects.toBeInstanceOf(ScalekitServiceUnavailableException);
  }, 20_000);

  it('treats a raw HTTP 429 on the h2 response as retryable, and a delay as a deadline', async () => {
    const client = sdk(emu, { timeoutMs: 300 });
    await fault({ target: 'ListRoles', httpStatus: 429 });
    expect((await client.role.listRoles()).roles).toHaveLength(3);
    await client.role.listRoles();
    await fault({ target: 'ListRoles', delayMs: 1000 });
    await expect(client.role.listRoles()).rejects.toBeInstanceOf(ScalekitGatewayTimeoutException);
  }, 10_000);
});

describe('sessions', () => {
  it('reports unknown users and sessions as NOT_FOUND', async () => {
    const client = sdk(emu);
    expect((await client.session.getUserSessions('usr_ada')).sessions).toEqual([]);
    await expect(client.session.getUserSessions('usr_nope')).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await expect(client.session.revokeSession('ses_nope')).rejects.toMatchObject({ errorCode: 'SESSION_NOT_FOUND' });
  });
});
