import type { ConnectRouter } from '@connectrpc/connect';
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { JsonObject } from '@bufbuild/protobuf';
import {
  DirectoryProvider,
  DirectoryService,
  DirectoryType,
  SecretStatus,
} from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/directories/directories_pb.js';
import * as directory from '../directory.js';
import type { Directory } from '../directory.js';
import { invalid, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { DirectoryGroupRecord, DirectoryRecord, DirectoryUserRecord } from '../state.js';
import { enumName, ts } from './convert.js';
import { guarded } from './services.js';

// DirectoryService, SCIM directories and their users and groups (openapi/scalekit.yaml
// /api/v1/organizations/{organization_id}/directories/**). Users and groups come from the seed
// (a directory provider's sync is not emulated).

/** OpenAPI ListDirectoryUsers/ListDirectoryGroups: "Maximum value is 30. If not specified, defaults to 10". */
const MAX_DIRECTORY_PAGE = 30;

const requireDirectory = (dir: Directory, organizationId: string, id: string): DirectoryRecord =>
  directory.requireOrganizationRecord(dir.state, dir.state.directories, 'directory', organizationId, id);

function directoryMessage(d: DirectoryRecord, origin: string) {
  const latest = (items: { updatedAt: Date }[]) =>
    items.length ? new Date(Math.max(...items.map((i) => i.updatedAt.getTime()))) : undefined;
  return {
    id: d.id,
    name: d.name,
    directoryType: DirectoryType[d.type as keyof typeof DirectoryType],
    organizationId: d.organizationId,
    enabled: d.enabled,
    directoryProvider: DirectoryProvider[d.provider as keyof typeof DirectoryProvider],
    lastSyncedAt: ts(d.lastSyncedAt),
    // The SCIM base URL the customer's IdP pushes to (OpenAPI example .../api/v1/directoies/dir_…/scim/v2).
    directoryEndpoint: `${origin}/api/v1/directories/${d.id}/scim/v2`,
    totalUsers: d.users.length,
    totalGroups: d.groups.length,
    // Tokens generated in the admin portal (oauth/portal.ts): only their suffix, as Scalekit answers.
    secrets: (d.secrets ?? []).map((s) => ({
      id: s.id,
      createTime: ts(s.createdAt),
      secretSuffix: s.secretSuffix,
      status: SecretStatus.ACTIVE,
      directoryId: d.id,
    })),
    stats: {
      totalUsers: d.users.length,
      totalGroups: d.groups.length,
      userUpdatedAt: ts(latest(d.users)),
      groupUpdatedAt: ts(latest(d.groups)),
    },
    status: d.status,
    email: '',
    groupsTracked: 'ALL',
  };
}

const groupMessage = (d: DirectoryRecord, g: DirectoryGroupRecord, includeDetail: boolean) => ({
  id: g.id,
  displayName: g.displayName,
  totalUsers: d.users.filter((u) => u.groupIds.includes(g.id)).length,
  updatedAt: ts(g.updatedAt),
  groupDetail: includeDetail ? ({ id: g.id, displayName: g.displayName, externalId: g.externalId } as JsonObject) : undefined,
});

function userMessage(d: DirectoryRecord, u: DirectoryUserRecord, includeDetail: boolean) {
  return {
    id: u.id,
    email: u.email,
    preferredUsername: u.preferredUsername,
    givenName: u.givenName,
    familyName: u.familyName,
    updatedAt: ts(u.updatedAt),
    emails: [u.email],
    groups: d.groups.filter((g) => u.groupIds.includes(g.id)).map((g) => groupMessage(d, g, false)),
    userDetail: includeDetail
      ? ({
          ...u.attributes,
          id: u.id,
          active: u.active,
          email: u.email,
          given_name: u.givenName,
          family_name: u.familyName,
          preferred_username: u.preferredUsername,
        } as JsonObject)
      : undefined,
  };
}

const pageFields = (page: directory.Page<unknown>) => ({
  totalSize: page.totalSize,
  nextPageToken: page.nextPageToken,
  prevPageToken: page.prevPageToken,
});

function checkPageSize(pageSize: number): void {
  if (pageSize > MAX_DIRECTORY_PAGE) {
    throw invalid(
      'INVALID_PAGE_SIZE',
      `page_size must be between 1 and ${MAX_DIRECTORY_PAGE} (0 means the default of 10), got ${pageSize}`,
    );
  }
}

const updatedSince = (after: Timestamp | undefined) => {
  const t = after ? timestampDate(after).getTime() : null;
  return (item: { updatedAt: Date }) => t === null || item.updatedAt.getTime() > t;
};

/**
 * Enable/DisableDirectory on the directory `req` names (also the admin portal's buttons, oauth/portal.ts):
 * a change sends its webhook; asking for the state it is already in sends none.
 */
export function setDirectoryEnabled(dir: Directory, req: { organizationId: string; id: string }, enabled: boolean) {
  const d = requireDirectory(dir, req.organizationId, req.id);
  if (d.enabled === enabled) return { enabled };
  d.enabled = enabled;
  d.updatedAt = new Date();
  dir.webhooks.emit(enabled ? 'organization.directory_enabled' : 'organization.directory_disabled', {
    id: d.id,
    organization_id: d.organizationId,
    directory_type: d.type,
    provider: d.provider,
    enabled,
    updated_at: d.updatedAt.toISOString(),
  });
  dir.changed();
  return { enabled };
}

export function registerDirectoryService(router: ConnectRouter, dir: Directory): void {
  const { state } = dir;
  router.service(
    DirectoryService,
    guarded({
      async listDirectories(req, ctx) {
        directory.requireOrganization(state, req.organizationId);
        const origin = new URL(ctx.url).origin;
        return {
          directories: [...state.directories.values()]
            .filter((d) => d.organizationId === req.organizationId)
            .map((d) => directoryMessage(d, origin)),
        };
      },
      async getDirectory(req, ctx) {
        return { directory: directoryMessage(requireDirectory(dir, req.organizationId, req.id), new URL(ctx.url).origin) };
      },
      async createDirectory(req, ctx) {
        const org = directory.requireOrganization(state, req.organizationId);
        const input = req.directory;
        const type = enumName(
          DirectoryType,
          input?.directoryType,
          'INVALID_DIRECTORY_TYPE',
          'directory_type is required (SCIM, LDAP or POLL)',
        );
        const provider = enumName(
          DirectoryProvider,
          input?.directoryProvider,
          'INVALID_DIRECTORY_PROVIDER',
          'directory_provider is required',
        );
        const now = new Date();
        const d: DirectoryRecord = {
          id: newId('dir'),
          organizationId: org.id,
          name: provider,
          type,
          provider,
          // Not syncing until the admin finishes the setup and enables it.
          enabled: false,
          status: 'DRAFT',
          groups: [],
          users: [],
          lastSyncedAt: null,
          createdAt: now,
          updatedAt: now,
        };
        state.directories.set(d.id, d);
        dir.changed();
        return { directory: directoryMessage(d, new URL(ctx.url).origin) };
      },
      async deleteDirectory(req) {
        directory.deleteRecord(dir, state.directories, requireDirectory(dir, req.organizationId, req.id));
        return {};
      },
      async enableDirectory(req) {
        return setDirectoryEnabled(dir, req, true);
      },
      async disableDirectory(req) {
        return setDirectoryEnabled(dir, req, false);
      },
      async listDirectoryUsers(req) {
        const d = requireDirectory(dir, req.organizationId, req.directoryId);
        checkPageSize(req.pageSize);
        let users = d.users.filter(updatedSince(req.updatedAfter));
        if (req.directoryGroupId) {
          if (!d.groups.some((g) => g.id === req.directoryGroupId)) {
            throw notFound('DIRECTORY_GROUP_NOT_FOUND', `group ${req.directoryGroupId} not found in directory ${d.id}`);
          }
          users = users.filter((u) => u.groupIds.includes(req.directoryGroupId!));
        }
        const scope = `dir-users:${d.id}:${req.directoryGroupId ?? ''}:${req.updatedAfter ? timestampDate(req.updatedAfter).toISOString() : ''}`;
        const page = directory.paginate(users, req.pageSize, req.pageToken, scope);
        return { users: page.items.map((u) => userMessage(d, u, req.includeDetail ?? false)), ...pageFields(page) };
      },
      async listDirectoryGroups(req) {
        const d = requireDirectory(dir, req.organizationId, req.directoryId);
        checkPageSize(req.pageSize);
        const groups = d.groups.filter(updatedSince(req.updatedAfter));
        const scope = `dir-groups:${d.id}:${req.updatedAfter ? timestampDate(req.updatedAfter).toISOString() : ''}`;
        const page = directory.paginate(groups, req.pageSize, req.pageToken, scope);
        return { groups: page.items.map((g) => groupMessage(d, g, req.includeDetail ?? false)), ...pageFields(page) };
      },
    }),
  );
}
