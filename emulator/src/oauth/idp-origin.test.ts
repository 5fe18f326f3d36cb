import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { Emulator } from '../index.js';
import { authorizeUrl, callbackParams, flowOf, PageClient, REDIRECT_URI, sdk, startEmulator } from '../testing.js';

// With `idpPort`, the emulated identity providers live on a second origin, as Google or Okta do
// against Scalekit: the login chain crosses a third origin.

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ idpPort: 0 });
});
afterAll(async () => {
  await emu.close();
});

describe('identity providers on a second origin', () => {
  it('sends social sign-in through the IdP origin and back to the emulator before the app', async () => {
    expect(new URL(emu.idpUrl).origin).not.toBe(new URL(emu.url).origin);
    const pages = new PageClient(emu.url);
    const start = await pages.request(authorizeUrl(emu, { provider: 'github' }));
    expect(start.location!.startsWith(`${emu.idpUrl}/login/social?`)).toBe(true);
    expect((await pages.request(start.location!)).html).toContain('Sign in with GitHub (emulated)');
    const answered = await pages.request(`${emu.idpUrl}/login/social`, {
      form: { flow: flowOf(start.location), provider: 'github', email: 'ada@acme.test' },
    });
    expect(answered.location!.startsWith(`${emu.url}/login/idp-callback?`)).toBe(true);
    const done = await pages.request(answered.location!);
    const tokens = await sdk(emu).authenticateWithCode(callbackParams(done.location).get('code')!, REDIRECT_URI);
    expect(decodeJwt(tokens.idToken).amr).toEqual([expect.stringMatching(/^conn_\d{17}$/)]);
    // The IdP's answer is good once.
    expect((await pages.request(answered.location!)).status).toBe(400);
  });

  it('sends an SSO organization to the IdP origin', async () => {
    const pages = new PageClient(emu.url);
    const start = await pages.request(authorizeUrl(emu, { organization_id: 'org_globex' }));
    expect(start.location!.startsWith(`${emu.idpUrl}/login/sso?`)).toBe(true);
    const answered = await pages.request(`${emu.idpUrl}/login/sso`, {
      form: { flow: flowOf(start.location), connection_id: 'conn_globex_okta', email: 'gina@globex.test' },
    });
    const done = await pages.request(answered.location!);
    expect(callbackParams(done.location).get('code')).toBeTruthy();
  });

  it('starts IdP-initiated SSO with an idp_initiated_login token the SDK verifies', async () => {
    const res = await fetch(
      `${emu.idpUrl}/sso/idp-initiated?connection_id=conn_globex_okta&email=gina%40globex.test&relay_state=%2Fdashboard`,
      {
        redirect: 'manual',
      },
    );
    expect(res.status).toBe(302);
    const target = new URL(res.headers.get('location')!);
    expect(target.pathname).toBe('/auth/login/initiate');
    const claims = await sdk(emu).getIdpInitiatedLoginClaims(target.searchParams.get('idp_initiated_login')!);
    expect(claims).toMatchObject({
      organization_id: 'org_globex',
      connection_id: 'conn_globex_okta',
      login_hint: 'gina@globex.test',
      relay_state: '/dashboard',
      iss: emu.url,
    });
    const wrongDomain = await fetch(`${emu.idpUrl}/sso/idp-initiated?connection_id=conn_globex_okta&email=ada%40acme.test`, {
      redirect: 'manual',
    });
    expect(wrongDomain.status).toBe(403);
  });

  it('refuses a forged invitation_token at authorize', async () => {
    const pages = new PageClient(emu.url);
    const start = await pages.request(`${authorizeUrl(emu, {})}&invitation_token=forged.sig`);
    expect(callbackParams(start.location).get('error')).toBe('invalid_request');
  });
});
