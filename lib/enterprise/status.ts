import { cache } from 'react';
import type { Timestamp } from '@bufbuild/protobuf/wkt';
import {
  ConnectionProvider,
  ConnectionStatus,
  ConnectionType,
} from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connections/connections_pb';
import { DirectoryProvider, DirectoryType } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/directories/directories_pb';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { describeScalekitError } from '@/lib/scalekit/errors';
import { getScalekit } from '@/lib/scalekit/client';

/**
 * "Single sign-on & directory": what Scalekit says an organization has set up, read through the
 * SDK each time the settings page renders (Scalekit is the source of truth, and the admin portal
 * changes it behind the app's back). Nothing is mirrored in PostgreSQL; the read is memoised for
 * one server render only (React cache), so no other page pays for a Scalekit call.
 *
 * - SSO: ConnectionService.ListConnections by organization. The SDK's listConnections sends no
 *   `include`, and Scalekit then answers the *active* connections only ("Default behavior shows
 *   only active (completed and enabled) connections", openapi/scalekit.yaml
 *   ConnectionService_ListConnections): a connection still being set up, or disabled, shows here
 *   once it is enabled in the admin portal. The page says so.
 * - Directory sync: DirectoryService.ListDirectories, with enabled, status, last sync and the
 *   user and group counts the RPC carries.
 */

export interface SsoConnectionStatus {
  id: string;
  /** OIDC or SAML */
  protocol: string;
  provider: string;
  enabled: boolean;
  /** Scalekit's configuration status: Draft, In progress, Configured */
  status: string;
  domains: string[];
}

export interface DirectoryStatus {
  id: string;
  name: string;
  /** SCIM, LDAP, … */
  type: string;
  provider: string;
  enabled: boolean;
  status: string;
  lastSyncedAt: Date | null;
  totalUsers: number;
  totalGroups: number;
}

export type EnterpriseStatus =
  { ok: true; connections: SsoConnectionStatus[]; directories: DirectoryStatus[] } | { ok: false; message: string; retryable: boolean };

const PROVIDER_LABELS: Record<string, string> = {
  OKTA: 'Okta',
  GOOGLE: 'Google Workspace',
  MICROSOFT_AD: 'Microsoft Entra ID',
  AUTH0: 'Auth0',
  ONELOGIN: 'OneLogin',
  PING_IDENTITY: 'PingIdentity',
  JUMPCLOUD: 'JumpCloud',
  CUSTOM: 'Custom',
  ADFS: 'Microsoft AD FS',
  IDP_SIMULATOR: 'IdP simulator',
};

const CONNECTION_STATUS_LABELS: Record<string, string> = {
  DRAFT: 'Draft',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Configured',
};

function enumName(values: Record<number, string>, value: number | undefined): string {
  return (value !== undefined && values[value]) || 'Unknown';
}

function providerLabel(name: string): string {
  return PROVIDER_LABELS[name] ?? name.charAt(0) + name.slice(1).toLowerCase().replace(/_/g, ' ');
}

function toDate(t: Timestamp | undefined): Date | null {
  if (!t) return null;
  const ms = Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
  return ms > 0 ? new Date(ms) : null;
}

/** Directory.status is a free string in the proto (DRAFT, IN_PROGRESS, COMPLETED in practice). */
function directoryStatusLabel(status: string): string {
  return CONNECTION_STATUS_LABELS[status] ?? (status ? status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ') : 'Unknown');
}

async function readStatus(organizationId: string): Promise<EnterpriseStatus> {
  const scalekit = getScalekit();
  try {
    const [connections, directories] = await Promise.all([
      scalekit.connection.listConnections(organizationId),
      scalekit.directory.listDirectories(organizationId),
    ]);
    return {
      ok: true,
      connections: connections.connections
        // The environment's own sign-in connections (email codes, social) belong to no organization.
        .filter((c) => c.organizationId === organizationId)
        .map((c) => ({
          id: c.id,
          protocol: enumName(ConnectionType, c.type),
          provider: providerLabel(enumName(ConnectionProvider, c.provider)),
          enabled: c.enabled,
          status: CONNECTION_STATUS_LABELS[enumName(ConnectionStatus, c.status)] ?? 'Unknown',
          domains: [...c.domains],
        })),
      directories: directories.directories.map((d) => ({
        id: d.id,
        name: d.name,
        type: enumName(DirectoryType, d.directoryType),
        provider: providerLabel(enumName(DirectoryProvider, d.directoryProvider)),
        enabled: d.enabled,
        status: directoryStatusLabel(d.status),
        lastSyncedAt: toDate(d.lastSyncedAt),
        totalUsers: d.stats?.totalUsers ?? d.totalUsers,
        totalGroups: d.stats?.totalGroups ?? d.totalGroups,
      })),
    };
  } catch (error) {
    // Logged (scrubbed) by describeScalekitError; the page gets a sentence, never the error text.
    const failure = describeScalekitError(error);
    return {
      ok: false,
      retryable: failure.retryable,
      message: failure.retryable
        ? 'Scalekit is not reachable — try again in a moment.'
        : `Scalekit did not answer with this organization's single sign-on status: ${failure.message}`,
    };
  }
}

/** Memoised per server render: the page and anything it renders share one pair of Scalekit calls. */
const statusForRender = cache(readStatus);

/** The organization's SSO connections and directories, as Scalekit has them. Admins (org:settings) only. */
export async function getEnterpriseStatus(actor: Actor, organizationId: string): Promise<EnterpriseStatus> {
  assertCan(actor, organizationId, 'org:settings');
  return statusForRender(organizationId);
}
