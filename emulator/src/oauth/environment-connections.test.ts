import { describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import {
  ConnectionProvider,
  ConnectionType,
  PasswordlessType,
} from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connections/connections_pb.js';
import {
  authorizeUrl,
  callbackParams,
  flowOf,
  PageClient,
  REDIRECT_URI,
  sdk,
  signInWithCode,
  startEmulator,
  useEmulator,
} from '../testing.js';

// Real Scalekit ID tokens carry the id of the connection used in `amr` for every sign-in method
// (developer-docs guides/user-auth/modular-social-logins.mdx, passwordless/oidc.mdx,
// guides/idtoken-claims.mdx). These tests sign in each way and read `amr` as an app would: a
// connection id that ConnectionService explains.

const emu = useEmulator();

async function amrOf(location: string | null): Promise<string[]> {
  const tokens = await sdk(emu).authenticateWithCode(callbackParams(location).get('code')!, REDIRECT_URI);
  return decodeJwt(tokens.idToken).amr as string[];
}

async function socialSignIn(provider: string, email: string, params: Record<string, string> = { provider }) {
  const pages = new PageClient(emu.url);
  const start = await pages.request(authorizeUrl(emu, params));
  expect(start.location, start.html).toMatch(/^\/login\/social\?/);
  const done = await pages.request('/login/social', { form: { flow: flowOf(start.location), provider, email } });
  expect(done.status, done.html).toBe(302);
  return amrOf(done.location);
}

async function codeSignIn(email: string): Promise<string[]> {
  const result = await signInWithCode(emu, email);
  expect(result.status, result.html).toBe(302);
  return amrOf(result.location);
}

describe('environment sign-in connections in amr', () => {
  it.each([
    ['google', ConnectionProvider.GOOGLE],
    ['github', ConnectionProvider.GITHUB],
    ['microsoft', ConnectionProvider.MICROSOFT],
  ])('a %s sign-in names an OAUTH connection of that provider, which GetConnection explains', async (provider, expected) => {
    const amr = await socialSignIn(provider, 'max@acme.test');
    expect(amr).toEqual([expect.stringMatching(/^conn_\d{17}$/)]);
    const { connection } = await sdk(emu).connection.getConnection('org_acme', amr[0]!);
    expect(connection).toMatchObject({
      id: amr[0],
      type: ConnectionType.OAUTH,
      provider: expected,
      providerKey: provider,
      enabled: true,
      settings: { case: 'oauthConfig' },
    });
    // An environment connection has no owner (Connection.organization_id is optional).
    expect(connection?.organizationId).toBeUndefined();
  });

  it('an email-code sign-in names the PASSWORDLESS connection (OTP)', async () => {
    const amr = await codeSignIn('ada@acme.test');
    expect(amr).toEqual([expect.stringMatching(/^conn_\d{17}$/)]);
    const { connection } = await sdk(emu).connection.getConnection('org_acme', amr[0]!);
    expect(connection).toMatchObject({
      type: ConnectionType.PASSWORDLESS,
      provider: ConnectionProvider.CONNECTION_PROVIDER_UNSPECIFIED,
      settings: { case: 'passwordlessConfig', value: { type: PasswordlessType.OTP } },
    });
  });

  it('every method has its own id, the same for everyone and after a reset or a restart', async () => {
    const ada = await codeSignIn('ada@acme.test');
    const max = await codeSignIn('max@acme.test');
    const google = await socialSignIn('google', 'max@acme.test');
    const github = await socialSignIn('github', 'max@acme.test');
    expect(max).toEqual(ada);
    expect(new Set([ada[0], google[0], github[0]]).size).toBe(3);
    // An SSO sign-in still names the organization's own connection.
    const sso = new PageClient(emu.url);
    const start = await sso.request(authorizeUrl(emu, { organization_id: 'org_globex' }));
    const done = await sso.request('/login/sso', {
      form: { flow: flowOf(start.location), connection_id: 'conn_globex_okta', email: 'gina@globex.test' },
    });
    expect(await amrOf(done.location)).toEqual(['conn_globex_okta']);

    await emu.reset();
    expect(await socialSignIn('google', 'max@acme.test')).toEqual(google);
    const other = await startEmulator();
    try {
      const { connections } = await sdk(other).connection.listConnections('');
      expect(connections.map((c) => c.id)).toEqual(expect.arrayContaining([ada[0], google[0], github[0]]));
    } finally {
      await other.close();
    }
  });

  it('lists them environment-wide only: an organization or domain filter shows the organization’s own', async () => {
    const client = sdk(emu);
    const all = await client.connection.listConnections('');
    const shared = all.connections.filter((c) => c.organizationId === '');
    expect(shared.map((c) => [ConnectionType[c.type], c.providerKey]).sort()).toEqual([
      ['OAUTH', 'github'],
      ['OAUTH', 'google'],
      ['OAUTH', 'microsoft'],
      ['PASSWORDLESS', 'passwordless'],
    ]);
    expect(shared.every((c) => c.enabled && c.domains.length === 0 && c.organizationName === '')).toBe(true);
    expect(all.connections.map((c) => c.id)).toContain('conn_globex_okta');
    const globex = await client.connection.listConnections('org_globex');
    expect(globex.connections.map((c) => c.id)).toEqual(['conn_globex_okta']);
    expect((await client.connection.listConnections('org_acme')).connections).toEqual([]);
    const byDomain = await client.connection.listConnectionsByDomain('globex.test');
    expect(byDomain.connections.map((c) => c.id)).toEqual(['conn_globex_okta']);
  });

  it('belongs to no organization: unknown organizations are NOT_FOUND, and no organization can disable or delete it', async () => {
    const client = sdk(emu);
    const [google] = await socialSignIn('google', 'max@acme.test');
    await expect(client.connection.getConnection('org_nope', google!)).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await expect(client.connection.disableConnection('org_acme', google!)).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await expect(client.connection.deleteConnection('org_acme', google!)).rejects.toBeInstanceOf(ScalekitNotFoundException);
    // Still usable after those refusals.
    expect((await client.connection.getConnection('org_globex', google!)).connection?.enabled).toBe(true);
  });

  it('authorize with connection_id of a social connection goes to that provider', async () => {
    const [github] = await socialSignIn('github', 'ada@acme.test');
    expect(await socialSignIn('github', 'ada@acme.test', { connection_id: github! })).toEqual([github]);
  });
});
