import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { LOGIN_ERRORS } from '@/app/login/login-error';
import { readDemoSeed, seedDemoData } from '@/prisma/seed';
import { useTestDatabase } from '@/test/database';
import { GET as initiateStart } from '@/app/auth/login/initiate/route';
import { GET as loginStart } from './route';

/**
 * A sign-in start the app refuses goes back to /login with a code only: the banner's sentence
 * comes from app/login/login-error.ts, so nothing in the URL is text for the page to show.
 */

process.env.RATE_LIMIT_LOGIN_PER_MINUTE = '1000';
process.env.APP_URL = 'http://localhost:3000';
const { prisma } = await useTestDatabase();
await seedDemoData(prisma, readDemoSeed());

function get(path: string): NextRequest {
  return new NextRequest(`http://localhost:3000${path}`, { headers: { 'x-forwarded-for': '198.51.100.40', accept: 'text/html' } });
}

function loginRedirect(response: Response): URLSearchParams {
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get('location')!);
  expect(location.origin + location.pathname).toBe('http://localhost:3000/login');
  return location.searchParams;
}

describe('refused sign-in starts', () => {
  it.each([
    ['/api/auth/login?organization_id=not-an-org', 'invalid_organization_id'],
    ['/api/auth/login?login_hint=not-an-email', 'invalid_email'],
    ['/api/auth/login?provider=myspace', 'unknown_provider'],
    ['/api/auth/login?sso=1', 'sso_hint_required'],
  ])('loginError_codeOnly: %s redirects to /login?error=%s and nothing else', async (path, code) => {
    const params = loginRedirect(await loginStart(get(path)));
    expect([...params.keys()]).toEqual(['error']);
    expect(params.get('error')).toBe(code);
    expect(Object.keys(LOGIN_ERRORS)).toContain(code);
  });

  it('an incomplete invitation link does the same', async () => {
    const params = loginRedirect(await initiateStart(get('/auth/login/initiate?organization_id=org_acme')));
    expect([...params.entries()]).toEqual([['error', 'invitation_link_incomplete']]);
  });
});

describe('dead ends answered by the app before the identity provider', () => {
  it('removedUser_toldNoLongerMember: an email whose every membership was removed gets /login?error=no_longer_member', async () => {
    // Max signed in before, then lost his only membership.
    await prisma.user.update({ where: { id: 'usr_max' }, data: { lastLoginAt: new Date() } });
    await prisma.membership.deleteMany({ where: { userId: 'usr_max' } });
    const params = loginRedirect(await loginStart(get('/api/auth/login?login_hint=max%40acme.test')));
    expect([...params.entries()]).toEqual([['error', 'no_longer_member']]);
    expect(LOGIN_ERRORS.no_longer_member.title).toMatch(/no longer a member of any organization/);
    expect(LOGIN_ERRORS.no_longer_member.detail).toMatch(/invite you again/);
  });

  it('revokedInvitation_saysRevoked: a revoked invitation link goes to the revoked page, not to the identity provider', async () => {
    await prisma.auditEvent.create({
      data: {
        organizationId: 'org_acme',
        actorType: 'user',
        actorId: 'usr_ada',
        action: 'invitation.revoked',
        targetType: 'membership',
        targetLabel: 'gone@acme.test',
      },
    });
    const response = await initiateStart(get('/auth/login/initiate?login_hint=gone%40acme.test&organization_id=org_acme'));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).toBe('/auth/invitation/revoked');
    expect(Object.fromEntries(location.searchParams)).toEqual({ login_hint: 'gone@acme.test', organization_id: 'org_acme' });
  });
});
