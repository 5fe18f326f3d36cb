import { describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { GET as callback } from '@/app/api/auth/callback/route';
import { POST as invite } from '@/app/api/invitations/route';
import { signInAtEmulator, startAuthStack, TEST_APP_URL } from '@/lib/auth/test-support';
import { signedInSession } from '@/lib/session/testing';

// The default deployment: one load balancer in front (TRUSTED_PROXY_HOPS=1), which appends the
// address it saw to whatever X-Forwarded-For the client sent.
delete process.env.TRUSTED_PROXY_HOPS;
const stack = await startAuthStack();
const { prisma } = stack.db;

const SPOOFED = '6.6.6.6';
const APPENDED = '203.0.113.50';

describe('client IP recorded behind one proxy (real route handlers, real PostgreSQL)', () => {
  it('clientIp_sessionRow: the Session row and the sign-in audit event store the address the proxy appended, not the spoofed leftmost entry', async () => {
    const login = await signInAtEmulator(stack, 'ada@acme.test');
    const response = await callback(
      new NextRequest(`${TEST_APP_URL}/api/auth/callback?${login.callback}`, {
        headers: {
          cookie: `${login.flowCookieName}=${login.flowCookie}`,
          'x-forwarded-for': `${SPOOFED}, ${APPENDED}`,
          'user-agent': `ua-${'x'.repeat(2000)}`,
        },
      }),
    );
    expect(response.status).toBe(303);
    const session = await prisma.session.findFirstOrThrow({ where: { userId: 'usr_ada' }, orderBy: { createdAt: 'desc' } });
    expect(session.ip).toBe(APPENDED);
    expect(session.userAgent!.length).toBeLessThanOrEqual(512);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'session.signed_in', targetId: session.id } });
    expect(audit.ip).toBe(APPENDED);
  });

  it('clientIp_auditEvent: an admin action is audited with the proxy-appended address; junk in its place is stored as no address', async () => {
    const { cookie, csrf } = await signedInSession('usr_ada', 'org_acme');
    const post = (email: string, forwardedFor: string) =>
      invite(
        new Request(`${TEST_APP_URL}/api/invitations`, {
          method: 'POST',
          headers: {
            cookie,
            origin: TEST_APP_URL,
            'sec-fetch-site': 'same-origin',
            'x-csrf-token': csrf,
            'content-type': 'application/json',
            'x-forwarded-for': forwardedFor,
          },
          body: JSON.stringify({ email, role: 'member' }),
        }),
      );

    const email = `ip-check-${Date.now()}@acme.test`;
    expect((await post(email, `${SPOOFED}, 10.1.2.3, ${APPENDED}`)).status).toBe(201);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'invitation.created', targetLabel: email } });
    expect(audit).toMatchObject({ actorId: 'usr_ada', ip: APPENDED });

    const junk = `ip-junk-${Date.now()}@acme.test`;
    expect((await post(junk, `${SPOOFED}, ${'9'.repeat(400)}`)).status).toBe(201);
    expect((await prisma.auditEvent.findFirstOrThrow({ where: { action: 'invitation.created', targetLabel: junk } })).ip).toBeNull();
  });
});
