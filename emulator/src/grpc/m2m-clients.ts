import { timingSafeEqual } from 'node:crypto';
import type { ConnectRouter } from '@connectrpc/connect';
import { ClientSecretStatus, ClientService } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/clients/clients_pb.js';
import * as directory from '../directory.js';
import type { Directory } from '../directory.js';
import { invalid, notFound } from '../errors.js';
import { newId, newSecret, sha256 } from '../ids.js';
import type { OrganizationClientRecord, OrganizationClientSecretRecord, State } from '../state.js';
import { ts } from './convert.js';
import { guarded } from './services.js';

// ClientService's organization (M2M) clients: openapi/scalekit.yaml /api/v1/organizations/{organization_id}/clients…,
// the SDK's src/m2mclient.ts. Ids look like the docs' m2morg_68315758685323697, plain secrets like
// "test_ly8G57h0ErRJSObJI6dShkoa…"; a secret is shown once (create) and stored only as a hash.

type ClientInput = {
  name: string;
  description: string;
  scopes: string[];
  audience: string[];
  customClaims: { key: string; value: string }[];
  expiry: bigint;
};

function requireClient(state: State, organizationId: string, clientId: string): OrganizationClientRecord {
  directory.requireOrganization(state, organizationId);
  if (!clientId) throw invalid('INVALID_CLIENT_ID', 'client_id is required');
  const c = state.organizationClients.get(clientId);
  // A client of another organization is not found here, as it would be under its URL.
  if (!c || c.organizationId !== organizationId) throw notFound('CLIENT_NOT_FOUND', `client ${clientId} not found`);
  return c;
}

/** clientsOrganizationClient.name: "Must be between 1 and 128 characters." */
function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 128) throw invalid('INVALID_CLIENT_NAME', 'name must be between 1 and 128 characters');
  return trimmed;
}

function checkClaims(claims: { key: string; value: string }[]): { key: string; value: string }[] {
  const seen = new Set<string>();
  for (const c of claims) {
    if (!c.key) throw invalid('INVALID_CUSTOM_CLAIM', 'custom claim key is required');
    if (seen.has(c.key)) throw invalid('INVALID_CUSTOM_CLAIM', `custom claim "${c.key}" is given twice`);
    seen.add(c.key);
  }
  return claims.map((c) => ({ key: c.key, value: c.value }));
}

function checkExpiry(expiry: bigint): number {
  if (expiry < 0n) throw invalid('INVALID_EXPIRY', 'expiry must be a number of seconds, not negative');
  return Number(expiry);
}

function newClientSecret(now = new Date()): { record: OrganizationClientSecretRecord; plain: string } {
  const plain = `test_${newSecret(30)}`;
  return {
    plain,
    record: {
      id: newId('sks'),
      secretHash: sha256(plain),
      secretSuffix: plain.slice(-4),
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    },
  };
}

function secretMessage(s: OrganizationClientSecretRecord) {
  return {
    id: s.id,
    createTime: ts(s.createdAt),
    updateTime: ts(s.updatedAt),
    secretSuffix: s.secretSuffix,
    status: s.status === 'ACTIVE' ? ClientSecretStatus.ACTIVE : ClientSecretStatus.INACTIVE,
    lastUsedTime: ts(s.lastUsedAt),
  };
}

export function clientMessage(c: OrganizationClientRecord) {
  return {
    clientId: c.id,
    secrets: c.secrets.map(secretMessage),
    name: c.name,
    description: c.description,
    organizationId: c.organizationId,
    createTime: ts(c.createdAt),
    updateTime: ts(c.updatedAt),
    scopes: [...c.scopes],
    audience: [...c.audience],
    customClaims: c.customClaims.map((x) => ({ ...x })),
    expiry: BigInt(c.expiry),
  };
}

/**
 * ListOrganizationClients page_size: "Must be between 10 and 100" (openapi/scalekit.yaml); 0 (unset)
 * is the default of 10.
 */
function checkPageSize(pageSize: number): number {
  if (pageSize !== 0 && (pageSize < 10 || pageSize > 100)) {
    throw invalid('INVALID_PAGE_SIZE', `page_size must be between 10 and 100, got ${pageSize}`);
  }
  return pageSize;
}

/** Default access-token lifetime of an organization client: "Defaults to 3600 (1 hour)" (authenticate/m2m/api-auth-quickstart.mdx). */
export const ORGANIZATION_CLIENT_DEFAULT_EXPIRY_S = 3600;

/**
 * The organization client whose id and plain secret these are, or null. Any ACTIVE secret works
 * (a client may have several while one is rotated out); the one used gets its last_used_time.
 */
export function authenticateOrganizationClient(state: State, clientId: string, plainSecret: string): OrganizationClientRecord | null {
  const c = state.organizationClients.get(clientId);
  if (!c) return null;
  const given = Buffer.from(sha256(plainSecret));
  const secret = c.secrets.find((s) => {
    const stored = Buffer.from(s.secretHash);
    return s.status === 'ACTIVE' && stored.length === given.length && timingSafeEqual(stored, given);
  });
  if (!secret) return null;
  secret.lastUsedAt = new Date();
  return c;
}

