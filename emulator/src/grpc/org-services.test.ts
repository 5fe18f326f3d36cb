import { describe, expect, it } from 'vitest';
import { create } from '@bufbuild/protobuf';
import { ScalekitBadRequestException, ScalekitNotFoundException, ScalekitTooManyRequestsException } from '@scalekit-sdk/node';
import { DomainType, VerificationMethod, VerificationStatus } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/domains/domains_pb.js';
import {
  ConnectionProvider,
  ConnectionType,
  CreateConnectionSchema,
} from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connections/connections_pb.js';
import { DirectoryProvider, DirectoryType } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/directories/directories_pb.js';
import { PasswordlessType, TemplateType } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/auth/passwordless_pb.js';
import { emailsTo, sdk, startEmulator, useEmulator } from '../testing.js';

const emu = useEmulator();

async function newOrg() {
  const { organization } = await sdk(emu).organization.createOrganization('Domain Test');
  return organization!.id;
}

describe('DomainService', () => {
  it('admin-verifies API-added organization domains and marks allowed email domains NOT_APPLICABLE', async () => {
    const org = await newOrg();
    const client = sdk(emu);
    const plain = (await client.domain.createDomain(org, 'Acme-Corp.com')).domain!;
    expect(plain).toMatchObject({ domain: 'acme-corp.com', organizationId: org, domainType: DomainType.ORGANIZATION_DOMAIN });
    expect(plain.verificationStatus).toBe(VerificationStatus.VERIFIED);
    expect(plain.verificationMethod).toBe(VerificationMethod.ADMIN);
    expect(plain.id).toMatch(/^dom_\d{17}$/);
    const allowed = (await client.domain.createDomain(org, 'acme.io', { domainType: 'ALLOWED_EMAIL_DOMAIN' })).domain!;
    expect(allowed.verificationMethod).toBe(VerificationMethod.NOT_APPLICABLE);
    expect(allowed.verificationStatus).toBe(VerificationStatus.AUTO_VERIFIED);
    const listed = await client.domain.listDomains(org, { domainType: 'ALLOWED_EMAIL_DOMAIN' });
    expect(listed.domains.map((d) => d.domain)).toEqual(['acme.io']);
    expect((await client.domain.listDomains(org)).domains).toHaveLength(2);
  });

  it('refuses malformed, public and duplicate domains with INVALID_ARGUMENT and stores nothing', async () => {
    const org = await newOrg();
    const client = sdk(emu);
    for (const name of ['invalid-domain-name', 'gmail.com', 'acme..com', '']) {
      await expect(client.domain.createDomain(org, name)).rejects.toBeInstanceOf(ScalekitBadRequestException);
    }
    await client.domain.createDomain(org, 'taken.com');
    await expect(client.domain.createDomain(org, 'taken.com')).rejects.toMatchObject({ errorCode: 'DOMAIN_ALREADY_EXISTS' });
    // An SSO-routing domain belongs to one organization only.
    const other = await newOrg();
    await expect(client.domain.createDomain(other, 'taken.com')).rejects.toBeInstanceOf(ScalekitBadRequestException);
    expect((await client.domain.listDomains(org)).domains.map((d) => d.domain)).toEqual(['taken.com']);
  });

  it("answers NOT_FOUND for another organization's domain and after delete", async () => {
    const client = sdk(emu);
    const [a, b] = [await newOrg(), await newOrg()];
    const d = (await client.domain.createDomain(a, 'owned.com')).domain!;
    await expect(client.domain.getDomain(b, d.id)).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await client.domain.deleteDomain(a, d.id);
    await expect(client.domain.getDomain(a, d.id)).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });

  it('serves the seed: allowed email domains and the SSO connection domains of org_globex', async () => {
    const { domains } = await sdk(emu).domain.listDomains('org_globex');
    expect(domains.map((d) => [d.domain, DomainType[d.domainType]])).toEqual([
      ['globex.test', 'ALLOWED_EMAIL_DOMAIN'],
      ['consultant.test', 'ALLOWED_EMAIL_DOMAIN'],
      ['globex.test', 'ORGANIZATION_DOMAIN'],
    ]);
    // Stable ids across a reset, so a seeded app can refer to them.
    emu.reset();
    expect((await sdk(emu).domain.listDomains('org_globex')).domains.map((d) => d.id)).toEqual(domains.map((d) => d.id));
  });

  it('deletes an organization’s domains with the organization', async () => {
    const client = sdk(emu);
    const org = await newOrg();
    const d = (await client.domain.createDomain(org, 'gone.com')).domain!;
    await client.organization.deleteOrganization(org);
    const fresh = await newOrg();
    // The name is free again: nothing of the deleted organization still holds it.
    expect((await client.domain.createDomain(fresh, 'gone.com')).domain!.id).not.toBe(d.id);
  });
});

