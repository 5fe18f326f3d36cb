import type { DirectoryUser } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/directories/directories_pb';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { DEFAULT_ROLE } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors/app-error';
import { previewBulkRows, type BulkJobView, type BulkRowInput } from '@/lib/invitations/bulk';
import { CSV_MAX_ROWS } from '@/lib/invitations/csv-limits';
import { findRole, organizationRoles } from '@/lib/roles/catalogue';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { directoryRoleFor } from './role-hook';

/**
 * "Invite from directory": bulk invite's second source beside a CSV. The admin picks people and
 * whole groups from the organization's connected directory (Scalekit DirectoryService through the
 * SDK); the server resolves the picked ids through the SDK again at preview time (a group expands
 * to its members there, and nothing the browser sends is taken as an email), then hands the rows
 * to the CSV preview's own checks (lib/invitations/bulk.ts previewBulkRows) and the same
 * send pipeline (queueBulkSend, the `bulk-invite.run` job). docs/members.md "Invite from directory".
 *
 * Scalekit's ListDirectoryUsers has no search parameter (developer-docs openapi/scalekit.yaml,
 * DirectoryService_ListDirectoryUsers: page_size, page_token, include_detail, directory_group_id,
 * updated_after), so search is done here: the server pages through the directory with the
 * documented largest page and keeps the matches, a bounded number of pages per request.
 */

/** "Number of users to return per page. Maximum value is 30" (openapi/scalekit.yaml, ListDirectoryUsers and ListDirectoryGroups). */
export const DIRECTORY_PAGE_SIZE = 30;
/** People shown per page of the picker. */
export const PICKER_PAGE = 30;
/** Directory pages one search request reads at most (about 1,000 people); the picker then offers "Show more". */
const SEARCH_PAGES_PER_REQUEST = 34;
/** Groups listed in the picker at most (10 pages); a directory with more is told so. */
const MAX_GROUP_PAGES = 10;
/** The most people one selection may hold: the same limit as a CSV file. */
export const DIRECTORY_SELECTION_MAX = CSV_MAX_ROWS;

export interface DirectorySummary {
  id: string;
  name: string;
  /** DirectoryProvider name as Scalekit reports it (OKTA, MICROSOFT_AD, …) */
  provider: string;
  totalUsers: number;
  totalGroups: number;
  lastSyncedAt: string | null;
}

export interface DirectoryGroupView {
  id: string;
  displayName: string;
  /** Members as Scalekit counts them */
  totalUsers: number;
}

export interface DirectoryUserView {
  id: string;
  email: string;
  name: string | null;
  groupIds: string[];
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw ScalekitCallError.from(error);
  }
}

const PROVIDER_NAMES = [
  'UNSPECIFIED',
  'OKTA',
  'GOOGLE',
  'MICROSOFT_AD',
  'AUTH0',
  'ONELOGIN',
  'JUMPCLOUD',
  'PING_IDENTITY',
] as const satisfies readonly string[];

/**
 * The organization's connected directory: the first ENABLED one ListDirectories returns. (The
 * SDK's getPrimaryDirectoryByOrganizationId returns the first one even when it is a disabled draft,
 * and rejects with a bare string when there is none, so it is not used.) Null when none is
 * connected.
 */
async function findDirectory(organizationId: string): Promise<DirectorySummary | null> {
  const { directories } = await call(() => getScalekit().directory.listDirectories(organizationId));
  const d = directories.find((x) => x.enabled);
  if (!d) return null;
  return {
    id: d.id,
    name: d.name,
    provider: PROVIDER_NAMES[d.directoryProvider] ?? 'UNSPECIFIED',
    totalUsers: d.totalUsers,
    totalGroups: d.totalGroups,
    lastSyncedAt: d.lastSyncedAt ? timestampDate(d.lastSyncedAt).toISOString() : null,
  };
}

async function requireDirectory(organizationId: string): Promise<DirectorySummary> {
  const directory = await findDirectory(organizationId);
  if (!directory) throw new AppError('directory_not_connected');
  return directory;
}

function userView(u: DirectoryUser): DirectoryUserView {
  const name = [u.givenName, u.familyName].filter(Boolean).join(' ') || u.preferredUsername || null;
  return { id: u.id, email: (u.email || u.emails[0] || '').trim(), name, groupIds: u.groups.map((g) => g.id) };
}

