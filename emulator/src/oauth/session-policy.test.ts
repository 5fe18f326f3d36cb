import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeJwt } from 'jose';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { OrganizationSessionPolicyInput } from '@scalekit-sdk/node/lib/types/organization.js';
import {
  authorizeUrl,
  callbackParams,
  CLIENT_ID,
  CLIENT_SECRET,
  flowOf,
  postJson,
  REDIRECT_URI,
  sdk,
  signInWithCode,
  tokenRequest,
  useEmulator,
} from '../testing.js';

// The hosted login applies the organization's session policy to the session and refresh tokens it
// issues: "the stricter of the two (application vs. organization) at session creation time"
// (developer-docs authenticate/manage-organizations/organization-session-policy.mdx). The
// emulator runs in this process, so moving Date (and only Date) moves its clock too.

const emu = useEmulator();
const MINUTE = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

function moveClock(ms: number) {
  vi.setSystemTime(Date.now() + ms);
}

async function setPolicy(organizationId: string, policy: OrganizationSessionPolicyInput) {
  await sdk(emu).organization.updateOrganizationSessionPolicy(organizationId, policy);
}

/** Email-code sign-in; a member of several organizations picks `organizationId` on the picker. */
async function signIn(email: string, organizationId?: string) {
  const result = await signInWithCode(emu, email);
  let location = result.location;
  if (organizationId) {
    expect(location).toMatch(/^\/login\/organization\?/);
    location = (await result.pages.request('/login/organization', { form: { flow: flowOf(location), organization_id: organizationId } }))
      .location;
  } else {
    expect(result.status, result.html).toBe(302);
  }
  const tokens = await sdk(emu).authenticateWithCode(callbackParams(location).get('code')!, REDIRECT_URI);
  return { ...tokens, sid: decodeJwt(tokens.accessToken).sid as string, pages: result.pages };
}

const refresh = (refreshToken: string) =>
  tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID, client_secret: CLIENT_SECRET });

async function sessionTimes(sid: string) {
  const s = await sdk(emu).session.getSession(sid);
  return {
    status: s.status,
    lifetime: timestampDate(s.absoluteExpiresAt!).getTime() - timestampDate(s.createdAt!).getTime(),
    idle: s.idleExpiresAt ? timestampDate(s.idleExpiresAt).getTime() - timestampDate(s.lastActiveAt!).getTime() : null,
  };
}

describe('organization session policy at the hosted login', () => {
  it('an organization without its own policy gets the application’s: the session lives refreshTokenTtlSeconds, no idle timeout', async () => {
    const { sid } = await signIn('ada@acme.test');
    expect(await sessionTimes(sid)).toEqual({ status: 'ACTIVE', lifetime: 30 * 24 * 60 * MINUTE, idle: null });
  });

  it('a CUSTOM absolute timeout shortens the session and its refresh token; past it, refresh is refused and the login is asked again', async () => {
    await setPolicy('org_acme', { policySource: 'CUSTOM', absoluteSessionTimeout: 2, absoluteSessionTimeoutUnit: 'HOURS' });
    vi.useFakeTimers({ toFake: ['Date'] });
    const { sid, refreshToken, pages } = await signIn('ada@acme.test');
    expect(await sessionTimes(sid)).toMatchObject({ lifetime: 120 * MINUTE, idle: null });

    moveClock(119 * MINUTE);
    const before = await refresh(refreshToken);
    expect(before.status).toBe(200);
    moveClock(2 * MINUTE);
    // The refresh token issued at 119 minutes was given the session's end, not 30 days.
    expect(await refresh(before.body.refresh_token!)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'the refresh token has expired' },
    });
    expect((await sessionTimes(sid)).status).toBe('EXPIRED');
    // The browser's Scalekit session is over too: a new authorize shows the login page.
    expect((await pages.request(authorizeUrl(emu))).location).toMatch(/^\/login\?/);
  });

  it('an idle timeout ends a session nobody uses, and each refresh counts as use', async () => {
    await setPolicy('org_acme', {
      policySource: 'CUSTOM',
      absoluteSessionTimeout: 480,
      absoluteSessionTimeoutUnit: 'MINUTES',
      idleSessionTimeoutEnabled: true,
      idleSessionTimeout: 30,
      idleSessionTimeoutUnit: 'MINUTES',
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    const { sid, refreshToken } = await signIn('ada@acme.test');
    expect(await sessionTimes(sid)).toMatchObject({ lifetime: 480 * MINUTE, idle: 30 * MINUTE });

    let current = refreshToken;
    for (let i = 0; i < 3; i++) {
      moveClock(20 * MINUTE); // 60 minutes in all, never 30 idle
      const res = await refresh(current);
      expect(res.status, res.body.error_description).toBe(200);
      current = res.body.refresh_token!;
    }
    moveClock(31 * MINUTE);
    expect(await refresh(current)).toMatchObject({ status: 400, body: { error_description: 'the session has expired' } });
    expect((await sessionTimes(sid)).status).toBe('EXPIRED');
  });

  it('the stricter of application and organization wins', async () => {
    await setPolicy('org_acme', { policySource: 'CUSTOM', absoluteSessionTimeout: 600, absoluteSessionTimeoutUnit: 'MINUTES' });
    await postJson(`${emu.url}/_emulator/settings`, { refreshTokenTtlSeconds: 3600 });
    const { sid } = await signIn('ada@acme.test');
    expect((await sessionTimes(sid)).lifetime).toBe(60 * MINUTE);
    await setPolicy('org_acme', { policySource: 'CUSTOM', absoluteSessionTimeout: 30, absoluteSessionTimeoutUnit: 'MINUTES' });
    expect((await sessionTimes((await signIn('ada@acme.test')).sid)).lifetime).toBe(30 * MINUTE);
  });

  it('applies to the organization signed into, not to the user’s other organizations', async () => {
    await setPolicy('org_globex', { policySource: 'CUSTOM', absoluteSessionTimeout: 60, absoluteSessionTimeoutUnit: 'MINUTES' });
    const acme = await signIn('riley@consultant.test', 'org_acme');
    expect((await sessionTimes(acme.sid)).lifetime).toBe(30 * 24 * 60 * MINUTE);
    const globex = await signIn('riley@consultant.test', 'org_globex');
    expect((await sessionTimes(globex.sid)).lifetime).toBe(60 * MINUTE);
  });
});