describe('ConnectionService', () => {
  it('creates a draft SAML connection, lists it only with include=all, and deletes it', async () => {
    const client = sdk(emu);
    const org = await newOrg();
    const { connection } = await client.connection.createConnection(
      org,
      create(CreateConnectionSchema, { provider: ConnectionProvider.OKTA, type: ConnectionType.SAML, providerKey: '' }),
    );
    expect(connection).toMatchObject({ organizationId: org, provider: ConnectionProvider.OKTA, type: ConnectionType.SAML, enabled: false });
    expect(connection!.id).toMatch(/^conn_\d{17}$/);
    expect(connection!.settings.case).toBe('samlConfig');
    expect((await client.connection.listConnections(org)).connections).toEqual([]);
    await expect(client.connection.enableConnection(org, connection!.id)).rejects.toMatchObject({ errorCode: 'CONNECTION_NOT_CONFIGURED' });
    await client.connection.deleteConnection(org, connection!.id);
    await expect(client.connection.getConnection(org, connection!.id)).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });

  it('refuses a connection type an organization cannot have', async () => {
    const org = await newOrg();
    await expect(
      sdk(emu).connection.createConnection(
        org,
        create(CreateConnectionSchema, { provider: ConnectionProvider.GOOGLE, type: ConnectionType.OAUTH }),
      ),
    ).rejects.toBeInstanceOf(ScalekitBadRequestException);
  });

  it('finds the seeded Globex connection by its organization domain, and disabling it removes it from hosted login', async () => {
    const client = sdk(emu);
    const byDomain = await client.connection.listConnectionsByDomain('globex.test');
    expect(byDomain.connections.map((c) => [c.id, c.organizationId])).toEqual([['conn_globex_okta', 'org_globex']]);
    expect((await client.connection.listConnectionsByDomain('example.com')).connections).toEqual([]);
    expect(await client.connection.disableConnection('org_globex', 'conn_globex_okta')).toMatchObject({ enabled: false });
    const authorize = await fetch(
      `${emu.url}/oauth/authorize?${new URLSearchParams({ client_id: 'skc_teamgate_dev', redirect_uri: 'http://localhost:3000/api/auth/callback', response_type: 'code', scope: 'openid', connection_id: 'conn_globex_okta' })}`,
      { redirect: 'manual' },
    );
    expect(new URL(authorize.headers.get('location')!).searchParams.get('error_description')).toMatch(/unknown connection_id/);
  });

  it('pages app connections (none configured) with the documented fields', async () => {
    const res = await sdk(emu).connection.listAppConnections({ pageSize: 1 });
    expect(res).toMatchObject({ connections: [], totalSize: 0, nextPageToken: '', prevPageToken: '' });
  });
});

describe('DirectoryService', () => {
  it('creates a SCIM directory as a disabled draft and toggles it', async () => {
    const client = sdk(emu);
    const org = await newOrg();
    expect((await client.directory.listDirectories(org)).directories).toEqual([]);
    await expect(client.directory.getPrimaryDirectoryByOrganizationId(org)).rejects.toBeDefined();
    const { directory } = await client.directory.createDirectory(org, {
      directoryType: DirectoryType.SCIM,
      directoryProvider: DirectoryProvider.OKTA,
    } as never);
    expect(directory).toMatchObject({ organizationId: org, enabled: false, totalUsers: 0 });
    expect(directory!.id).toMatch(/^dir_\d{17}$/);
    expect(directory!.directoryEndpoint).toBe(`${emu.url}/api/v1/directories/${directory!.id}/scim/v2`);
    expect(await client.directory.enableDirectory(org, directory!.id)).toMatchObject({ enabled: true });
    expect((await client.directory.getPrimaryDirectoryByOrganizationId(org)).enabled).toBe(true);
    await client.directory.deleteDirectory(org, directory!.id);
    await expect(client.directory.getDirectory(org, directory!.id)).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });

  it('refuses page sizes above the documented 30', async () => {
    const client = sdk(emu);
    const org = await newOrg();
    const { directory } = await client.directory.createDirectory(org, {
      directoryType: DirectoryType.SCIM,
      directoryProvider: DirectoryProvider.OKTA,
    } as never);
    await expect(client.directory.listDirectoryUsers(org, directory!.id, { pageSize: 31 })).rejects.toBeInstanceOf(
      ScalekitBadRequestException,
    );
    expect((await client.directory.listDirectoryUsers(org, directory!.id, { pageSize: 30 })).users).toEqual([]);
  });
});

