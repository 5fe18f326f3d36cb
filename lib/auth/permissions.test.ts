import { describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '@/lib/auth/actor';
import { actorCan, assertCan, assertCanGrantRole, type GrantableRole } from '@/lib/auth/authorize';
import { ForbiddenError } from '@/lib/errors/app-error';
import {
  API_KEY_SCOPES,
  can,
  describeAbilities,
  resolvePermissions,
  roleLabel,
  SCALEKIT_PERMISSIONS,
  scopesCan,
  type ApiKeyScope,
  type GrantedPermission,
  type Permission,
} from '@/lib/auth/permissions';

const PEOPLE_ONLY: Permission[] = ['members:manage', 'org:settings', 'audit:read', 'api_keys:manage'];
const key = (scopes: readonly ApiKeyScope[]): Actor => ({ kind: 'api_key', apiKeyId: 'k', label: 'k', organizationId: 'org_a', scopes });
const person = (role: string, permissions: readonly GrantedPermission[]): Actor => ({
  kind: 'user',
  userId: 'usr_p',
  email: 'p@a.test',
  name: null,
  organizationId: 'org_a',
  role,
  permissions,
  sessionId: 's',
});
const role = (name: string, permissions: readonly GrantedPermission[], permissionsKnown = true): GrantableRole => ({
  name,
  displayName: roleLabel(name),
  permissions,
  permissionsKnown,
});
const ADMIN = role('admin', SCALEKIT_PERMISSIONS);
const MEMBER = role('member', ['members:read']);
const RECRUITER = role('recruiter', ['members:read', 'members:invite']);

describe('permissions from Scalekit', () => {
  it('a membership keeps the Teamgate names among what Scalekit grants, in canonical order, and nothing else', () => {
    expect(resolvePermissions('sales_lead', ['billing:read', 'members:invite', 'members:read'])).toEqual([
      'members:read',
      'members:invite',
    ]);
    expect(resolvePermissions('custom', ['audit:read'])).toEqual(['audit:read']);
  });

  it('admin and member keep their built-in meaning only while Scalekit lists none of the names; any other role gets nothing', () => {
    expect(resolvePermissions('admin', [])).toEqual([...SCALEKIT_PERMISSIONS]);
    expect(resolvePermissions('admin', null)).toEqual([...SCALEKIT_PERMISSIONS]);
    expect(resolvePermissions('member', ['unrelated'])).toEqual(['members:read']);
    expect(resolvePermissions('admin', ['members:read'])).toEqual(['members:read']);
    expect(resolvePermissions('billing', [])).toEqual([]);
  });

  it('derived permissions follow the granted ones', () => {
    expect(can(['members:read'], 'invitations:read')).toBe(true);
    expect(can(['members:read'], 'invitations:details')).toBe(false);
    expect(can(['members:manage'], 'invitations:details')).toBe(true);
    expect(can(null, 'members:read')).toBe(false);
  });

  it('a custom role acts by its permissions, whatever its name', () => {
    const recruiter = person('recruiter', ['members:read', 'members:invite']);
    expect(() => assertCan(recruiter, 'org_a', 'members:invite')).not.toThrow();
    expect(() => assertCan(recruiter, 'org_a', 'members:manage')).toThrow(ForbiddenError);
    const auditor = person('acme_auditor', ['members:read', 'audit:read']);
    expect(actorCan(auditor, 'audit:read')).toBe(true);
    expect(actorCan(person('admin', []), 'members:read')).toBe(false);
  });

  it('says in words what a role lets you do', () => {
    expect(describeAbilities(['members:read'])).toBe('See your team; an admin manages it.');
    expect(describeAbilities(['members:read', 'members:invite'])).toBe('Invite people, resend and revoke invitations.');
    expect(roleLabel('acme_auditor')).toBe('Acme auditor');
    expect(roleLabel('acme_auditor', 'Auditor')).toBe('Auditor');
  });
});

describe('handing out roles', () => {
  it('nobody grants a role with more than they hold', () => {
    const recruiter = person('recruiter', ['members:read', 'members:invite']);
    expect(() => assertCanGrantRole(recruiter, 'org_a', MEMBER)).not.toThrow();
    expect(() => assertCanGrantRole(recruiter, 'org_a', RECRUITER)).not.toThrow();
    expect(() => assertCanGrantRole(recruiter, 'org_a', ADMIN)).toThrow(
      /cannot give someone the Admin role: it can change roles and remove members/,
    );
    expect(() => assertCanGrantRole(person('admin', SCALEKIT_PERMISSIONS), 'org_a', ADMIN)).not.toThrow();
    expect(() => assertCanGrantRole(systemActor('seed', 'org_a'), 'org_a', ADMIN)).not.toThrow();
  });

  it('a role whose permissions are unknown counts as granting everything', () => {
    const manager = person('manager', ['members:read', 'members:invite', 'members:manage']);
    expect(() => assertCanGrantRole(manager, 'org_a', role('acme_auditor', [], false))).toThrow(ForbiddenError);
    expect(() => assertCanGrantRole(person('admin', SCALEKIT_PERMISSIONS), 'org_a', role('acme_auditor', [], false))).not.toThrow();
  });

  it('never in another organization', () => {
    expect(() => assertCanGrantRole({ ...person('admin', SCALEKIT_PERMISSIONS), organizationId: 'org_b' }, 'org_a', MEMBER)).toThrow(
      ForbiddenError,
    );
  });
});

describe('API key scopes', () => {
  it('no scope, nor all of them together, reaches a permission that manages keys, settings or members', () => {
    for (const permission of PEOPLE_ONLY) {
      expect(scopesCan(API_KEY_SCOPES, permission)).toBe(false);
      expect(actorCan(key(API_KEY_SCOPES), permission)).toBe(false);
    }
  });

  it('a key gives only roles that manage nothing, and is never judged by a role smuggled onto the object', () => {
    const smuggled = { ...key(['invitations:read']), role: 'admin', permissions: SCALEKIT_PERMISSIONS } as unknown as Actor;
    expect(() => assertCan(smuggled, 'org_a', 'members:manage')).toThrow(ForbiddenError);
    expect(() => assertCanGrantRole(smuggled, 'org_a', ADMIN)).toThrow(/An API key cannot invite someone as Admin/);
    expect(() => assertCanGrantRole(smuggled, 'org_a', MEMBER)).not.toThrow();
    expect(() => assertCanGrantRole(smuggled, 'org_a', RECRUITER)).not.toThrow();
    expect(() => assertCanGrantRole(smuggled, 'org_a', role('acme_auditor', ['members:read', 'audit:read']))).toThrow(/read the audit log/);
    expect(() => assertCanGrantRole(smuggled, 'org_a', role('unknown_perms', [], false))).toThrow(ForbiddenError);
  });

  it('refusals say which scope is missing, and scopes never reach another organization', () => {
    expect(() => assertCan(key(['invitations:read']), 'org_a', 'members:invite')).toThrow(/"invitations:write" scope/);
    expect(() => assertCan(key(['invitations:write']), 'org_a', 'invitations:read')).toThrow(/"invitations:read" scope/);
    expect(() => assertCan(key(['invitations:write']), 'org_a', 'api_keys:manage')).toThrow(/managed by admins in the Teamgate app/);
    expect(() => assertCan(key(API_KEY_SCOPES), 'org_b', 'invitations:read')).toThrow(ForbiddenError);
    expect(() => assertCan(key(['invitations:write']), 'org_a', 'members:invite')).not.toThrow();
  });

  it('a plain member may list invitations but not see their integration details', () => {
    expect(can(resolvePermissions('member', null), 'invitations:read')).toBe(true);
    expect(can(resolvePermissions('member', null), 'invitations:details')).toBe(false);
    expect(scopesCan(['invitations:read'], 'invitations:details')).toBe(true);
    expect(scopesCan(['invitations:write'], 'invitations:details')).toBe(false);
  });
});
