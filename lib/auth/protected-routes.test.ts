import { describe, expect, it } from 'vitest';
import { isApiPath, isProtectedPath, PROTECTED_PREFIXES } from '@/lib/auth/protected-routes';

describe('protected routes', () => {
  it.each([
    '/dashboard',
    '/dashboard/',
    '/orgs/org_acme',
    '/team/members',
    '/settings',
    '/audit/2026',
    '/account',
    '/api/invitations',
    '/api/invitations/inv_1/resend',
    '/api/orgs/org_acme/members',
    '/api/me',
    '/DASHBOARD',
    '/Api/Me',
  ])('protects %s', (path) => {
    expect(isProtectedPath(path)).toBe(true);
  });

  it.each([
    '/',
    '/login',
    '/signed-out',
    '/api/auth/login',
    '/api/auth/callback',
    '/api/webhooks/scalekit',
    '/auth/login/initiate',
    '/dashboards',
    '/teammates',
    '/api/meta',
    '/_next/static/chunk.js',
  ])('leaves %s public', (path) => {
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