describe('PasswordlessService', () => {
  const magiclinkAuthUri = 'https://app.example.com/passwordless/verify';

  it('mails a code and a magic link; the code verifies once, with its auth_request_id', async () => {
    const client = sdk(emu);
    const email = 'pat@example.com';
    const sent = await client.passwordless.sendPasswordlessEmail(email, { template: TemplateType.SIGNIN, state: 'st-1', magiclinkAuthUri });
    expect(sent.expiresIn).toBe(300);
    expect(sent.passwordlessType).toBe(PasswordlessType.LINK_OTP);
    expect(Number(sent.expiresAt) - Math.floor(Date.now() / 1000)).toBeGreaterThan(290);
    const [mail] = await emailsTo(emu, email);
    expect(mail!.code).toMatch(/^\d{6}$/);
    expect(mail!.links[0]).toMatch(/^https:\/\/app\.example\.com\/passwordless\/verify\?link_token=/);
    await expect(client.passwordless.verifyPasswordlessEmail({ code: mail!.code! })).rejects.toBeInstanceOf(ScalekitBadRequestException);
    await expect(
      client.passwordless.verifyPasswordlessEmail({ code: '000000' === mail!.code ? '111111' : '000000' }, sent.authRequestId),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_CODE',
    });
    const verified = await client.passwordless.verifyPasswordlessEmail({ code: mail!.code! }, sent.authRequestId);
    expect(verified).toMatchObject({ email, state: 'st-1', template: TemplateType.SIGNIN, passwordlessType: PasswordlessType.LINK_OTP });
    await expect(client.passwordless.verifyPasswordlessEmail({ code: mail!.code! }, sent.authRequestId)).rejects.toBeInstanceOf(
      ScalekitBadRequestException,
    );
  });

  it('verifies a magic link token and refuses an unknown one', async () => {
    const client = sdk(emu);
    await client.passwordless.sendPasswordlessEmail('lin@example.com', { template: TemplateType.SIGNUP, magiclinkAuthUri });
    const [mail] = await emailsTo(emu, 'lin@example.com');
    const token = new URL(mail!.links[0]!).searchParams.get('link_token')!;
    await expect(client.passwordless.verifyPasswordlessEmail({ linkToken: 'mock-link-token' })).rejects.toBeInstanceOf(
      ScalekitBadRequestException,
    );
    expect(await client.passwordless.verifyPasswordlessEmail({ linkToken: token })).toMatchObject({
      email: 'lin@example.com',
      template: TemplateType.SIGNUP,
    });
  });

  it('resends within the documented 2 emails per minute per address, then answers RESOURCE_EXHAUSTED', async () => {
    const client = sdk(emu);
    const sent = await client.passwordless.sendPasswordlessEmail('rae@example.com', { magiclinkAuthUri, expiresIn: 3600 });
    const resent = await client.passwordless.resendPasswordlessEmail(sent.authRequestId);
    expect(resent).toMatchObject({ authRequestId: sent.authRequestId, expiresIn: 3600 });
    const mails = await emailsTo(emu, 'rae@example.com');
    expect(mails).toHaveLength(2);
    // Without "new credentials on resend" the code stays the same.
    expect(mails[0]!.code).toBe(mails[1]!.code);
    await expect(client.passwordless.resendPasswordlessEmail(sent.authRequestId)).rejects.toBeInstanceOf(ScalekitTooManyRequestsException);
    expect(await emailsTo(emu, 'rae@example.com')).toHaveLength(2);
  });

  it('refuses reserved template variables and a missing magic link URI', async () => {
    const client = sdk(emu);
    await expect(
      client.passwordless.sendPasswordlessEmail('v@example.com', { magiclinkAuthUri, templateVariables: { otp: 'x' } }),
    ).rejects.toBeInstanceOf(ScalekitBadRequestException);
    await expect(client.passwordless.sendPasswordlessEmail('v@example.com', {})).rejects.toMatchObject({
      errorCode: 'INVALID_MAGICLINK_AUTH_URI',
    });
    expect(await emailsTo(emu, 'v@example.com')).toEqual([]);
  });
});

describe('DNS verification of a portal-added domain', () => {
  it('turns a seeded DNS_PENDING domain VERIFIED through the DNS-check dev endpoint, once', async () => {
    const seeded = await startEmulator({
      seed: {
        roles: [{ name: 'member', displayName: 'Member', defaultMember: true }],
        clients: [{ id: 'skc_teamgate_dev', secret: 'sks_teamgate_dev_only_not_a_real_secret' }],
        organizations: [
          { id: 'org_dns', name: 'DNS', domains: [{ id: 'dom_10000000000000001', domain: 'dns.test', verification: 'DNS_PENDING' }] },
        ],
      },
    });
    try {
      const client = sdk(seeded);
      const before = (await client.domain.getDomain('org_dns', 'dom_10000000000000001')).domain!;
      expect([VerificationStatus[before.verificationStatus], VerificationMethod[before.verificationMethod]]).toEqual(['PENDING', 'DNS']);
      const check = (body: unknown) =>
        fetch(`${seeded.url}/_emulator/domains/dns-check`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await check({ id: 'dom_10000000000000001', outcome: 'maybe' })).status).toBe(400);
      expect((await check({ id: 'dom_10000000000000001', outcome: 'verified' })).status).toBe(200);
      const after = (await client.domain.getDomain('org_dns', 'dom_10000000000000001')).domain!;
      expect(after.verificationStatus).toBe(VerificationStatus.VERIFIED);
      // Settled is settled: a late "failed" poll changes nothing.
      expect((await check({ id: 'dom_10000000000000001', outcome: 'failed' })).status).toBe(409);
      expect((await client.domain.getDomain('org_dns', 'dom_10000000000000001')).domain!.verificationStatus).toBe(
        VerificationStatus.VERIFIED,
      );
    } finally {
      await seeded.close();
    }
  });
});