/** Claims the access token carries besides the client's custom claims; those may not replace them. */
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'client_id', 'oid', 'scopes']);

/**
 * The access token of a client_credentials grant, as Scalekit's decoded example shows it
 * (authenticate/m2m/api-auth-quickstart.mdx, "Example decoded access token": client_id, exp, iat,
 * iss, jti, nbf, oid, scopes, sub = the client id), plus what openapi clientsOrganizationClient
 * says goes in "access tokens issued to this client": `audience` as `aud` and the custom claims.
 */
export function organizationClientClaims(c: OrganizationClientRecord, issuer: string, jti: string, iat: number) {
  const custom = Object.fromEntries(c.customClaims.filter((x) => !RESERVED_CLAIMS.has(x.key)).map((x) => [x.key, x.value]));
  const expiresIn = c.expiry || ORGANIZATION_CLIENT_DEFAULT_EXPIRY_S;
  return {
    expiresIn,
    claims: {
      ...custom,
      iss: issuer,
      sub: c.id,
      client_id: c.id,
      oid: c.organizationId,
      scopes: [...c.scopes],
      ...(c.audience.length ? { aud: [...c.audience] } : {}),
      jti,
      iat,
      nbf: iat,
      exp: iat + expiresIn,
    },
  };
}

export function registerOrganizationClients(router: ConnectRouter, dir: Directory): void {
  const { state } = dir;
  router.service(
    ClientService,
    guarded({
      async createOrganizationClient(req) {
        directory.requireOrganization(state, req.organizationId);
        const input: Partial<ClientInput> = req.client ?? {};
        const now = new Date();
        const secret = newClientSecret(now);
        const c: OrganizationClientRecord = {
          id: newId('m2morg'),
          organizationId: req.organizationId,
          name: checkName(input.name ?? ''),
          description: input.description ?? '',
          scopes: [...(input.scopes ?? [])],
          audience: [...(input.audience ?? [])],
          customClaims: checkClaims(input.customClaims ?? []),
          expiry: checkExpiry(input.expiry ?? 0n),
          secrets: [secret.record],
          createdAt: now,
          updatedAt: now,
        };
        state.organizationClients.set(c.id, c);
        dir.changed();
        return { client: clientMessage(c), plainSecret: secret.plain };
      },
      async getOrganizationClient(req) {
        return { client: clientMessage(requireClient(state, req.organizationId, req.clientId)) };
      },
      async updateOrganizationClient(req) {
        const c = requireClient(state, req.organizationId, req.clientId);
        const u: Partial<ClientInput> = req.client ?? {};
        // Proto3 cannot tell an unset field from an empty one; the SDK sends only the fields given
        // (src/m2mclient.ts), so an empty value leaves the field as it is.
        const name = u.name ? checkName(u.name) : undefined;
        const claims = u.customClaims?.length ? checkClaims(u.customClaims) : undefined;
        const expiry = u.expiry ? checkExpiry(u.expiry) : undefined;
        if (name !== undefined) c.name = name;
        if (u.description) c.description = u.description;
        if (u.scopes?.length) c.scopes = [...u.scopes];
        if (u.audience?.length) c.audience = [...u.audience];
        if (claims !== undefined) c.customClaims = claims;
        if (expiry !== undefined) c.expiry = expiry;
        c.updatedAt = new Date();
        dir.changed();
        return { client: clientMessage(c) };
      },
      async deleteOrganizationClient(req) {
        directory.deleteRecord(dir, state.organizationClients, requireClient(state, req.organizationId, req.clientId));
        return {};
      },
      async createOrganizationClientSecret(req) {
        const c = requireClient(state, req.organizationId, req.clientId);
        const secret = newClientSecret();
        c.secrets.push(secret.record);
        c.updatedAt = secret.record.createdAt;
        dir.changed();
        return { plainSecret: secret.plain, secret: secretMessage(secret.record) };
      },
      async deleteOrganizationClientSecret(req) {
        const c = requireClient(state, req.organizationId, req.clientId);
        if (!req.secretId) throw invalid('INVALID_SECRET_ID', 'secret_id is required');
        const i = c.secrets.findIndex((s) => s.id === req.secretId);
        if (i < 0) throw notFound('SECRET_NOT_FOUND', `secret ${req.secretId} not found on client ${c.id}`);
        c.secrets.splice(i, 1);
        c.updatedAt = new Date();
        dir.changed();
        return {};
      },
      async listOrganizationClients(req) {
        directory.requireOrganization(state, req.organizationId);
        const clients = [...state.organizationClients.values()].filter((c) => c.organizationId === req.organizationId);
        const page = directory.paginate(clients, checkPageSize(req.pageSize), req.pageToken, `org-clients:${req.organizationId}`);
        return {
          clients: page.items.map(clientMessage),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
    }),
  );
}