/** The connected directory and its groups (with member counts), for the picker. Null when no directory is connected. */
export async function directoryOverview(
  actor: Actor,
  organizationId: string,
): Promise<{ directory: DirectorySummary; groups: DirectoryGroupView[]; moreGroups: boolean } | null> {
  assertCan(actor, organizationId, 'members:invite');
  const directory = await findDirectory(organizationId);
  if (!directory) return null;
  const { groups, complete } = await listGroups(organizationId, directory.id, MAX_GROUP_PAGES);
  return { directory, groups, moreGroups: !complete };
}

async function listGroups(organizationId: string, directoryId: string, maxPages: number) {
  const groups: DirectoryGroupView[] = [];
  let pageToken = '';
  for (let page = 0; page < maxPages; page++) {
    const res = await call(() =>
      getScalekit().directory.listDirectoryGroups(organizationId, directoryId, {
        pageSize: DIRECTORY_PAGE_SIZE,
        ...(pageToken ? { pageToken } : {}),
      }),
    );
    for (const g of res.groups) groups.push({ id: g.id, displayName: g.displayName, totalUsers: g.totalUsers });
    if (!res.nextPageToken) return { groups, complete: true };
    pageToken = res.nextPageToken;
  }
  return { groups, complete: false };
}

/** Where a page of the picker ends: the directory page it was in and how far into it. Bound to its query and group. */
interface Cursor {
  t: string;
  o: number;
  q: string;
  g: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string, query: string, groupId: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof c.t === 'string' && Number.isInteger(c.o) && (c.o as number) >= 0 && c.q === query && c.g === groupId) return c as Cursor;
  } catch {
    // fall through: any unreadable cursor gets the same answer
  }
  throw new AppError('invalid_cursor', 'That list position does not match this search any more. Search again.');
}

export function matchesQuery(user: DirectoryUserView, query: string): boolean {
  if (!query) return true;
  return user.email.toLowerCase().includes(query) || (user.name ?? '').toLowerCase().includes(query);
}

export interface DirectoryUserPage {
  users: DirectoryUserView[];
  /** Pass back for the next page; null at the end. */
  nextCursor: string | null;
  /** People in the directory (or the group) as Scalekit counts them; the matches of a search are not counted ahead. */
  totalSize: number;
}

/**
 * One page of the picker's people: the directory's (or one group's) users whose name or email
 * contains `query`, PICKER_PAGE at a time.
 */
export async function searchDirectoryUsers(
  actor: Actor,
  organizationId: string,
  options: { query?: string; groupId?: string; cursor?: string | null } = {},
): Promise<DirectoryUserPage> {
  assertCan(actor, organizationId, 'members:invite');
  const query = (options.query ?? '').trim().toLowerCase();
  const groupId = options.groupId ?? '';
  const directory = await requireDirectory(organizationId);
  const start = options.cursor ? decodeCursor(options.cursor, query, groupId) : { t: '', o: 0, q: query, g: groupId };
  const users: DirectoryUserView[] = [];
  let token = start.t;
  let skip = start.o;
  let totalSize = 0;
  for (let page = 0; page < SEARCH_PAGES_PER_REQUEST; page++) {
    const res = await call(() =>
      getScalekit().directory.listDirectoryUsers(organizationId, directory.id, {
        pageSize: DIRECTORY_PAGE_SIZE,
        ...(token ? { pageToken: token } : {}),
        ...(groupId ? { directoryGroupId: groupId } : {}),
      }),
    );
    totalSize = res.totalSize;
    for (let i = skip; i < res.users.length; i++) {
      const user = userView(res.users[i]!);
      if (!matchesQuery(user, query)) continue;
      users.push(user);
      if (users.length === PICKER_PAGE) {
        const next = i + 1 < res.users.length ? { t: token, o: i + 1 } : res.nextPageToken ? { t: res.nextPageToken, o: 0 } : null;
        return { users, totalSize, nextCursor: next ? encodeCursor({ ...next, q: query, g: groupId }) : null };
      }
    }
    skip = 0;
    if (!res.nextPageToken) return { users, totalSize, nextCursor: null };
    token = res.nextPageToken;
  }
  // Read as many pages as one request may: the rest of the directory is the next "page".
  return { users, totalSize, nextCursor: encodeCursor({ t: token, o: 0, q: query, g: groupId }) };
}

