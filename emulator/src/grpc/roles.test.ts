import { describe, expect, it } from 'vitest';
import type { Client } from '@connectrpc/connect';
import {
  ScalekitBadRequestException,
  ScalekitConflictException,
  ScalekitException,
  ScalekitNotFoundException,
} from '@scalekit-sdk/node/lib/errors/index.js';
import type CoreClient from '@scalekit-sdk/node/lib/core.js';
import type { RolesService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/roles/roles_pb.js';
import { decodeJwt } from 'jose';
import { callbackParams, REDIRECT_URI, sdk, signInWithCode, useEmulator } from '../testing.js';

const emu = useEmulator();

// The SDK's RoleClient takes no `include`; its private members let a test send one.
interface RoleInternals {
  coreClient: CoreClient;
  client: Client<typeof RolesService>;
}
function withInclude(client: ReturnType<typeof sdk>) {
  const r = client.role as unknown as RoleInternals;
  return {
    getRole: (roleName: string, include?: string) => r.coreClient.connectExec(r.client.getRole, { roleName, include }),
    getOrganizationRole: (orgId: string, roleName: string, include?: string) =>
      r.coreClient.connectExec(r.client.getOrganizationRole, { orgId, roleName, include }),
  };
}

const errorCode = (code: string) => (e: unknown) => e instanceof ScalekitException && (e as { errorCode?: string }).errorCode === code;

describe('seeded roles and permissions', () => {
  it('has the demo permissions, admin with all of them, member inheriting viewer', async () => {
    const client = sdk(emu);
    const { permissions } = await client.permission.listPermissions(undefined, 100);
    expect(permissions.map((p) => p.name)).toEqual([
      'members:read',
      'members:invite',
      'members:manage',
      'org:settings',
      'api_keys:manage',
      'audit:read',
    ]);
    expect((await client.permission.listRolePermissions('admin')).permissions.map((p) => p.name)).toEqual(permissions.map((p) => p.name));
    expect((await client.permission.listRolePermissions('member')).permissions).toEqual([]);
    expect((await client.permission.listEffectiveRolePermissions('member')).permissions.map((p) => p.name)).toEqual(['members:read']);
    const { roles } = await client.role.listRoles();
    expect(roles.map((r) => [r.name, r.extends, r.defaultCreator, r.defaultMember, r.dependentRolesCount])).toEqual([
      ['admin', undefined, true, false, 0],
      ['member', 'viewer', false, true, 0],
      // member (environment) and acme_auditor (Acme) extend it
      ['viewer', undefined, false, false, 2],
    ]);
    expect((await client.role.listDependentRoles('viewer')).roles.map((r) => [r.name, r.isOrgRole])).toEqual([
      ['member', false],
      ['acme_auditor', true],
    ]);
  });

  it("puts inherited permissions in a member's token and membership", async () => {
    const client = sdk(emu);
    const { user } = await client.user.getUser('usr_max');
    const acme = user?.memberships.find((m) => m.organizationId === 'org_acme');
    expect(acme?.roles.map((r) => r.name)).toEqual(['member']);
    expect(acme?.permissions).toEqual(['members:read']);
    const signedIn = await signInWithCode(emu, 'max@acme.test');
    expect(signedIn.status).toBe(302);
    const tokens = await client.authenticateWithCode(callbackParams(signedIn.location).get('code')!, REDIRECT_URI);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ roles: ['member'], permissions: ['members:read'] });
    await client.user.updateMembership('org_acme', 'usr_max', { roles: ['admin'] });
    const admin = (await client.user.getUser('usr_max')).user?.memberships.find((m) => m.organizationId === 'org_acme');
    expect(admin?.permissions).toContain('audit:read');
  });

  it('returns permissions only with include, inherited ones naming their role', async () => {
    const client = sdk(emu);
    const raw = withInclude(client);
    expect((await raw.getRole('member')).role?.permissions).toEqual([]);
    expect((await raw.getRole('member', 'permissions')).role?.permissions).toEqual([]);
    expect((await raw.getRole('member', 'permissions:all')).role?.permissions.map((p) => [p.name, p.roleName])).toEqual([
      ['members:read', 'viewer'],
    ]);
    const auditor = await raw.getOrganizationRole('org_acme', 'acme_auditor', 'permissions:all');
    expect(auditor.role?.permissions.map((p) => [p.name, p.roleName])).toEqual([
      ['audit:read', 'acme_auditor'],
      ['members:read', 'viewer'],
    ]);
    await expect(raw.getRole('member', 'everything')).rejects.toBeInstanceOf(ScalekitBadRequestException);
  });
});

