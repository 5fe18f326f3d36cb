import { describe, expect, it } from 'vitest';
import type { GrantedPermission } from '@/lib/auth/permissions';
import type { RoleDefinition } from '@/lib/roles/catalogue';
import { roleFor } from '@/lib/directory/roles';

const role = (name: string, permissions: GrantedPermission[], extra: Partial<RoleDefinition> = {}): RoleDefinition => ({
  name,
  displayName: name,
  description: null,
  permissions,
  permissionsKnown: true,
  isDefault: false,
  isOrgRole: false,
  ...extra,
});

const roles = [
  role('admin', ['members:read', 'members:invite', 'members:manage', 'org:settings', 'api_keys:manage', 'audit:read']),
  role('member', ['members:read'], { isDefault: true }),
  role('auditor', ['members:read', 'audit:read']),
];

describe('roleFor (a directory user’s role from their groups)', () => {
  it('gives the mapped role that grants the most when the user is in several mapped groups', () => {
    const mapping = new Map([
      ['g_audit', 'auditor'],
      ['g_admins', 'admin'],
    ]);
    expect(roleFor(['g_audit', 'g_admins'], mapping, roles)).toBe('admin');
    expect(roleFor(['g_audit'], mapping, roles)).toBe('auditor');
  });

  it('falls back to the organization’s default role for no mapped group, or a mapping to a role that no longer exists', () => {
    expect(roleFor([], new Map(), roles)).toBe('member');
    expect(roleFor(['g_x'], new Map([['g_x', 'deleted_role']]), roles)).toBe('member');
    expect(roleFor([], new Map(), [role('viewer', [], { isDefault: true })])).toBe('viewer');
    // No default role known at all: the app's built-in default.
    expect(roleFor([], new Map(), [])).toBe('member');
  });

  it('ranks a role whose permissions Scalekit does not tell above any known one, and ties by Scalekit’s order', () => {
    const withUnknown = [...roles, role('org_owner', [], { permissionsKnown: false, isOrgRole: true })];
    expect(
      roleFor(
        ['a', 'b'],
        new Map([
          ['a', 'admin'],
          ['b', 'org_owner'],
        ]),
        withUnknown,
      ),
    ).toBe('org_owner');
    const tied = [role('first', ['members:read']), role('second', ['audit:read'])];
    expect(
      roleFor(
        ['b', 'a'],
        new Map([
          ['a', 'first'],
          ['b', 'second'],
        ]),
        tied,
      ),
    ).toBe('first');
  });
});
