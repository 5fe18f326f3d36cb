import { create } from '@bufbuild/protobuf';
import { ScalekitClient } from '@scalekit-sdk/node';
import { CreateRoleSchema, UpdateRoleSchema } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/roles/roles_pb.js';
import { describe, expect, it } from 'vitest';
import { POST } from '@/app/api/webhooks/scalekit/route';
import { actorFromContext } from '@/lib/auth/guards';
import { assertCan } from '@/lib/auth/authorize';
import { authStackFor, liveSession, signedInCookie } from '@/lib/auth/test-support';
import { ForbiddenError } from '@/lib/errors/app-error';
import { inviteMember } from '@/lib/invitations/service';
import { changeRole, removeMember } from '@/lib/members/service';
import { injectFault, useTeamTestStack } from '@/lib/members/testing';
import { organizationRoles, refreshOrganizationRoles } from '@/lib/roles/catalogue';
import { deliverSigned, documentedEvent } from '@/lib/webhooks/testing';

/**
 * Roles and permissions come from Scalekit (the emulator, with the demo seed's environment roles
 * admin, member and viewer and Acme's own acme_auditor, plus a recruiter role and two people who
 * hold the custom roles): what people may do follows the permissions Scalekit computes for their
 * membership, whatever the role is called.
 */

const SECRET = 'whsec_dGVhbWdhdGUtZGV2LXdlYmhvb2stc2VjcmV0LW5vdC1yZWFs';
const stack = await useTeamTestStack({
  extendSeed: (seed) => {
    seed.roles.push({
      name: 'recruiter',
      displayName: 'Recruiter',
      description: 'Invites people; cannot change roles or remove members',
      permissions: ['members:invite'],
      extends: 'viewer',
    });
    const person = (id: string, email: string, role: string) => ({
      id,
      email,
      firstName: id.slice(4),
      memberships: [{ organizationId: 'org_acme', roles: [role], status: 'ACTIVE' }],
    });
    seed.users.push(person('usr_rae', 'rae@acme.test', 'recruiter'), person('usr_audrey', 'audrey@acme.test', 'acme_auditor'));
  },
});
const { prisma } = stack.db;
const auth = authStackFor(stack.db, stack.emulator);
const scalekit = new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
let seq = 0;
const fresh = (prefix: string) => `${prefix}.${Date.now().toString(36)}${seq++}@roles.test`;

async function actorFor(userId: string, organizationId = 'org_acme') {
  const { context } = await liveSession(userId, organizationId);
  return actorFromContext(await context(), organizationId);
}

async function mirrorOf(organizationId: string, email: string) {
  return prisma.membership.findUniqueOrThrow({ where: { organizationId_email: { organizationId, email } } });
}

describe('the roles an organization can hand out', () => {
  it('lists the environment roles and the organization’s own, with what each grants, from Scalekit', async () => {
    const roles = await refreshOrganizationRoles('org_acme');
    const byName = Object.fromEntries(roles.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['acme_auditor', 'admin', 'member', 'recruiter', 'viewer']);
    expect(byName.admin).toMatchObject({ displayName: 'Admin', permissionsKnown: true, isDefault: false });
    expect(byName.admin!.permissions).toContain('members:manage');
    // member extends viewer: the inherited members:read is what Scalekit's effective permissions say.
    expect(byName.member).toMatchObject({ permissions: ['members:read'], isDefault: true, isOrgRole: false });
    expect(byName.recruiter!.permissions).toEqual(['members:read', 'members:invite']);
    // An organization role: its permissions are read from the member who holds it (audrey).
    expect(byName.acme_auditor).toMatchObject({ displayName: 'Auditor', isOrgRole: true, permissionsKnown: true });
    expect(byName.acme_auditor!.permissions).toEqual(['members:read', 'audit:read']);
    expect((await refreshOrganizationRoles('org_globex')).map((r) => r.name)).not.toContain('acme_auditor');
  });

  it('reads the cached list while fresh, keeps a stale one while Scalekit is down, and says so when there is none', async () => {
    await refreshOrganizationRoles('org_acme');
    await injectFault(stack.emulator, { target: 'ListOrganizationRoles', count: 50, grpcCode: 'UNAVAILABLE' });
    expect((await organizationRoles('org_acme')).length).toBe(5);
    const later = new Date(Date.now() + 10 * 60_000);
    expect((await organizationRoles('org_acme', later)).length).toBe(5);
    await prisma.organizationRole.deleteMany({ where: { organizationId: 'org_globex' } });
    await expect(organizationRoles('org_globex')).rejects.toMatchObject({ code: 'scalekit_unavailable' });
  });
});