describe('role lifecycle', () => {
  it('validates names, permissions and bases on create', async () => {
    const client = sdk(emu);
    const create = (role: { name: string; extends?: string; permissions?: string[] }) =>
      client.role.createRole({ displayName: 'X', permissions: [], ...role } as Parameters<typeof client.role.createRole>[0]);
    await expect(create({ name: 'has-dash' })).rejects.toSatisfy(errorCode('INVALID_ROLE_NAME'));
    await expect(create({ name: 'admin' })).rejects.toBeInstanceOf(ScalekitConflictException);
    await expect(create({ name: 'x1', permissions: ['nope:nope'] })).rejects.toSatisfy(errorCode('PERMISSION_NOT_FOUND'));
    await expect(create({ name: 'x2', extends: 'nobody' })).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await expect(create({ name: 'x3', extends: 'x3' })).rejects.toSatisfy(errorCode('INVALID_BASE_ROLE'));
    const made = await create({ name: 'editor', extends: 'viewer', permissions: ['members:invite'] });
    expect(made.role).toMatchObject({ name: 'editor', extends: 'viewer', isOrgRole: false });
    expect((await client.permission.listEffectiveRolePermissions('editor')).permissions.map((p) => p.name)).toEqual([
      'members:invite',
      'members:read',
    ]);
    // viewer -> editor -> viewer would be a loop
    await expect(client.role.updateRole('viewer', { extends: 'editor', permissions: [] } as never)).rejects.toSatisfy(
      errorCode('INVALID_BASE_ROLE'),
    );
  });

  it('keeps permissions on an update that names none, replaces them on one that does', async () => {
    const client = sdk(emu);
    await client.role.updateRole('viewer', { displayName: 'Read only', permissions: [] } as never);
    expect((await client.permission.listRolePermissions('viewer')).permissions.map((p) => p.name)).toEqual(['members:read']);
    await client.role.updateRole('viewer', { permissions: ['audit:read'] } as never);
    expect((await client.permission.listRolePermissions('viewer')).permissions.map((p) => p.name)).toEqual(['audit:read']);
    expect((await client.role.getRole('viewer')).role?.displayName).toBe('Read only');
  });

  it('refuses to delete a base, a default or a held role, and reassigns members when told to', async () => {
    const client = sdk(emu);
    await expect(client.role.deleteRole('viewer')).rejects.toSatisfy(errorCode('ROLE_HAS_DEPENDENTS'));
    await expect(client.role.deleteRole('member')).rejects.toSatisfy(errorCode('ROLE_IS_DEFAULT'));
    await client.role.createRole({ name: 'ops', displayName: 'Ops', permissions: [] } as never);
    await client.user.updateMembership('org_acme', 'usr_max', { roles: ['ops'] });
    expect(Number((await client.role.getRoleUsersCount('ops')).count)).toBe(1);
    await expect(client.role.deleteRole('ops')).rejects.toSatisfy(errorCode('ROLE_HAS_USERS'));
    await expect(client.role.deleteRole('ops', 'nobody')).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await client.role.deleteRole('ops', 'viewer');
    expect((await client.user.listUserRoles('org_acme', 'usr_max')).roles.map((r) => r.name)).toEqual(['viewer']);
    await expect(client.role.getRole('ops')).rejects.toSatisfy(errorCode('ROLE_NOT_FOUND'));
  });

  it('moves the default roles, and rejects an unknown one', async () => {
    const client = sdk(emu);
    const res = await client.role.updateDefaultRoles({ defaultMemberRole: 'viewer' });
    expect(res.defaultMember?.name).toBe('viewer');
    expect(res.defaultCreator?.name).toBe('admin');
    const flags = (await client.role.listRoles()).roles.map((r) => [r.name, r.defaultMember]);
    expect(flags).toEqual([
      ['admin', false],
      ['member', false],
      ['viewer', true],
    ]);
    await expect(client.role.updateDefaultRoles({ defaultCreatorRole: 'nobody' })).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });
});

