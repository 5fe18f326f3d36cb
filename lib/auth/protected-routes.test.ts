import { describe, expect, it } from 'vitest';
import { isApiPath, isProtectedPath, PROTECTED_PREFIXES } from '@/lib/auth/protected-routes';

describe('protected routes', () => {
  const PROTECTED = ['/dashboard', '/dashboard/', '/orgs/org_acme', '/team/members', '/settings', '/audit/2026', '/account'];
  const PROTECTED_API = ['/api/invitations', '/api/invitations/inv_1/resend', '/api/orgs/org_acme/members', '/api/me'];
  // Case does not matter: a path that differs only in case must not slip past.
  it.each([...PROTECTED, ...PROTECTED_API, '/DASHBOARD', '/Api/Me'])('protects %s', (path) => {
    expect(isProtectedPath(path)).toBe(true);
  });

  // Near misses too: a prefix must match a whole segment.
  const PUBLIC = ['/', '/login', '/signed-out', '/auth/login/initiate', '/_next/static/chunk.js'];
  const PUBLIC_API = ['/api/auth/login', '/api/auth/callback', '/api/webhooks/scalekit'];
  it.each([...PUBLIC, ...PUBLIC_API, '/dashboards', '/teammates', '/api/meta'])('leaves %s public', (path) => {
    expect(isProtectedPath(path)).toBe(false);
  });

  it('lists exactly the prefixes the design names', () => {
    expect([...PROTECTED_PREFIXES].sort()).toEqual(
      ['/dashboard', '/orgs', '/team', '/settings', '/audit', '/account', '/api/invitations', '/api/orgs', '/api/me'].sort(),
    );
  });

  it('tells API paths from pages', () => {
    expect(isApiPath('/api/me')).toBe(true);
    expect(isApiPath('/api')).toBe(true);
    expect(isApiPath('/dashboard')).toBe(false);
    expect(isApiPath('/apiary')).toBe(false);
  });
});
