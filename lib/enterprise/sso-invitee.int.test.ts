import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { classifyInitiateLogin } from '@/lib/auth/initiate-login';
import { beginLogin, callbackUrl } from '@/lib/auth/login';
import { openLoginFlow } from '@/lib/auth/login-flow';
import { gina, freshEmail, useInvitationTestbed } from '@/lib/invitations/testing';
import { inviteMember } from '@/lib/invitations/invite';
import { getLoginFlowKey } from '@/lib/session/keys';

// Issue 12 item 5: an invitee of an organization whose SSO connection is required (the seed's
// Globex: Okta, globex.test, requireSso) is sent through that connection. Each hop is the real
// one: Scalekit's hosted invitation link, the app's initiate-login classification and authorize
// URL (what app/auth/login/initiate/route.ts does), Scalekit's authorize, the IdP, the code.

const testbed = await useInvitationTestbed();
const APP_URL = 'http://localhost:3000';

async function hop(url: string, init: RequestInit = {}): Promise<string> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  expect([302, 303], `${url} → ${res.status}`).toContain(res.status);
  return new URL(res.headers.get('location')!, url).toString();
}

describe('SSO-required organization: an invitee signs in through its connection', () => {
  it('invitation link → initiate-login → authorize with organization_id → the IdP page, never the email code → a code for the app', async () => {
    const invitee = freshEmail('sso-invitee', 'globex.test');
    await inviteMember(gina, 'org_globex', { email: invitee });
    const [email] = (await (await fetch(`${testbed.emulator.url}/_emulator/emails?to=${encodeURIComponent(invitee)}`)).json()) as Array<{
      links: string[];
    }>;

    // Scalekit's hosted invitation link sends the browser to the app's initiate-login URL.
    const initiate = new URL(await hop(email!.links[0]!));
    expect(`${initiate.origin}${initiate.pathname}`).toBe(`${APP_URL}/auth/login/initiate`);
    const found = classifyInitiateLogin(initiate.searchParams, { issuer: testbed.emulator.url, appUrl: APP_URL });
    expect(found).toMatchObject({ kind: 'third_party', request: { intent: 'invite', organizationId: 'org_globex', loginHint: invitee } });
    if (found.kind !== 'third_party') throw new Error('unreachable');

    const flowKey = await getLoginFlowKey();
    const { authorizeUrl, flowCookie } = await beginLogin(found.request, { scalekit: testbed.scalekit, appUrl: APP_URL, flowKey });
    const authorize = new URL(authorizeUrl);
    expect(authorize.searchParams.get('organization_id')).toBe('org_globex');
    expect(authorize.searchParams.get('invitation_token')).toBeTruthy();

    // Scalekit routes the SSO-required organization to its IdP, with the invitee's address filled in.
    const idp = new URL(await hop(authorizeUrl));
    expect(idp.pathname).toBe('/login/sso');
    expect(idp.searchParams.get('connection_id')).toBe('conn_globex_okta');
    const idpPage = await (await fetch(idp)).text();
    expect(idpPage).toContain('Okta (emulated)');
    expect(idpPage).toContain(`value="${invitee}"`);
    expect(idpPage).not.toContain('Verification code');

    const back = new URL(
      await hop(`${testbed.emulator.url}/login/sso`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ flow: idp.searchParams.get('flow')!, connection_id: 'conn_globex_okta', email: invitee }).toString(),
      }),
    );
    expect(`${back.origin}${back.pathname}`).toBe(callbackUrl(APP_URL));
    expect(back.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    // The code exchange the callback makes, with the PKCE verifier from the app's sealed flow cookie.
    const opened = await openLoginFlow(flowCookie.value, back.searchParams.get('state'), flowKey);
    if (!opened.ok) throw new Error(`flow cookie: ${opened.reason}`);
    const tokens = await testbed.scalekit.authenticateWithCode(back.searchParams.get('code')!, callbackUrl(APP_URL), {
      codeVerifier: opened.flow.codeVerifier,
    });
    const claims = decodeJwt(tokens.idToken);
    expect(claims).toMatchObject({ email: invitee, oid: 'org_globex', amr: ['conn_globex_okta'] });
    // Signing in at the IdP accepted the invitation.
    const listed = await testbed.scalekit.user.listOrganizationUsers('org_globex', { pageSize: 100 });
    const member = listed.users.find((u) => u.email === invitee)!;
    expect(member.memberships.find((m) => m.organizationId === 'org_globex')?.membershipStatus).toBe(1); // ACTIVE
  });
});
