import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { describeAuthMethod, resolveAuthMethod, type ConnectionLookup } from '@/lib/auth/auth-method';
import { authorizeUrl, callbackParams, flowOf, PageClient, REDIRECT_URI, sdk, signInWithCode, useEmulator } from '@/emulator/src/testing';

// Every sign-in method, through the emulator's hosted login and the real SDK: the ID token's
// `amr` is a connection id (as Scalekit sends it), and resolveAuthMethod, asking ConnectionService
// the way the callback does, turns it into what the dashboard shows under "How you signed in".

const emu = useEmulator();

/** The callback's lookup (lib/auth/callback.ts): GetConnection in the signed-in organization. */
const lookup: ConnectionLookup = async (organizationId, connectionId) => {
  const { connection } = await sdk(emu).connection.getConnection(organizationId, connectionId);
  return connection ? { type: connection.type, provider: connection.provider } : null;
};

async function claimsAfter(location: string | null) {
  const tokens = await sdk(emu).authenticateWithCode(callbackParams(location).get('code')!, REDIRECT_URI);
  const claims = decodeJwt(tokens.idToken);
  return { amr: claims.amr as string[], oid: claims.oid as string };
}

async function viaSocial(provider: string, email: string) {
  const pages = new PageClient(emu.url);
  const start = await pages.request(authorizeUrl(emu, { provider }));
  return claimsAfter((await pages.request('/login/social', { form: { flow: flowOf(start.location), provider, email } })).location);
}

async function viaSso(email: string) {
  const pages = new PageClient(emu.url);
  const start = await pages.request(authorizeUrl(emu, { organization_id: 'org_globex' }));
  const sso = new URL(start.location!, emu.url).searchParams;
  return claimsAfter(
    (await pages.request('/login/sso', { form: { flow: flowOf(start.location), connection_id: sso.get('connection_id')!, email } }))
      .location,
  );
}

describe('resolveAuthMethod against the emulator', () => {
  it.each([
    ['an email code', () => signInWithCode(emu, 'ada@acme.test').then((r) => claimsAfter(r.location)), 'otp', 'Email code'],
    ['Google', () => viaSocial('google', 'max@acme.test'), 'social:google', 'Google'],
    ['GitHub', () => viaSocial('github', 'ada@acme.test'), 'social:github', 'GitHub'],
    ['Microsoft', () => viaSocial('microsoft', 'max@acme.test'), 'social:microsoft', 'Microsoft'],
    ['Globex’s Okta', () => viaSso('gina@globex.test'), 'sso:okta', 'SSO (Okta)'],
  ])('%s: amr is a connection id, shown as the method', async (_name, signIn, stored, label) => {
    const { amr, oid } = await signIn();
    expect(amr).toEqual([expect.stringMatching(/^conn_/)]);
    const method = await resolveAuthMethod(amr, oid, lookup);
    expect(method).toBe(stored);
    expect(describeAuthMethod(method)).toBe(label);
  });
});
