import http2 from 'node:http2';
import { describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { organizationClientClaims } from '../grpc/m2m-clients.js';
import type { OrganizationClientRecord } from '../state.js';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, sdk, tokenRequest, useEmulator } from '../testing.js';

// An organization's M2M client (ClientService, created through the SDK) asks /oauth/token for a
// client_credentials token, as developer-docs authenticate/m2m/api-auth-quickstart.mdx shows, and
// the app's API validates it with the SDK's validateToken / validateAccessToken.

const emu = useEmulator();

const token = (form: Record<string, string>, headers?: Record<string, string>) => tokenRequest(emu, form, headers);

async function newClient() {
  const created = await sdk(emu).m2m.createOrganizationClient('org_acme', {
    name: 'Deploy bot',
    scopes: ['deploy:applications', 'read:deployments'],
    audience: ['https://deployment-api.acme.test'],
    customClaims: { environment: 'production_us', sub: 'not-allowed-to-replace-sub' },
  });
  return { clientId: created.client!.clientId, secret: created.plainSecret };
}

/** A gRPC call to the management API with this bearer token: its grpc-status. */
async function managementStatus(bearer: string): Promise<string> {
  const session = http2.connect(emu.url);
  try {
    return await new Promise<string>((resolve, reject) => {
      const req = session.request({
        ':method': 'POST',
        ':path': '/scalekit.v1.roles.RolesService/ListRoles',
        'content-type': 'application/grpc+proto',
        authorization: `Bearer ${bearer}`,
        te: 'trailers',
      });
      let status: string | undefined;
      req.on('response', (headers) => (status = headers['grpc-status'] as string | undefined));
      req.on('trailers', (trailers) => (status ??= String(trailers['grpc-status'])));
      req.on('end', () => resolve(String(status)));
      req.on('error', reject);
      req.resume();
      req.end(Buffer.from([0, 0, 0, 0, 0]));
    });
  } finally {
    session.close();
  }
}

describe('client_credentials for organization M2M clients', () => {
  it('issues the documented access token, which the SDK validates with issuer, audience and scopes', async () => {
    const { clientId, secret } = await newClient();
    const res = await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'deploy:applications read:deployments' });
    const claims = decodeJwt(res.body.access_token!);
    expect(claims).toMatchObject({
      iss: emu.url,
      sub: clientId,
      client_id: clientId,
      oid: 'org_acme',
      scopes: ['deploy:applications', 'read:deployments'],
      aud: ['https://deployment-api.acme.test'],
      environment: 'production_us',
    });
    expect(claims.jti).toMatch(/^tkn_\d{17}$/);
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);

    const app = sdk(emu);
    const options = { issuer: emu.url, audience: ['https://deployment-api.acme.test'] };
    expect(await app.validateAccessToken(res.body.access_token!, { ...options, requiredScopes: ['deploy:applications'] })).toBe(true);
    expect(await app.validateAccessToken(res.body.access_token!, { ...options, requiredScopes: ['delete:everything'] })).toBe(false);
    expect(await app.validateAccessToken(res.body.access_token!, { ...options, audience: ['https://other-api.test'] })).toBe(false);
    const payload = await app.validateToken<{ sub: string; oid: string; scopes: string[] }>(res.body.access_token!, options);
    expect([payload.sub, payload.oid, payload.scopes]).toEqual([clientId, 'org_acme', ['deploy:applications', 'read:deployments']]);

    // The secret shows when it was last used (clientsClientSecret.last_used_time).
    const { client } = await app.m2m.getOrganizationClient('org_acme', clientId);
    expect(client!.secrets[0]!.lastUsedTime).toBeDefined();
  });

  it('accepts HTTP Basic client authentication and any active secret; refuses wrong, removed and deleted ones', async () => {
    const app = sdk(emu);
    const { clientId, secret } = await newClient();
    const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(`${clientId}:${s}`).toString('base64')}` });
    expect((await token({ grant_type: 'client_credentials' }, basic(secret))).status).toBe(200);
    expect(await token({ grant_type: 'client_credentials' }, basic(`${secret}x`))).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });

    const second = await app.m2m.addOrganizationClientSecret('org_acme', clientId);
    expect((await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: second.plainSecret })).status).toBe(200);
    const { client } = await app.m2m.getOrganizationClient('org_acme', clientId);
    await app.m2m.removeOrganizationClientSecret('org_acme', clientId, client!.secrets[0]!.id);
    expect((await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret })).status).toBe(401);
    expect((await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: second.plainSecret })).status).toBe(200);

    await app.m2m.deleteOrganizationClient('org_acme', clientId);
    expect((await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: second.plainSecret })).status).toBe(401);
  });

  it('lets an organization client use client_credentials only, and never the management API', async () => {
    const { clientId, secret } = await newClient();
    const code = await token({
      grant_type: 'authorization_code',
      client_id: clientId,
      client_secret: secret,
      code: 'x',
      redirect_uri: REDIRECT_URI,
    });
    expect(code).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
    const m2m = await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
    // Scalekit's management API is for the environment's own client (the app's), not a customer's.
    expect(await managementStatus(m2m.body.access_token!)).toBe('16');
    const app = await token({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(await managementStatus(app.body.access_token!)).toBe('0');
    expect(decodeJwt(app.body.access_token!)).not.toHaveProperty('oid');
  });
});

describe('organizationClientClaims', () => {
  const base: OrganizationClientRecord = {
    id: 'm2morg_1',
    organizationId: 'org_1',
    name: 'n',
    description: '',
    scopes: [],
    audience: [],
    customClaims: [
      { key: 'team', value: 'ops' },
      { key: 'oid', value: 'org_other' },
    ],
    expiry: 0,
    secrets: [],
    createdAt: new Date(),
    updatedAt: new Date(),
  };

  it('uses the client’s expiry when set, 3600 s otherwise; custom claims never replace the standard ones', () => {
    expect(organizationClientClaims(base, 'https://env.test', 'tkn_1', 1000)).toMatchObject({
      expiresIn: 3600,
      claims: { exp: 4600, oid: 'org_1', team: 'ops', scopes: [] },
    });
    expect(organizationClientClaims(base, 'https://env.test', 'tkn_1', 1000).claims).not.toHaveProperty('aud');
    expect(organizationClientClaims({ ...base, expiry: 600 }, 'https://env.test', 'tkn_1', 1000)).toMatchObject({
      expiresIn: 600,
      claims: { exp: 1600 },
    });
  });
});
