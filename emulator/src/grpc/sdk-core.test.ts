import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ScalekitBadRequestException,
  ScalekitConflictException,
  ScalekitNotFoundException,
  ScalekitValidateTokenFailureException,
} from '@scalekit-sdk/node';
import { TimeUnit } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/commons/commons_pb.js';
import { SessionPolicyType } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/organizations/organizations_pb.js';
import { sdk, startEmulator, useEmulator } from '../testing.js';

// What the SDK's own suites (organization*, m2mclient, token) do not pin: validation, ownership,
// pagination, and that clients and API keys survive a --persist restart without their secrets on disk.

const emu = useEmulator();

async function newOrg(name = 'Core Test') {
  const { organization } = await sdk(emu).organization.createOrganization(name);
  return organization!.id;
}

/** An SDK client and a new organization of its own, the start of most tests here. */
async function clientWithNewOrg() {
  return { client: sdk(emu), org: await newOrg() };
}

const orgCount = async () => (await sdk(emu).organization.listOrganization({ pageSize: 100 })).totalSize;

describe('organization slug and logo_url', () => {
  it('refuses a slug that is not a lowercase DNS label or hostname, and creates nothing', async () => {
    const before = await orgCount();
    for (const slug of ['Acme', 'acme..io', '-acme', 'acme_io', 'a'.repeat(64), `${'a.'.repeat(127)}ab`]) {
      await expect(sdk(emu).organization.createOrganization('Bad Slug', { slug })).rejects.toMatchObject({
        errorCode: 'INVALID_SLUG',
        constructor: ScalekitBadRequestException,
      });
    }
    expect(await orgCount()).toBe(before);
  });

  it('keeps a slug unique per environment, lets its owner keep it and clears it with an empty string', async () => {
    const client = sdk(emu);
    const first = (await client.organization.createOrganization('First', { slug: 'acme' })).organization!;
    await expect(client.organization.createOrganization('Second', { slug: 'acme' })).rejects.toBeInstanceOf(ScalekitConflictException);
    const other = await newOrg();
    await expect(client.organization.updateOrganization(other, { slug: 'acme' })).rejects.toMatchObject({
      errorCode: 'SLUG_ALREADY_EXISTS',
    });
    expect(
      (await client.organization.updateOrganization(first.id, { slug: 'acme', displayName: 'First Renamed' })).organization,
    ).toMatchObject({
      slug: 'acme',
      displayName: 'First Renamed',
    });
    const cleared = (await client.organization.updateOrganization(first.id, { slug: '' })).organization!;
    expect(cleared.slug).toBeUndefined();
    // Freed: another organization may take it now.
    expect((await client.organization.updateOrganization(other, { slug: 'acme' })).organization!.slug).toBe('acme');
  });

  it('accepts only https logo URLs of at most 1024 characters and returns the logo on get', async () => {
    const client = sdk(emu);
    for (const logoUrl of ['http://cdn.example.com/logo.png', 'ftp://x', 'https://', `https://cdn.example.com/${'a'.repeat(1010)}`]) {
      await expect(client.organization.createOrganization('Bad Logo', { logoUrl })).rejects.toMatchObject({
        errorCode: 'INVALID_LOGO_URL',
      });
    }
    const org = await newOrg();
    await expect(client.organization.updateOrganization(org, { logoUrl: 'http://cdn.example.com/a.png' })).rejects.toBeInstanceOf(
      ScalekitBadRequestException,
    );
    await client.organization.updateOrganization(org, { logoUrl: 'https://cdn.example.com/a.png' });
    expect((await client.organization.getOrganization(org)).organization!.logoUrl).toBe('https://cdn.example.com/a.png');
  });
});

