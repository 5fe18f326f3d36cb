import { describe, expect, it } from 'vitest';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import { ConnectionStatus, ConnectionType } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connections/connections_pb.js';
import { DirectoryProvider } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/directories/directories_pb.js';
import { authorizeUrl, PageClient, sdk, useEmulator } from '../testing.js';

// The admin portal (oauth/portal.ts): GeneratePortalLink through the real SDK, the link's one use,
// the page's forms, and that what the page creates is what ConnectionService / DirectoryService
// answer and what the webhooks say.

const emu = useEmulator();

interface LoggedEvent {
  type: string;
  payload: { data: Record<string, unknown> };
}
const eventTypes = async () => ((await (await fetch(`${emu.url}/_emulator/events`)).json()) as LoggedEvent[]).map((e) => e.type);

/** Opens a fresh portal link and returns the portal page's path (/portal/<token>). */
async function openPortal(pages: PageClient, organizationId = 'org_acme'): Promise<string> {
  const link = await sdk(emu).organization.generatePortalLink(organizationId);
  const opened = await pages.request(link.location);
  expect(opened.status, opened.html).toBe(303);
  return opened.location!;
}

describe('OrganizationService.GeneratePortalLink', () => {
  it('answers a one-minute link at <environment>/magicLink/<uuid>, as the documented response', async () => {
    const before = Date.now();
    const link = await sdk(emu).organization.generatePortalLink('org_acme');
    expect(link.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(link.location).toBe(`${emu.url}/magicLink/${link.id}`);
    const expires = timestampDate(link.expireTime!).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 59_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('refuses an unknown organization with NOT_FOUND', async () => {
    await expect(sdk(emu).organization.generatePortalLink('org_nope')).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });

  it('a link opens the portal once; the second use is refused with a page saying what to do', async () => {
    const link = await sdk(emu).organization.generatePortalLink('org_acme');
    const first = await new PageClient(emu.url).request(link.location);
    expect(first.status).toBe(303);
    expect(first.location).toMatch(/^\/portal\/[A-Za-z0-9_-]{40,}$/);
    const again = await new PageClient(emu.url).request(link.location);
    expect(again.status).toBe(410);
    expect(again.html).toContain('This admin portal link has expired');
    expect(again.html).toContain('PORTAL_LOAD_FAILURE');
    const forged = await new PageClient(emu.url).request('/portal/not-a-session-token-at-all-0123456789');
    expect(forged.status).toBe(401);
  });
});

describe('the admin portal page', () => {
  it('may be framed by the registered app origins only, and leaks no referrer', async () => {
    const pages = new PageClient(emu.url);
    const path = await openPortal(pages);
    const res = await fetch(new URL(path, emu.url));
    expect(res.status).toBe(200);
    // The seed's client registers localhost and 127.0.0.1 on ports 3000 and 3100.
    expect(res.headers.get('content-security-policy')).toBe(
      "frame-ancestors 'self' http://localhost:3000 http://127.0.0.1:3000 http://localhost:3100 http://127.0.0.1:3100",
    );
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const body = await res.text();
    expect(body).toContain('Admin portal for Acme');
    expect(body).toContain('No SSO connection yet.');
    expect(body).toContain('"event_type":"PORTAL_LOAD_SUCCESS"');
  });

  it('creates an SSO connection the app then reads through ListConnections, and enabling it sends organization.sso_enabled', async () => {
    const pages = new PageClient(emu.url);
    const path = await openPortal(pages);
    const created = await pages.request(path, {
      form: {
        action: 'create_connection',
        protocol: 'SAML',
        provider: 'OKTA',
        displayName: 'Okta (Acme)',
        domains: 'sso.acme.test',
        requireSso: 'on',
      },
    });
    expect(created.status, created.html).toBe(200);
    expect(created.html).toContain('Created Okta (Acme)');

    const connId = /name="action" value="enable_connection" \/><input type="hidden" name="id" value="(conn_\d+)"/.exec(created.html)![1]!;
    const { connection } = await sdk(emu).connection.getConnection('org_acme', connId);
    expect(connection).toMatchObject({ type: ConnectionType.SAML, status: ConnectionStatus.COMPLETED, enabled: false });
    expect(connection!.domains.map((d) => d.domain)).toEqual(['sso.acme.test']);
    // ListConnections answers active connections only (OpenAPI default): not listed until enabled.
    expect((await sdk(emu).connection.listConnections('org_acme')).connections).toEqual([]);
    const conn = { id: connId };

    const enabled = await pages.request(path, { form: { action: 'enable_connection', id: conn.id } });
    expect(enabled.html).toContain('Okta (Acme) is enabled.');
    expect(enabled.html).toContain('"event_type":"ORGANIZATION_SSO_ENABLED"');
    const active = await sdk(emu).connection.listConnections('org_acme');
    expect(active.connections.map((c) => [c.id, c.domains])).toEqual([[conn.id, ['sso.acme.test']]]);
    await expect
      .poll(eventTypes)
      .toEqual(expect.arrayContaining(['organization.sso_created', 'organization.sso_enabled', 'organization.domain_created']));

    // Enabled with "require SSO": the hosted login sends this organization's people to its IdP page.
    const authorize = await new PageClient(emu.url).request(authorizeUrl(emu, { organization_id: 'org_acme' }));
    expect(authorize.location).toContain(`connection_id=${conn.id}`);

    const disabled = await pages.request(path, { form: { action: 'disable_connection', id: conn.id } });
    expect(disabled.html).toContain('"event_type":"ORGANIZATION_SSO_DISABLED"');
    const after = await new PageClient(emu.url).request(authorizeUrl(emu, { organization_id: 'org_acme' }));
    expect(after.location).toMatch(/^\/login\?/);
  });

  it('creates a SCIM directory, shows its endpoint and token once, and DirectoryService lists it with the token suffix', async () => {
    const pages = new PageClient(emu.url);
    const path = await openPortal(pages);
    const created = await pages.request(path, { form: { action: 'create_directory', provider: 'MICROSOFT_AD', name: 'Entra ID' } });
    expect(created.status, created.html).toBe(200);
    const token = /data-testid="scim-token">([^<]+)</.exec(created.html)![1]!;
    expect(created.html).toMatch(new RegExp(`${emu.url}/api/v1/directories/dir_\\d+/scim/v2`));

    const { directories } = await sdk(emu).directory.listDirectories('org_acme');
    const d = directories.find((x) => x.name === 'Entra ID')!;
    expect(d).toMatchObject({ directoryProvider: DirectoryProvider.MICROSOFT_AD, enabled: false, totalUsers: 0 });
    expect(d.secrets.map((s) => s.secretSuffix)).toEqual([token.slice(-4)]);
    // Shown once: the page never shows the token again.
    const again = await pages.request(path);
    expect(again.html).not.toContain(token);

    const enabled = await pages.request(path, { form: { action: 'enable_directory', id: d.id } });
    expect(enabled.html).toContain('"event_type":"ORGANIZATION_DIRECTORY_ENABLED"');
    expect((await sdk(emu).directory.getDirectory('org_acme', d.id)).directory!.enabled).toBe(true);
    await expect.poll(eventTypes).toContain('organization.directory_enabled');
  });

  it('bad input changes nothing and says why; another organization’s records are not reachable', async () => {
    const pages = new PageClient(emu.url);
    const path = await openPortal(pages);
    const bad = await pages.request(path, {
      form: { action: 'create_connection', protocol: 'OIDC', provider: 'OKTA', displayName: 'X', domains: 'gmail.com' },
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('role="alert"');
    expect(bad.html).toContain('gmail.com is a public or disposable email domain');
    expect(bad.html).not.toContain('Disable X');
    expect(bad.html).toContain('No SSO connection yet.');

    // Globex's seeded connection, poked at from Acme's portal session.
    const globex = await sdk(emu).connection.listConnections('org_globex');
    const foreign = await pages.request(path, { form: { action: 'disable_connection', id: globex.connections[0]!.id } });
    expect(foreign.status).toBe(400);
    expect(foreign.html).toContain('That SSO connection does not exist.');
    expect((await sdk(emu).connection.listConnections('org_globex')).connections[0]!.enabled).toBe(true);
  });
});