describe('deciding by permissions, not role names', () => {
  it('a member Scalekit gives a custom role signs in with its permissions, from the access token', async () => {
    await signedInCookie(auth, 'rae@acme.test');
    const row = await mirrorOf('org_acme', 'rae@acme.test');
    expect(row).toMatchObject({ role: 'recruiter', permissions: ['members:read', 'members:invite'] });
  });

  it('a recruiter invites with roles that hold no more than theirs, and cannot manage members', async () => {
    const rae = await actorFor('usr_rae');
    expect(rae.permissions).toEqual(['members:read', 'members:invite']);
    const email = fresh('viewer');
    const invited = await inviteMember(rae, 'org_acme', { email, role: 'viewer' });
    expect(invited.outcome).toBe('invited');
    expect((await mirrorOf('org_acme', email)).role).toBe('viewer');
    const [atScalekit] = (await scalekit.user.listOrganizationUsers('org_acme', { pageSize: 100 })).users.filter((u) => u.email === email);
    expect(atScalekit!.memberships.find((m) => m.organizationId === 'org_acme')!.roles.map((r) => r.name)).toEqual(['viewer']);

    const admin = fresh('admin');
    await expect(inviteMember(rae, 'org_acme', { email: admin, role: 'admin' })).rejects.toThrow(
      /cannot give someone the Admin role: it can change roles and remove members/,
    );
    expect(await prisma.membership.count({ where: { email: admin } })).toBe(0);
    const max = await mirrorOf('org_acme', 'max@acme.test');
    await expect(changeRole(rae, 'org_acme', max.id, 'viewer')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(removeMember(rae, 'org_acme', max.id)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('an organization role with audit:read reads the audit log; a plain member does not', async () => {
    const audrey = await actorFor('usr_audrey');
    expect(() => assertCan(audrey, 'org_acme', 'audit:read')).not.toThrow();
    expect(() => assertCan(audrey, 'org_acme', 'members:invite')).toThrow(ForbiddenError);
    expect(() => assertCan(stack.acmeMember, 'org_acme', 'audit:read')).toThrow(ForbiddenError);
  });

  it('a role the organization does not have is refused by name, listing the ones it has; nothing is sent', async () => {
    const email = fresh('ghost');
    await expect(inviteMember(stack.acmeAdmin, 'org_acme', { email, role: 'ghost' })).rejects.toMatchObject({
      code: 'unknown_role',
      status: 400,
      message: expect.stringMatching(/no role "ghost".*admin, member, viewer, recruiter, acme_auditor/),
    });
    await expect(inviteMember(stack.globexAdmin, 'org_globex', { email, role: 'acme_auditor' })).rejects.toMatchObject({
      code: 'unknown_role',
    });
    expect(await prisma.membership.count({ where: { email } })).toBe(0);
  });

  it('the last admin is the last member who can manage members, whatever their role is called', async () => {
    await scalekit.role.createRole(
      create(CreateRoleSchema, {
        name: 'team_manager',
        displayName: 'Team manager',
        description: 'Runs the team, not the settings',
        permissions: ['members:read', 'members:invite', 'members:manage'],
      }),
    );
    await refreshOrganizationRoles('org_globex');
    const gina = await actorFor('usr_gina', 'org_globex');
    const ginaRow = await mirrorOf('org_globex', 'gina@globex.test');
    // Riley is Globex's other admin: demote them first, so Gina is the only one who can manage members.
    const riley = await mirrorOf('org_globex', 'riley@consultant.test');
    await changeRole(gina, 'org_globex', riley.id, 'member');
    await expect(changeRole(gina, 'org_globex', ginaRow.id, 'viewer')).rejects.toMatchObject({ code: 'last_admin' });

    // A team manager can manage members: Gina may step down now, but the manager may not touch her while she is admin.
    const result = await changeRole(gina, 'org_globex', riley.id, 'team_manager');
    expect(result).toMatchObject({ changed: true, roleLabel: 'team manager' });
    expect((await mirrorOf('org_globex', 'riley@consultant.test')).permissions).toEqual([
      'members:read',
      'members:invite',
      'members:manage',
    ]);
    const manager = await actorFor('usr_riley', 'org_globex');
    await expect(changeRole(manager, 'org_globex', ginaRow.id, 'member')).rejects.toThrow(/which your own role cannot/);
    await changeRole(gina, 'org_globex', ginaRow.id, 'viewer');
    expect(await mirrorOf('org_globex', 'gina@globex.test')).toMatchObject({ role: 'viewer', permissions: ['members:read'] });
  });
});

describe('role and permission webhooks', () => {
  const deliver = (payload: { id: string }) => deliverSigned(POST, SECRET, payload);

  it('role.updated (as documented: no permissions in it) gives every holder the role’s new permissions', async () => {
    const email = fresh('viewer.holder');
    await inviteMember(stack.acmeAdmin, 'org_acme', { email, role: 'viewer' });
    const userId = (await mirrorOf('org_acme', email)).userId!;
    await scalekit.user.createMembership('org_globex', userId, { roles: ['viewer'], sendInvitationEmail: false });
    await prisma.membership.create({
      data: { organizationId: 'org_globex', userId, email, role: 'viewer', permissions: ['members:read'], status: 'ACTIVE' },
    });
    await refreshOrganizationRoles('org_acme');

    await scalekit.permission.addPermissionsToRole('viewer', ['audit:read']);
    const { status, body } = await deliver(documentedEvent('role.updated', { name: 'viewer' }));
    expect({ status, outcome: body.outcome }).toEqual({ status: 200, outcome: 'applied' });
    for (const org of ['org_acme', 'org_globex']) {
      expect((await mirrorOf(org, email)).permissions).toEqual(['members:read', 'audit:read']);
    }
    // The cached list is stale: the next read asks Scalekit again and sees the new grant.
    expect((await organizationRoles('org_acme')).find((r) => r.name === 'viewer')!.permissions).toContain('audit:read');
    await scalekit.permission.removePermissionFromRole('viewer', 'audit:read');
    await deliver(documentedEvent('role.updated', { name: 'viewer' }));
    expect((await mirrorOf('org_acme', email)).permissions).toEqual(['members:read']);
  });

  it('an organization role event re-reads that organization’s members from Scalekit', async () => {
    await scalekit.role.updateOrganizationRole(
      'org_acme',
      'acme_auditor',
      create(UpdateRoleSchema, { permissions: ['audit:read', 'members:invite'] }),
    );
    const { body } = await deliver(documentedEvent('role.updated', { name: 'acme_auditor', organizationId: 'org_acme' }));
    expect(body.outcome).toBe('applied');
    expect((await mirrorOf('org_acme', 'audrey@acme.test')).permissions).toEqual(['members:read', 'members:invite', 'audit:read']);
  });

  it('a failure reading Scalekit is a 500 Scalekit retries; the retry applies it once', async () => {
    const event = documentedEvent('permission.updated', { name: 'audit:read' });
    await injectFault(stack.emulator, { target: 'ListRoles', count: 50, grpcCode: 'UNAVAILABLE' });
    expect((await deliver(event)).status).toBe(500);
    expect(await prisma.processedWebhook.count({ where: { id: event.id } })).toBe(0);
    await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    expect((await deliver(event)).body.outcome).toBe('applied');
    expect((await deliver(event)).body.outcome).toBe('duplicate');
  });
});