/** Every user of the directory (or of one group), with include_detail so a deactivated one can be told apart. */
async function* allUsers(organizationId: string, directoryId: string, groupId?: string): AsyncGenerator<DirectoryUser> {
  let pageToken = '';
  for (;;) {
    const res = await call(() =>
      getScalekit().directory.listDirectoryUsers(organizationId, directoryId, {
        pageSize: DIRECTORY_PAGE_SIZE,
        includeDetail: true,
        ...(pageToken ? { pageToken } : {}),
        ...(groupId ? { directoryGroupId: groupId } : {}),
      }),
    );
    yield* res.users;
    if (!res.nextPageToken) return;
    pageToken = res.nextPageToken;
  }
}

export interface DirectorySelection {
  /** Directory user ids (diruser_…) picked one by one */
  userIds: string[];
  /** Directory group ids (dirgroup_…): each stands for all its members at preview time */
  groupIds: string[];
  /** A role for the whole selection; omitted: the organization's default role. */
  role?: string | null;
}

/** SCIM's `active: false` (a deprovisioned user Scalekit still lists) reaches us in user_detail. */
function deactivated(u: DirectoryUser): boolean {
  return u.userDetail?.active === false;
}

/**
 * Resolve the selection through Scalekit and store it as a bulk invitation job (source
 * `directory`), previewed with the same per-row checks as a CSV. Groups expand to their members
 * now; a person picked alone and through a group, or in two groups, is one row. An id that is not
 * in the connected directory (a tampered request, or a group removed since the list was loaded)
 * refuses the whole selection and stores nothing.
 */
export async function previewDirectoryInvite(actor: Actor, organizationId: string, selection: DirectorySelection): Promise<BulkJobView> {
  assertCan(actor, organizationId, 'members:invite');
  const groupIds = [...new Set(selection.groupIds)];
  const userIds = [...new Set(selection.userIds)];
  if (!groupIds.length && !userIds.length) throw new AppError('directory_selection_empty');
  const directory = await requireDirectory(organizationId);

  const roles = await organizationRoles(organizationId);
  // The admin's choice for the whole selection must be a role there is; whether they may grant it is each row's check, as for a CSV.
  const chosenRole = selection.role ? findRole(roles, selection.role).name : (roles.find((r) => r.isDefault)?.name ?? DEFAULT_ROLE);

  const { groups } = await listGroups(organizationId, directory.id, Number.POSITIVE_INFINITY);
  const known = new Set(groups.map((g) => g.id));
  const unknownGroups = groupIds.filter((id) => !known.has(id));
  if (unknownGroups.length) {
    throw new AppError(
      'directory_selection_invalid',
      `${unknownGroups.length === 1 ? 'One group you picked is' : `${unknownGroups.length} groups you picked are`} not in ${directory.name || 'the directory'} (removed since the list was loaded?). Reload the list and pick again.`,
    );
  }

  const picked = new Map<string, DirectoryUser>();
  const add = (u: DirectoryUser) => {
    if (picked.has(u.id)) return;
    picked.set(u.id, u);
    if (picked.size > DIRECTORY_SELECTION_MAX) {
      throw new AppError(
        'directory_selection_too_large',
        `That selection has more than ${DIRECTORY_SELECTION_MAX.toLocaleString('en-US')} people; one bulk invitation holds at most ${DIRECTORY_SELECTION_MAX.toLocaleString('en-US')}. Pick fewer groups.`,
      );
    }
  };
  for (const groupId of groupIds) for await (const u of allUsers(organizationId, directory.id, groupId)) add(u);
  const wanted = new Set(userIds.filter((id) => !picked.has(id)));
  if (wanted.size) {
    // ListDirectoryUsers is the only way to read a directory user (there is no GetDirectoryUser): read it all once.
    for await (const u of allUsers(organizationId, directory.id)) {
      if (!wanted.delete(u.id)) continue;
      add(u);
      if (!wanted.size) break;
    }
  }
  if (wanted.size) {
    throw new AppError(
      'directory_selection_invalid',
      `${wanted.size === 1 ? 'One person you picked is' : `${wanted.size} people you picked are`} not in ${directory.name || 'the directory'} (removed since the list was loaded?). Reload the list and pick again.`,
    );
  }

  const roleFor = await directoryRoleFor(organizationId);
  const rows: BulkRowInput[] = [...picked.values()].map((u) => {
    const view = userView(u);
    return {
      email: view.email,
      name: view.name,
      role: roleFor({ id: u.id, groupIds: view.groupIds }) ?? chosenRole,
      ...(deactivated(u) ? { error: 'Deactivated in the directory: not invited.' } : {}),
    };
  });
  return previewBulkRows(actor, organizationId, rows, { source: 'directory' });
}