describe('organization update validation', () => {
  it('refuses an external_id another organization holds, and keeps its own', async () => {
    const { client, org } = await clientWithNewOrg();
    await expect(client.organization.updateOrganization(org, { externalId: 'crm-acme-001' })).rejects.toMatchObject({
      errorCode: 'EXTERNAL_ID_ALREADY_EXISTS',
      constructor: ScalekitConflictException,
    });
    expect((await client.organization.getOrganization(org)).organization!.externalId).toBeUndefined();
    expect((await client.organization.updateOrganization('org_acme', { externalId: 'crm-acme-001' })).organization!.externalId).toBe(
      'crm-acme-001',
    );
  });

  it('holds metadata to 10 pairs, keys of 3 to 25 and values of 1 to 256 characters, and names to 200', async () => {
    const { client, org } = await clientWithNewOrg();
    const refused: Record<string, string>[] = [{ ab: 'x' }, { ['k'.repeat(26)]: 'x' }, { key: 'v'.repeat(257) }];
    for (const metadata of refused) {
      await expect(client.organization.updateOrganization(org, { metadata })).rejects.toMatchObject({ errorCode: 'INVALID_METADATA' });
    }
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`key${i}`, 'v']));
    await client.organization.updateOrganization(org, { metadata: ten });
    // The limit counts what the merge leaves: an 11th key is refused and nothing changes.
    await expect(client.organization.updateOrganization(org, { metadata: { key10: 'v' } })).rejects.toBeInstanceOf(
      ScalekitBadRequestException,
    );
    expect(Object.keys((await client.organization.getOrganization(org)).organization!.metadata)).toHaveLength(10);
    await expect(client.organization.updateOrganization(org, { displayName: 'n'.repeat(201) })).rejects.toMatchObject({
      errorCode: 'INVALID_DISPLAY_NAME',
    });
  });
});

describe('organization session policy', () => {
  it('answers HOURS and DAYS in MINUTES, and a disabled idle timeout keeps no value', async () => {
    const { client, org } = await clientWithNewOrg();
    const policy = await client.organization.updateOrganizationSessionPolicy(org, {
      policySource: 'CUSTOM',
      absoluteSessionTimeout: 7,
      absoluteSessionTimeoutUnit: 'DAYS',
      idleSessionTimeoutEnabled: true,
      idleSessionTimeout: 2,
      idleSessionTimeoutUnit: 'HOURS',
    });
    expect(policy).toMatchObject({
      policySource: SessionPolicyType.CUSTOM,
      absoluteSessionTimeout: 7 * 24 * 60,
      absoluteSessionTimeoutUnit: TimeUnit.MINUTES,
      idleSessionTimeoutEnabled: true,
      idleSessionTimeout: 120,
      idleSessionTimeoutUnit: TimeUnit.MINUTES,
    });
    const disabled = await client.organization.updateOrganizationSessionPolicy(org, {
      policySource: 'CUSTOM',
      absoluteSessionTimeout: 8,
      absoluteSessionTimeoutUnit: 'HOURS',
      idleSessionTimeoutEnabled: false,
      idleSessionTimeout: 30,
      idleSessionTimeoutUnit: 'MINUTES',
    });
    expect(disabled).toMatchObject({ absoluteSessionTimeout: 480, idleSessionTimeoutEnabled: false });
    expect(disabled.idleSessionTimeout).toBeUndefined();
  });

  it('drops the custom values when reverted to APPLICATION, for this organization only', async () => {
    const client = sdk(emu);
    const [org, other] = [await newOrg(), await newOrg()];
    await client.organization.updateOrganizationSessionPolicy(org, {
      policySource: 'CUSTOM',
      absoluteSessionTimeout: 60,
      absoluteSessionTimeoutUnit: 'MINUTES',
    });
    expect((await client.organization.getOrganizationSessionPolicy(other)).policySource).toBe(SessionPolicyType.APPLICATION);
    await client.organization.updateOrganizationSessionPolicy(org, { policySource: 'APPLICATION' });
    const reverted = await client.organization.getOrganizationSessionPolicy(org);
    expect(reverted.policySource).toBe(SessionPolicyType.APPLICATION);
    expect(reverted.absoluteSessionTimeout).toBeUndefined();
    expect(reverted.idleSessionTimeoutEnabled).toBeUndefined();
  });

  it('refuses a CUSTOM policy without a positive absolute timeout, an idle timeout past it, or no policy source', async () => {
    const { client, org } = await clientWithNewOrg();
    const refused = [
      { policySource: 'CUSTOM' },
      { policySource: 'CUSTOM', absoluteSessionTimeout: 0 },
      { policySource: 'CUSTOM', absoluteSessionTimeout: -5 },
      { policySource: 'CUSTOM', absoluteSessionTimeout: 60, idleSessionTimeoutEnabled: true },
      {
        policySource: 'CUSTOM',
        absoluteSessionTimeout: 60,
        idleSessionTimeoutEnabled: true,
        idleSessionTimeout: 2,
        idleSessionTimeoutUnit: 'HOURS',
      },
      { policySource: 'SOMETIMES' },
    ] as const;
    for (const policy of refused) {
      await expect(
        client.organization.updateOrganizationSessionPolicy(
          org,
          policy as Parameters<typeof client.organization.updateOrganizationSessionPolicy>[1],
        ),
      ).rejects.toBeInstanceOf(ScalekitBadRequestException);
    }
    expect((await client.organization.getOrganizationSessionPolicy(org)).policySource).toBe(SessionPolicyType.APPLICATION);
  });

  it('answers NOT_FOUND for an unknown organization', async () => {
    await expect(sdk(emu).organization.getOrganizationSessionPolicy('org_12345678901234567')).rejects.toBeInstanceOf(
      ScalekitNotFoundException,
    );
    await expect(
      sdk(emu).organization.updateOrganizationSessionPolicy('org_12345678901234567', { policySource: 'APPLICATION' }),
    ).rejects.toMatchObject({ errorCode: 'ORGANIZATION_NOT_FOUND' });
  });
});

