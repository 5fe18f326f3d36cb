import type { ConnectRouter } from '@connectrpc/connect';
import {
  ConnectionProvider,
  ConnectionService,
  ConnectionStatus,
  ConnectionType,
  PasswordlessType,
} from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connections/connections_pb.js';
import * as directory from '../directory.js';
import type { Directory } from '../directory.js';
import { organizationDomains } from '../domains.js';
import { EmulatorError, invalid, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { environmentConnection, environmentConnections } from '../oauth/environment-connections.js';
import type { ConnectionRecord } from '../state.js';
import { domainMessage } from './domains.js';
import { ts } from './convert.js';
import { guarded } from './services.js';

// ConnectionService, organization SSO connections (openapi/scalekit.yaml /api/v1/connections,
// /api/v1/organizations/{organization_id}/connections/{id}[:enable|:disable]).

/** Organization connections are enterprise SSO; social and passwordless connections are environment-wide. */
const ORGANIZATION_CONNECTION_TYPES = new Set(['OIDC', 'SAML']);

function requireConnection(dir: Directory, organizationId: string, id: string): ConnectionRecord {
  directory.requireOrganization(dir.state, organizationId);
  if (!id) throw invalid('INVALID_CONNECTION_ID', 'connection id is required');
  const c = dir.state.connections.get(id);
  if (!c || c.organizationId !== organizationId)
    throw notFound('CONNECTION_NOT_FOUND', `connection ${id} not found in organization ${organizationId}`);
  return c;
}

/**
 * GetConnection's answer: the organization's own connection, or one of the environment's sign-in
 * connections (passwordless email, social), which every organization of the environment signs in
 * with. The second is an assumption: Scalekit's documents put these connections' ids in `amr`
 * (oauth/environment-connections.ts) but do not say whether GetConnection under an
 * organization answers them; the Node SDK has no call for GetEnvironmentConnection, so this is
 * the one lookup an app has. Enable/disable/delete still see only the organization's own.
 */
function connectionVisibleIn(dir: Directory, organizationId: string, id: string): Readonly<ConnectionRecord> {
  const shared = id ? environmentConnection(id) : undefined;
  if (shared) {
    directory.requireOrganization(dir.state, organizationId);
    return shared;
  }
  return requireConnection(dir, organizationId, id);
}

/** Payload of the organization.sso_* webhooks (OpenAPI ConnectionEventData). */
export function connectionEventData(c: ConnectionRecord) {
  return {
    id: c.id,
    organization_id: c.organizationId,
    connection_type: c.type,
    provider: c.provider,
    enabled: c.enabled,
    status: c.status,
  };
}

/** The domains that route to a connection: its organization's ORGANIZATION_DOMAIN domains. */
const routedDomains = (dir: Directory, c: Readonly<ConnectionRecord>) => organizationDomains(dir, c.organizationId, 'ORGANIZATION_DOMAIN');

/** The fields ListConnection and Connection share. */
const commonFields = (c: Readonly<ConnectionRecord>) => ({
  id: c.id,
  provider: ConnectionProvider[c.provider as keyof typeof ConnectionProvider],
  type: ConnectionType[c.type as keyof typeof ConnectionType],
  status: ConnectionStatus[c.status],
  enabled: c.enabled,
  organizationId: c.organizationId,
  uiButtonTitle: c.uiButtonTitle,
});

function listMessage(dir: Directory, c: Readonly<ConnectionRecord>) {
  return {
    ...commonFields(c),
    domains: routedDomains(dir, c).map((d) => d.domain),
    organizationName: dir.state.organizations.get(c.organizationId)?.name ?? '',
    providerKey: c.providerKey,
    keyId: c.keyId ?? '',
    createdAt: ts(c.createdAt),
  };
}

/** Connection.settings: the protocol's configuration, as the connection's type says. */
function settingsOf(c: Readonly<ConnectionRecord>, base: string) {
  switch (c.type) {
    case 'PASSWORDLESS':
      // The hosted login mails a one-time code (oauth/hosted.ts).
      return { case: 'passwordlessConfig' as const, value: { type: PasswordlessType.OTP } };
    case 'OAUTH':
      return { case: 'oauthConfig' as const, value: { scopes: ['openid', 'email', 'profile'], redirectUri: `${base}/oauth/callback` } };
    case 'SAML':
      return {
        case: 'samlConfig' as const,
        value: {
          spEntityId: `${base}/saml/${c.id}`,
          spAssertionUrl: `${base}/saml/${c.id}/acs`,
          spMetadataUrl: `${base}/saml/${c.id}/metadata`,
          idpCertificates: [],
        },
      };
    default:
      return { case: 'oidcConfig' as const, value: { scopes: [], redirectUri: `${base}/oidc/callback` } };
  }
}

function connectionMessage(dir: Directory, c: Readonly<ConnectionRecord>, origin: string) {
  const base = `${origin}/sso/v1`;
  const settings = settingsOf(c, base);
  return {
    ...commonFields(c),
    debugEnabled: false,
    testConnectionUri: `${origin}/sso/v1/connections/${c.id}/test`,
    attributeMapping: {},
    createTime: ts(c.createdAt),
    updateTime: ts(c.updatedAt),
    settings,
    // Connection.organization_id is optional: an environment connection has no owner.
    organizationId: c.organizationId || undefined,
    keyId: c.keyId ?? undefined,
    providerKey: c.providerKey,
    domains: routedDomains(dir, c).map((d) => domainMessage(d, dir.state.environment.environmentId)),
  };
}

/** Enable/DisableConnection, also the admin portal's buttons (oauth/portal.ts). */
export function setConnectionEnabled(dir: Directory, c: ConnectionRecord, enabled: boolean) {
  // A connection whose IdP settings were never completed cannot sign anyone in.
  if (enabled && c.status !== 'COMPLETED') {
    throw new EmulatorError(
      'FAILED_PRECONDITION',
      'CONNECTION_NOT_CONFIGURED',
      `connection ${c.id} is not configured yet (status ${c.status})`,
    );
  }
  if (c.enabled !== enabled) {
    c.enabled = enabled;
    c.updatedAt = new Date();
    const org = dir.state.organizations.get(c.organizationId);
    // The hosted login offers one connection per organization: enabling puts this one there; disabling
    // takes it off only if it is the one offered.
    if (org && c.hostedLogin) {
      if (enabled) org.ssoConnection = structuredClone(c.hostedLogin);
      else if (org.ssoConnection?.id === c.id) org.ssoConnection = null;
    }
    dir.webhooks.emit(enabled ? 'organization.sso_enabled' : 'organization.sso_disabled', connectionEventData(c));
    dir.changed();
  }
  return { enabled: c.enabled };
}

export function registerConnectionService(router: ConnectRouter, dir: Directory): void {
  const { state } = dir;
  router.service(
    ConnectionService,
    guarded({
      async listConnections(req) {
        // "Retrieves a list of connections in the environment" (openapi ConnectionService_ListConnections):
        // the environment's own sign-in connections too. They have no organization and no
        // domains, so either filter leaves them out.
        let found: Readonly<ConnectionRecord>[] = [...state.connections.values(), ...environmentConnections()];
        if (req.organizationId) {
          directory.requireOrganization(state, req.organizationId);
          found = found.filter((c) => c.organizationId === req.organizationId);
        }
        if (req.domain) {
          const domain = req.domain.trim().toLowerCase();
          found = found.filter((c) => routedDomains(dir, c).some((d) => d.domain === domain));
        }
        // OpenAPI: "Default behavior shows only active (completed and enabled) connections"; include=all shows all.
        if (req.include !== 'all') found = found.filter((c) => c.enabled && c.status === 'COMPLETED');
        return { connections: found.map((c) => listMessage(dir, c)) };
      },
      async getConnection(req, ctx) {
        return { connection: connectionMessage(dir, connectionVisibleIn(dir, req.organizationId, req.id), new URL(ctx.url).origin) };
      },
      async getEnvironmentConnection(req, ctx) {
        // proto ConnectionService.GetEnvironmentConnection (the Python SDK's get_environment_connection).
        const c = req.connectionId ? environmentConnection(req.connectionId) : undefined;
        if (!c) throw notFound('CONNECTION_NOT_FOUND', `environment connection ${req.connectionId} not found`);
        return { connection: connectionMessage(dir, c, new URL(ctx.url).origin) };
      },
      async createConnection(req, ctx) {
        const org = directory.requireOrganization(state, req.organizationId);
        const input = req.connection;
        const type = ConnectionType[input?.type ?? ConnectionType.INVALID];
        if (!type || !ORGANIZATION_CONNECTION_TYPES.has(type)) {
          throw invalid('INVALID_CONNECTION_TYPE', 'an organization connection must be of type OIDC or SAML');
        }
        const provider = ConnectionProvider[input?.provider ?? ConnectionProvider.CONNECTION_PROVIDER_UNSPECIFIED];
        if (!provider || provider === 'CONNECTION_PROVIDER_UNSPECIFIED')
          throw invalid('INVALID_PROVIDER', 'connection provider is required');
        const now = new Date();
        const c: ConnectionRecord = {
          id: newId('conn'),
          organizationId: org.id,
          provider,
          type,
          // Created without IdP settings: a draft until the admin configures it.
          status: 'DRAFT',
          enabled: false,
          providerKey: input?.providerKey || provider.toLowerCase(),
          keyId: input?.keyId || null,
          uiButtonTitle: `Continue with ${provider.charAt(0)}${provider.slice(1).toLowerCase().replace(/_/g, ' ')}`,
          hostedLogin: null,
          createdAt: now,
          updatedAt: now,
        };
        state.connections.set(c.id, c);
        dir.webhooks.emit('organization.sso_created', connectionEventData(c));
        dir.changed();
        return { connection: connectionMessage(dir, c, new URL(ctx.url).origin) };
      },
      async deleteConnection(req) {
        const c = requireConnection(dir, req.organizationId, req.id);
        state.connections.delete(c.id);
        const org = state.organizations.get(c.organizationId);
        if (org?.ssoConnection?.id === c.id) org.ssoConnection = null;
        dir.webhooks.emit('organization.sso_deleted', connectionEventData(c));
        dir.changed();
        return {};
      },
      async enableConnection(req) {
        return setConnectionEnabled(dir, requireConnection(dir, req.organizationId, req.id), true);
      },
      async disableConnection(req) {
        return setConnectionEnabled(dir, requireConnection(dir, req.organizationId, req.id), false);
      },
      async listAppConnections(req) {
        // App connections are AgentKit's environment-level connectors; the emulator configures none.
        const page = directory.paginate(
          [] as ConnectionRecord[],
          req.pageSize,
          req.pageToken,
          `app-connections:${req.provider ?? ''}:${req.query ?? ''}`,
        );
        return {
          connections: page.items.map((c) => listMessage(dir, c)),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
    }),
  );
}
