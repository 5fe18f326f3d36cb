import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '@/lib/errors/app-error';
import { csrfTokenFor } from '@/lib/auth/csrf';
import { actorFromContext, getSessionContextFromRequest, loadSessionContext, requireOrgMember, requirePermission } from '@/lib/auth/guards';
import { switchOrganization } from '@/lib/auth/switch-org';
import { liveSession, startAuthStack } from '@/lib/auth/test-support';
import { appSessionCookieName, signAppSessionCookie } from '@/lib/session/cookie';
import { getSessionCookieKey } from '@/lib/session/keys';
import { listUserSessions, revokeSession, revokeUserSessions } from '@/lib/session/store';

const stack = await startAuthStack();
const { prisma } = stack.db;

const sessionFor = liveSession;

function requestWith(cookie: string, init: RequestInit = {}) {
  return new Request('http://localhost:3000/api/orgs/x', {
    ...init,
    headers: { cookie: `other=1; ${appSessionCookieName()}=${cookie}`, ...(init.headers ?? {}) },
  });
}

describe('getSessionContext / loadSessionContext (real PostgreSQL)', () => {
  it('resolves user, active org, role and every ACTIVE membership from the database', async () => {
    const { cookie, session } = await sessionFor('usr_riley', 'org_acme');
    const ctx = await loadSessionContext(cookie);
    expect(ctx).toMatchObject({
      session: { id: session.id, userId: 'usr_riley', organizationId: 'org_acme', authMethod: 'otp' },
      user: { id: 'usr_riley', email: 'riley@consultant.test' },
      organization: { id: 'org_acme', name: 'Acme' },
      membership: { role: 'member', status: 'ACTIVE' },
    });
    expect(ctx!.memberships.map((m) => [m.organizationId, m.role])).toEqual([
      ['org_acme', 'member'],
      ['org_globex', 'admin'],
    ]);
    // The request variant reads the same cookie out of a Cookie header among others.
    expect((await getSessionContextFromRequest(requestWith(cookie)))?.session.id).toBe(session.id);
  });

  describe('refused, each returning null', () => {
    it('tampered cookie (payload changed, signature kept)', async () => {
      const { cookie } = await sessionFor('usr_max', 'org_acme');
      const [h, p, s] = cookie.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, uid: 'usr_ada' })).toString('base64url')}.${s}`;
      expect(await loadSessionContext(forged)).toBeNull();
    });

    it('expired cookie', async () => {
      const { session } = await sessionFor('usr_max', 'org_acme');
      const past = new Date(Date.now() - 7_200_000);
      const cookie = await signAppSessionCookie(
        { sessionId: session.id, userId: 'usr_max', organizationId: 'org_acme', expiresAt: new Date(past.getTime() + 60_000) },
        past,
      );
      expect(await loadSessionContext(cookie)).toBeNull();
    });

    it('alg: none cookie', async () => {
      const { session } = await sessionFor('usr_max', 'org_acme');
      const unsigned = new UnsecuredJWT({ sid: session.id, uid: 'usr_max', oid: 'org_acme', v: 1 })
        .setIssuedAt()
        .setExpirationTime('1h')
        .encode();
      expect(await loadSessionContext(unsigned)).toBeNull();
    });

    it('cookie signed with another key', async () => {
      const { session } = await sessionFor('usr_max', 'org_acme');
      const forged = await new SignJWT({ sid: session.id, uid: 'usr_max', oid: 'org_acme', v: 1 })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-our-session-secret-0123456789abcdef'));
      expect(await loadSessionContext(forged)).toBeNull();
    });

    it('a valid cookie naming a row of another user (ids edited)', async () => {
      const { session } = await sessionFor('usr_ada', 'org_acme');
      const cookie = await signSessionClaims({ sid: session.id, uid: 'usr_max', oid: 'org_acme' });
      expect(await loadSessionContext(cookie)).toBeNull();
    });

    it('revoked session (logout), at once', async () => {
      const { cookie, session } = await sessionFor('usr_max', 'org_acme');
      expect(await loadSessionContext(cookie)).not.toBeNull();
      expect(await revokeSession(session.id, 'logout')).toBe(true);
      expect(await loadSessionContext(cookie)).toBeNull();
      expect(await revokeSession(session.id, 'logout')).toBe(false);
    });

    it('session past its absolute expiry in the database, even with a cookie still valid', async () => {
      const { cookie, session } = await sessionFor('usr_max', 'org_acme');
      await prisma.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1) } });
      expect(await loadSessionContext(cookie)).toBeNull();
    });

    it('membership removed (or no longer ACTIVE) in the active organization', async () => {
      const { cookie } = await sessionFor('usr_max', 'org_acme');
      const m = await prisma.membership.findFirstOrThrow({ where: { userId: 'usr_max', organizationId: 'org_acme' } });
      await prisma.membership.update({ where: { id: m.id }, data: { status: 'INACTIVE' } });
      try {
        expect(await loadSessionContext(cookie)).toBeNull();
      } finally {
        await prisma.membership.update({ where: { id: m.id }, data: { status: 'ACTIVE' } });
      }
    });

    it('garbage and missing cookies', async () => {
      for (const value of [undefined, '', 'abc', 'a.b.c', 'x'.repeat(5000)]) expect(await loadSessionContext(value)).toBeNull();
    });
  });

  it('revokeUserSessions ends only the sessions in the given organization (member removed from it)', async () => {
    const inAcme = await sessionFor('usr_riley', 'org_acme');
    const inGlobex = await sessionFor('usr_riley', 'org_globex');
    const count = await revokeUserSessions('usr_riley', { organizationId: 'org_acme', reason: 'member_removed' });
    expect(count).toBeGreaterThanOrEqual(1);
    expect(await loadSessionContext(inAcme.cookie)).toBeNull();
    expect(await loadSessionContext(inGlobex.cookie)).not.toBeNull();
    const listed = await listUserSessions('usr_riley');
    expect(listed.some((s) => s.id === inAcme.session.id)).toBe(false);
    expect(listed.find((s) => s.id === inGlobex.session.id)).toMatchObject({ organizationName: 'Globex', authMethod: 'otp' });
    // Listing never exposes token material.
    expect(JSON.stringify(listed)).not.toMatch(/rt_test|refreshToken|v1\./);
  });

  describe('organization checks (cross-org access by editing ids)', () => {
    it('requirePermission / requireOrgMember with a request: 401 without a session, 403 for an org the user is not admin/member of', async () => {
      await expect(requirePermission('org_acme', 'members:manage', new Request('http://localhost:3000/'))).rejects.toBeInstanceOf(
        UnauthenticatedError,
      );
      const { cookie } = await sessionFor('usr_max', 'org_acme');
      await expect(requirePermission('org_acme', 'members:manage', requestWith(cookie))).rejects.toBeInstanceOf(ForbiddenError);
      await expect(requireOrgMember('org_globex', requestWith(cookie))).rejects.toBeInstanceOf(ForbiddenError);
      expect((await requireOrgMember('org_acme', requestWith(cookie))).user.id).toBe('usr_max');
      const admin = await sessionFor('usr_ada', 'org_acme');
      expect((await requirePermission('org_acme', 'members:manage', requestWith(admin.cookie))).user.id).toBe('usr_ada');
      await expect(requirePermission('org_globex', 'members:manage', requestWith(admin.cookie))).rejects.toBeInstanceOf(ForbiddenError);
    });

    it('actorFromContext carries the role held in THAT organization and refuses others', async () => {
      const { cookie } = await sessionFor('usr_riley', 'org_acme');
      const ctx = (await loadSessionContext(cookie))!;
      const request = new Request('http://localhost:3000/', {
        headers: { 'x-forwarded-for': '6.6.6.6, 198.51.100.4', 'user-agent': 'ua' },
      });
      expect(actorFromContext(ctx, 'org_globex', request)).toMatchObject({
        kind: 'user',
        userId: 'usr_riley',
        organizationId: 'org_globex',
        role: 'admin',
        sessionId: ctx.session.id,
        request: { ip: '198.51.100.4', userAgent: 'ua' },
      });
      expect(actorFromContext(ctx, 'org_acme').role).toBe('member');
      expect(() => actorFromContext(ctx, 'org_initech')).toThrow(ForbiddenError);
    });

    it('switching organization: only to an ACTIVE membership; the row changes, so every tab follows', async () => {
      const { cookie, session } = await sessionFor('usr_riley', 'org_acme');
      const ctx = (await loadSessionContext(cookie))!;
      expect(await switchOrganization(ctx, 'org_initech')).toMatchObject({ ok: false, status: 403 });
      const result = await switchOrganization(ctx, 'org_globex', '/orgs/org_acme/team?q=a');
      expect(result).toMatchObject({ ok: true, redirectTo: '/orgs/org_globex/team?q=a' });
      // The old cookie (oid org_acme) now resolves to the row's organization.
      const after = (await loadSessionContext(cookie))!;
      expect(after.organization.id).toBe('org_globex');
      expect(after.membership.role).toBe('admin');
      expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).organizationId).toBe('org_globex');
      // The user is admin of Globex but not of Acme: no switching makes Acme admin-able.
      await expect(requirePermission('org_acme', 'members:manage', requestWith(cookie))).rejects.toBeInstanceOf(ForbiddenError);
    });

    it('an invitation that arrived after sign-in is offered to join, through Scalekit; expired or unsent ones are not', async () => {
      const { cookie, session } = await sessionFor('usr_max', 'org_acme');
      const invited = { userId: 'usr_max', email: 'max@acme.test', status: 'PENDING_INVITE' as const };
      await prisma.organization.createMany({
        data: [
          { id: 'org_expired_invite', name: 'Expired Co' },
          { id: 'org_sending_invite', name: 'Sending Co' },
        ],
      });
      await prisma.membership.createMany({
        data: [
          { ...invited, organizationId: 'org_globex', expiresAt: new Date(Date.now() + 86_400_000) },
          { ...invited, organizationId: 'org_expired_invite', expiresAt: new Date(Date.now() - 1_000) },
          { ...invited, organizationId: 'org_sending_invite', syncState: 'SENDING' },
        ],
      });
      const ctx = (await loadSessionContext(cookie))!;
      expect(ctx.invitations).toEqual([{ organizationId: 'org_globex', organizationName: 'Globex' }]);
      // An invitation is not a membership: nothing it grants, and the active org list is unchanged.
      expect(ctx.memberships.map((m) => m.organizationId)).toEqual(['org_acme']);
      await expect(requireOrgMember('org_globex', requestWith(cookie))).rejects.toBeInstanceOf(ForbiddenError);

      // Joining is Scalekit's to accept: always re-authorized there, the session row untouched.
      const joined = await switchOrganization(ctx, 'org_globex', '/orgs/org_acme/team');
      expect(joined).toMatchObject({ ok: true, via: 'scalekit' });
      const query = new URL((joined as { redirectTo: string }).redirectTo, 'http://x').searchParams;
      expect(Object.fromEntries(query)).toEqual({
        organization_id: 'org_globex',
        prompt: 'select_account',
        login_hint: 'max@acme.test',
        returnTo: '/dashboard',
      });
      expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).organizationId).toBe('org_acme');
      expect(await switchOrganization(ctx, 'org_expired_invite')).toMatchObject({ ok: false, status: 403 });
      expect(await switchOrganization(ctx, 'org_sending_invite')).toMatchObject({ ok: false, status: 403 });
    });

    it('headerOrg_followsUrl: switching from a page of an org other than the active one lands on the same page of the chosen org', async () => {
      // The header names the URL's organization (Acme) while the session's is Globex; choosing Globex there
      // must show Globex's page, not stay on Acme's.
      const { cookie } = await sessionFor('usr_riley', 'org_globex');
      const ctx = (await loadSessionContext(cookie))!;
      expect(await switchOrganization(ctx, 'org_globex', '/orgs/org_acme/audit?q=x')).toMatchObject({
        ok: true,
        redirectTo: '/orgs/org_globex/audit?q=x',
      });
      expect(await switchOrganization(ctx, 'org_acme', '/orgs/org_acme/team')).toMatchObject({
        ok: true,
        redirectTo: '/orgs/org_acme/team',
      });
      expect(await switchOrganization(ctx, 'org_acme', '/dashboard')).toMatchObject({ ok: true, redirectTo: '/dashboard' });
    });

    it('the CSRF token is bound to the session id', async () => {
      const a = await sessionFor('usr_max', 'org_acme');
      const b = await sessionFor('usr_max', 'org_acme');
      expect(await csrfTokenFor(a.session.id)).not.toBe(await csrfTokenFor(b.session.id));
    });
  });
});

async function signSessionClaims(claims: { sid: string; uid: string; oid: string }) {
  return new SignJWT({ ...claims, v: 1 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await getSessionCookieKey());
}