describe('organization M2M clients', () => {
  it('returns the first secret once at creation and only its suffix afterwards', async () => {
    const { client, org } = await clientWithNewOrg();
    const created = await client.m2m.createOrganizationClient(org, {
      name: 'CI',
      scopes: ['deals:read'],
      audience: ['https://api.teamgate.test'],
      customClaims: { team: 'ops' },
    });
    expect(created.client!.clientId).toMatch(/^m2morg_\d{17}$/);
    expect(created.plainSecret).toMatch(/^test_/);
    expect(created.client!.secrets).toHaveLength(1);
    expect(created.client!.secrets[0]!.secretSuffix).toBe(created.plainSecret.slice(-4));
    const fetched = (await client.m2m.getOrganizationClient(org, created.client!.clientId)).client!;
    expect(fetched).toMatchObject({ organizationId: org, scopes: ['deals:read'], audience: ['https://api.teamgate.test'] });
    expect(fetched.customClaims.map((c) => [c.key, c.value])).toEqual([['team', 'ops']]);
    expect(fetched.secrets[0]!.plainSecret).toBeUndefined();
    expect(JSON.stringify(fetched, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(created.plainSecret);
  });

  it('requires a name of 1 to 128 characters', async () => {
    const org = await newOrg();
    await expect(sdk(emu).m2m.createOrganizationClient(org, {})).rejects.toMatchObject({ errorCode: 'INVALID_CLIENT_NAME' });
    await expect(sdk(emu).m2m.createOrganizationClient(org, { name: 'x'.repeat(129) })).rejects.toBeInstanceOf(ScalekitBadRequestException);
  });

  it("answers NOT_FOUND for another organization's client and for an unknown secret", async () => {
    const client = sdk(emu);
    const [a, b] = [await newOrg(), await newOrg()];
    const { clientId } = (await client.m2m.createOrganizationClient(a, { name: 'Owned by A' })).client!;
    await expect(client.m2m.getOrganizationClient(b, clientId)).rejects.toMatchObject({ errorCode: 'CLIENT_NOT_FOUND' });
    await expect(client.m2m.deleteOrganizationClient(b, clientId)).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await expect(client.m2m.removeOrganizationClientSecret(a, clientId, 'sks_1')).rejects.toMatchObject({ errorCode: 'SECRET_NOT_FOUND' });
    await client.m2m.deleteOrganizationClient(a, clientId);
    await expect(client.m2m.getOrganizationClient(a, clientId)).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });

  it('adds and removes secrets, keeping the others', async () => {
    const { client, org } = await clientWithNewOrg();
    const { clientId, secrets } = (await client.m2m.createOrganizationClient(org, { name: 'Rotating' })).client!;
    const added = await client.m2m.addOrganizationClientSecret(org, clientId);
    expect(added.secret!.secretSuffix).toBe(added.plainSecret.slice(-4));
    await client.m2m.removeOrganizationClientSecret(org, clientId, secrets[0]!.id);
    const left = (await client.m2m.getOrganizationClient(org, clientId)).client!.secrets.map((s) => s.id);
    expect(left).toEqual([added.secret!.id]);
  });

  it('pages an organization’s clients with page sizes of 10 to 100, and lists no other organization’s', async () => {
    const client = sdk(emu);
    const [org, other] = [await newOrg(), await newOrg()];
    for (let i = 0; i < 12; i++) await client.m2m.createOrganizationClient(org, { name: `Client ${i}` });
    await client.m2m.createOrganizationClient(other, { name: 'Elsewhere' });
    const first = await client.m2m.listOrganizationClients(org, { pageSize: 10 });
    expect(first.clients).toHaveLength(10);
    expect(first.totalSize).toBe(12);
    const second = await client.m2m.listOrganizationClients(org, { pageSize: 10, pageToken: first.nextPageToken });
    expect(second.clients.map((c) => c.name)).toEqual(['Client 10', 'Client 11']);
    expect(second.nextPageToken).toBe('');
    await expect(client.m2m.listOrganizationClients(org, { pageSize: 5 })).rejects.toMatchObject({ errorCode: 'INVALID_PAGE_SIZE' });
    await expect(client.m2m.listOrganizationClients(other, { pageSize: 10, pageToken: first.nextPageToken })).rejects.toMatchObject({
      errorCode: 'INVALID_PAGE_TOKEN',
    });
  });

  it('go with their organization', async () => {
    const { client, org } = await clientWithNewOrg();
    const { clientId } = (await client.m2m.createOrganizationClient(org, { name: 'Doomed' })).client!;
    await client.organization.deleteOrganization(org);
    const again = await newOrg();
    await expect(client.m2m.getOrganizationClient(again, clientId)).rejects.toMatchObject({ errorCode: 'CLIENT_NOT_FOUND' });
  });
});

describe('API tokens', () => {
  it('validates by key or token_id with the organization, user, roles and claims', async () => {
    const client = sdk(emu);
    const created = await client.token.createToken('org_acme', { userId: 'usr_max', customClaims: { env: 'ci' }, description: 'Max CI' });
    expect(created.tokenId).toMatch(/^apit_\d{17}$/);
    expect(created.tokenInfo!.tokenSuffix).toBe(created.token.slice(-4));
    for (const token of [created.token, created.tokenId]) {
      const { tokenInfo } = await client.token.validateToken(token);
      expect(tokenInfo).toMatchObject({
        tokenId: created.tokenId,
        organizationId: 'org_acme',
        organizationExternalId: 'crm-acme-001',
        userId: 'usr_max',
        email: 'max@acme.test',
        roles: ['member'],
        customClaims: { env: 'ci' },
        description: 'Max CI',
      });
    }
  });

  it('refuses a user who is not a member, an unknown organization and an expiry in the past', async () => {
    const client = sdk(emu);
    await expect(client.token.createToken('org_globex', { userId: 'usr_max' })).rejects.toMatchObject({
      errorCode: 'MEMBERSHIP_NOT_FOUND',
    });
    await expect(client.token.createToken('org_12345678901234567')).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await expect(client.token.createToken('org_acme', { expiry: timestampFromDate(new Date(Date.now() - 60_000)) })).rejects.toMatchObject({
      errorCode: 'INVALID_EXPIRY',
    });
    expect((await client.token.listTokens('org_acme')).totalCount).toBe(0);
  });

  it('fails validation for an unknown, an invalidated and an expired key', async () => {
    const client = sdk(emu);
    await expect(client.token.validateToken('apik_not_a_key')).rejects.toBeInstanceOf(ScalekitValidateTokenFailureException);
    const revoked = await client.token.createToken('org_acme');
    await client.token.invalidateToken(revoked.token);
    await expect(client.token.validateToken(revoked.tokenId)).rejects.toBeInstanceOf(ScalekitValidateTokenFailureException);
    await expect(client.token.updateToken(revoked.tokenId, { description: 'late' })).rejects.toBeInstanceOf(ScalekitNotFoundException);
    const expiring = await client.token.createToken('org_acme', { expiry: timestampFromDate(new Date(Date.now() + 1500)) });
    await client.token.validateToken(expiring.token);
    await new Promise((r) => setTimeout(r, 1600));
    await expect(client.token.validateToken(expiring.token)).rejects.toBeInstanceOf(ScalekitValidateTokenFailureException);
    await expect(client.token.invalidateToken('apit_12345678901234567')).rejects.toBeInstanceOf(ScalekitNotFoundException);
  });

  it('lists an organization’s live keys, filtered by user, in pages', async () => {
    const client = sdk(emu);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.token.createToken('org_acme', { description: `org ${i}` })).tokenId);
    const mine = (await client.token.createToken('org_acme', { userId: 'usr_ada' })).tokenId;
    await client.token.createToken('org_globex');
    await client.token.invalidateToken(ids[1]!);
    const all = await client.token.listTokens('org_acme', { pageSize: 2 });
    expect(all.totalCount).toBe(3);
    expect(all.tokens.map((t) => t.tokenId)).toEqual([ids[0], ids[2]]);
    const rest = await client.token.listTokens('org_acme', { pageSize: 2, pageToken: all.nextPageToken });
    expect(rest.tokens.map((t) => t.tokenId)).toEqual([mine]);
    expect(rest.prevPageToken).not.toBe('');
    expect((await client.token.listTokens('org_acme', { userId: 'usr_ada' })).tokens.map((t) => t.tokenId)).toEqual([mine]);
    await expect(client.token.listTokens('org_acme', { pageSize: 101 })).rejects.toBeInstanceOf(ScalekitBadRequestException);
  });

  it('updates by key, keeping the description when only claims change', async () => {
    const client = sdk(emu);
    const created = await client.token.createToken('org_acme', { customClaims: { a: '1' }, description: 'Keep me' });
    const { tokenInfo } = await client.token.updateToken(created.token, { customClaims: { b: '2' } });
    expect(tokenInfo).toMatchObject({ description: 'Keep me', customClaims: { b: '2' } });
    expect((await client.token.validateToken(created.tokenId)).tokenInfo!.customClaims).toEqual({ b: '2' });
  });
});