describe('organization roles', () => {
  it('are seen only in their organization and can be its default member role', async () => {
    const client = sdk(emu);
    await client.role.createOrganizationRole('org_globex', { name: 'contractor', displayName: 'Contractor', permissions: [] } as never);
    expect((await client.role.getOrganizationRole('org_globex', 'contractor')).role?.isOrgRole).toBe(true);
    await expect(client.role.getOrganizationRole('org_acme', 'contractor')).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await expect(client.role.getRole('contractor')).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await expect(
      client.role.createOrganizationRole('org_globex', { name: 'member', displayName: 'Dup', permissions: [] } as never),
    ).rejects.toBeInstanceOf(ScalekitConflictException);
    const res = await client.role.updateDefaultOrganizationRoles('org_globex', 'contractor');
    expect(res.defaultMember?.name).toBe('contractor');
    const globex = (await client.role.listOrganizationRoles('org_globex')).roles;
    expect(globex.filter((r) => r.defaultMember).map((r) => r.name)).toEqual(['contractor']);
    // Acme keeps the environment's default
    const acme = (await client.role.listOrganizationRoles('org_acme')).roles;
    expect(acme.filter((r) => r.defaultMember).map((r) => r.name)).toEqual(['member']);
    await expect(client.role.deleteOrganizationRole('org_globex', 'contractor')).rejects.toSatisfy(errorCode('ROLE_IS_DEFAULT'));
  });

  it('are held through memberships of their organization only, and new members get the organization’s default role', async () => {
    const client = sdk(emu);
    await client.role.createOrganizationRole('org_acme', {
      name: 'temp_staff',
      displayName: 'Temp staff',
      permissions: ['audit:read'],
    } as never);
    const { user } = await client.user.createUserAndMembership('org_acme', { email: 'temp@acme.test', sendInvitationEmail: false });
    const updated = await client.user.updateMembership('org_acme', user!.id, { roles: ['temp_staff'] });
    const membership = updated.user!.memberships.find((m) => m.organizationId === 'org_acme')!;
    expect(membership.roles.map((r) => r.name)).toEqual(['temp_staff']);
    expect(membership.permissions).toEqual(['audit:read']);
    // Another organization's role is not one this membership can hold.
    const { user: other } = await client.user.createUserAndMembership('org_globex', {
      email: 'temp@globex.test',
      sendInvitationEmail: false,
    });
    await expect(client.user.updateMembership('org_globex', other!.id, { roles: ['temp_staff'] })).rejects.toSatisfy(
      errorCode('INVALID_ROLE'),
    );

    await client.role.updateDefaultOrganizationRoles('org_acme', 'temp_staff');
    const { user: joiner } = await client.user.createUserAndMembership('org_acme', {
      email: 'joiner@acme.test',
      sendInvitationEmail: false,
    });
    expect(joiner!.memberships.find((m) => m.organizationId === 'org_acme')!.roles.map((r) => r.name)).toEqual(['temp_staff']);
  });

  it('drops the base of an organization role', async () => {
    const client = sdk(emu);
    await client.role.deleteOrganizationRoleBase('org_acme', 'acme_auditor');
    expect((await client.role.getOrganizationRole('org_acme', 'acme_auditor')).role?.extends).toBeUndefined();
    expect((await client.role.getRole('viewer')).role?.dependentRolesCount).toBe(1);
  });
});

describe('permissions', () => {
  it('creates, pages, updates and deletes, taking a deleted permission off its roles', async () => {
    const client = sdk(emu);
    await expect(client.permission.createPermission({ name: 'bad perm', description: '' } as never)).rejects.toSatisfy(
      errorCode('INVALID_PERMISSION_NAME'),
    );
    await expect(client.permission.createPermission({ name: 'audit:read', description: '' } as never)).rejects.toBeInstanceOf(
      ScalekitConflictException,
    );
    const { permission } = await client.permission.createPermission({ name: 'reports:export', description: 'Export reports' } as never);
    expect(permission).toMatchObject({ name: 'reports:export', description: 'Export reports', isScalekitPermission: false });
    const first = await client.permission.listPermissions(undefined, 4);
    expect(first.totalSize).toBe(7);
    const second = await client.permission.listPermissions(first.nextPageToken, 4);
    expect([...first.permissions, ...second.permissions].map((p) => p.name).at(-1)).toBe('reports:export');
    await expect(client.permission.updatePermission('reports:export', { name: 'other', description: '' } as never)).rejects.toBeInstanceOf(
      ScalekitBadRequestException,
    );
    expect((await client.permission.addPermissionsToRole('viewer', ['reports:export'])).permissions.map((p) => p.name)).toEqual([
      'members:read',
      'reports:export',
    ]);
    await expect(client.permission.removePermissionFromRole('viewer', 'audit:read')).rejects.toSatisfy(
      errorCode('PERMISSION_NOT_ASSIGNED'),
    );
    await client.permission.deletePermission('reports:export');
    expect((await client.permission.listRolePermissions('viewer')).permissions.map((p) => p.name)).toEqual(['members:read']);
    const events = (await (await fetch(`${emu.url}/_emulator/events`)).json()) as { type: string }[];
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['permission.created', 'role.updated', 'permission.deleted']));
  });

  it("follows a base role's change into its dependents' members", async () => {
    // The access token's `permissions` claim comes from the same effective set (state.permissionsFor).
    const client = sdk(emu);
    await client.permission.addPermissionsToRole('viewer', ['audit:read']);
    const acme = (await client.user.getUser('usr_max')).user?.memberships.find((m) => m.organizationId === 'org_acme');
    expect(acme?.permissions).toEqual(['members:read', 'audit:read']);
  });
});
