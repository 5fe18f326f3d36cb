import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/actor';
import { actorCan, assertCan, assertCanGrantRole } from '@/lib/auth/authorize';
import { ForbiddenError } from '@/lib/errors/app-error';
import { API_KEY_SCOPES, can, scopesCan, type ApiKeyScope, type Permission } from '@/lib/auth/permissions';

const PEOPLE_ONLY: Permission[] = ['members:grant_admin', 'members:manage', 'org:settings', 'audit:read', 'api_keys:manage'];
const key = (scopes: readonly ApiKeyScope[]): Actor => ({ kind: 'api_key', apiKeyId: 'k', label: 'k', organizationId: 'org_a', scopes });

describe('API key scopes', () => {
  it('no scope, nor all of them together, reaches a permission that makes admins or manages keys, settings or members', () => {
    for (const permission of PEOPLE_ONLY) {
      expect(scopesCan(API_KEY_SCOPES, permission)).toBe(false);
      expect(actorCan(key(API_KEY_SCOPES), permission)).toBe(false);
      expect(can('admin', permission)).toBe(true);
    }
  });

  it('a key is never judged by a role, even one smuggled onto the object', () => {
    const smuggled = { ...key(['invitations:read']), role: 'admin' } as unknown as Actor;
    expect(() => assertCan(smuggled, 'org_a', 'members:manage')).toThrow(ForbiddenError);
    expect(() => assertCanGrantRole(smuggled, 'org_a', 'admin')).toThrow(/API key cannot invite admins/);
    expect(() => assertCanGrantRole(smuggled, 'org_a', 'member')).not.toThrow();
  });

  it('refusals say which scope is missing, and scopes never reach another organization', () => {
    expect(() => assertCan(key(['invitations:read']), 'org_a', 'members:invite')).toThrow(/"invitations:write" scope/);
    expect(() => assertCan(key(['invitations:write']), 'org_a', 'invitations:read')).toThrow(/"invitations:read" scope/);
    expect(() => assertCan(key(['invitations:write']), 'org_a', 'api_keys:manage')).toThrow(/managed by admins in the Teamgate app/);
    expect(() => assertCan(key(API_KEY_SCOPES), 'org_b', 'invitations:read')).toThrow(ForbiddenError);
    expect(() => assertCan(key(['invitations:write']), 'org_a', 'members:invite')).not.toThrow();
  });

  it('a plain member may list invitations but not see their integration details', () => {
    expect(can('member', 'invitations:read')).toBe(true);
    expect(can('member', 'invitations:details')).toBe(false);
    expect(scopesCan(['invitations:read'], 'invitations:details')).toBe(true);
    expect(scopesCan(['invitations:write'], 'invitations:details')).toBe(false);
  });
});