describe('M2M clients and API tokens across a --persist restart', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keep working, and the state file holds neither a client secret nor an API key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-sdkcore-'));
    dirs.push(dir);
    const persistPath = join(dir, 'state.json');
    const first = await startEmulator({ persistPath });
    const created = await sdk(first).m2m.createOrganizationClient('org_acme', { name: 'Persisted' });
    const token = await sdk(first).token.createToken('org_acme', { description: 'Persisted key' });
    await sdk(first).organization.updateOrganization('org_acme', { slug: 'acme', logoUrl: 'https://cdn.example.com/acme.png' });
    await sdk(first).organization.updateOrganizationSessionPolicy('org_acme', {
      policySource: 'CUSTOM',
      absoluteSessionTimeout: 90,
      absoluteSessionTimeoutUnit: 'MINUTES',
    });
    await first.close();
    const file = readFileSync(persistPath, 'utf8');
    expect(file).not.toContain(created.plainSecret);
    expect(file).not.toContain(token.token);
    const second = await startEmulator({ persistPath });
    try {
      const client = (await sdk(second).m2m.getOrganizationClient('org_acme', created.client!.clientId)).client!;
      expect(client.name).toBe('Persisted');
      expect(client.createTime).toEqual(created.client!.createTime);
      expect((await sdk(second).token.validateToken(token.token)).tokenInfo!.description).toBe('Persisted key');
      expect((await sdk(second).organization.getOrganization('org_acme')).organization).toMatchObject({
        slug: 'acme',
        logoUrl: 'https://cdn.example.com/acme.png',
      });
      expect((await sdk(second).organization.getOrganizationSessionPolicy('org_acme')).absoluteSessionTimeout).toBe(90);
    } finally {
      await second.close();
    }
  });
});
