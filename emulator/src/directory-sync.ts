import type { Directory } from './directory.js';
import { forgetGroupSizes } from './directory-sizes.js';
import { requireOrganization, isValidEmail, normalizeEmail } from './directory.js';
import { EmulatorError, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import type { DirectoryGroupRecord, DirectoryRecord, DirectoryUserRecord } from './state.js';

// A directory's users and groups changing at run time, the way a customer's IdP pushes SCIM
// requests to Scalekit, and the directory webhooks Scalekit sends for each change.
//
// Events and payloads: developer-docs src/components/templates/_directory-events.mdx (rendered as
// /directory/reference/directory-events) and openapi/scalekit.yaml `webhooks:`
// (DirectoryUserEventData, DirectoryGroupEventData; vendored in test/contract/scalekit/webhooks.json):
// organization.directory.user_created | user_updated | user_deleted and group_created |
// group_updated | group_deleted. Scalekit documents no "group membership" event: a user joining or
// leaving a group is a user_updated whose `groups` lists the user's groups now. Deleting a group
// "removes it from every affected member" (the note at the end of _directory-events.mdx): one
// group_deleted, no per-user events.
//
// These directory users are the directory's records, not Scalekit users: an app that follows the
// events (or lists the directory) decides what they become (docs/directory-sync.md).

/** Directory events still to be dropped (never delivered) per dispatcher: the reconcile test's fault. */
const dropping = new WeakMap<object, { remaining: number; dropped: number }>();

/** Drops the next `count` directory events (organization.directory.*), as if Scalekit's delivery had lost them. */
export function dropDirectoryEvents(dir: Directory, count: number): { remaining: number } {
  const entry = dropping.get(dir.webhooks) ?? { remaining: 0, dropped: 0 };
  entry.remaining = count;
  dropping.set(dir.webhooks, entry);
  return { remaining: entry.remaining };
}

export function droppedDirectoryEvents(dir: Directory): { remaining: number; dropped: number } {
  return dropping.get(dir.webhooks) ?? { remaining: 0, dropped: 0 };
}

function emitDirectoryEvent(dir: Directory, type: string, data: Record<string, unknown>): void {
  const drop = dropping.get(dir.webhooks);
  if (drop && drop.remaining > 0) {
    drop.remaining--;
    drop.dropped++;
    return;
  }
  dir.webhooks.emit(type, data);
}

// ---- payloads (DirectoryUserEventData / DirectoryGroupEventData) ----------------------------

function userName(u: DirectoryUserRecord): string {
  return [u.givenName, u.familyName].filter(Boolean).join(' ');
}

export function directoryUserEventData(d: DirectoryRecord, u: DirectoryUserRecord) {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    id: u.id,
    organization_id: d.organizationId,
    // The user's id at the IdP (SCIM externalId); the emulator's users were made here, so their own id.
    dp_id: str(u.attributes.externalId) ?? u.id,
    preferred_username: u.preferredUsername,
    email: u.email,
    active: u.active,
    name: userName(u),
    given_name: u.givenName,
    family_name: u.familyName,
    // Scalekit's examples carry roles from the IdP's role attribute; the emulator's directories have none.
    roles: [],
    groups: d.groups.filter((g) => u.groupIds.includes(g.id)).map((g) => ({ id: g.id, name: g.displayName })),
    custom_attributes: {},
    raw_attributes: {},
  };
}

export function directoryGroupEventData(d: DirectoryRecord, g: DirectoryGroupRecord, deleted = false) {
  return {
    directory_id: d.id,
    display_name: g.displayName,
    id: g.id,
    organization_id: d.organizationId,
    // group_deleted's example names the provider's id dp_id; created/updated name it external_id.
    ...(deleted ? { dp_id: g.externalId } : { external_id: g.externalId }),
    raw_attributes: {},
  };
}

// ---- lookups ----------------------------------------------------------------------------------

export function requireDirectoryById(dir: Directory, directoryId: string): DirectoryRecord {
  const d = dir.state.directories.get(directoryId);
  if (!d) throw notFound('DIRECTORY_NOT_FOUND', `directory ${directoryId} not found`);
  requireOrganization(dir.state, d.organizationId);
  return d;
}

function requireDirectoryUser(d: DirectoryRecord, userId: string): DirectoryUserRecord {
  const u = d.users.find((x) => x.id === userId || x.email === normalizeEmail(userId));
  if (!u) throw notFound('DIRECTORY_USER_NOT_FOUND', `user ${userId} not found in directory ${d.id}`);
  return u;
}

function requireGroup(d: DirectoryRecord, groupId: string): DirectoryGroupRecord {
  const g = d.groups.find((x) => x.id === groupId || x.displayName === groupId);
  if (!g) throw notFound('DIRECTORY_GROUP_NOT_FOUND', `group ${groupId} not found in directory ${d.id}`);
  return g;
}

/** Group references by id or display name, each one checked. */
function groupIds(d: DirectoryRecord, refs: readonly string[]): string[] {
  return [...new Set(refs.map((r) => requireGroup(d, r).id))];
}

// ---- changes ----------------------------------------------------------------------------------

export interface DirectoryUserInput {
  email: string;
  givenName?: string | undefined;
  familyName?: string | undefined;
  active?: boolean | undefined;
  /** group ids or display names */
  groups?: readonly string[] | undefined;
}

function newDirectoryUser(d: DirectoryRecord, input: DirectoryUserInput, now: Date): DirectoryUserRecord {
  const email = normalizeEmail(input.email ?? '');
  if (!isValidEmail(email)) throw invalid('INVALID_EMAIL', `"${input.email}" is not a valid email address`);
  if (d.users.some((u) => u.email === email)) {
    // SCIM: a userName/email that exists is a 409 (RFC 7644 3.3 "uniqueness").
    throw new EmulatorError('ALREADY_EXISTS', 'DIRECTORY_USER_ALREADY_EXISTS', `${email} is already in directory ${d.id}`);
  }
  return {
    id: newId('diruser'),
    email,
    givenName: input.givenName ?? '',
    familyName: input.familyName ?? '',
    preferredUsername: email,
    active: input.active ?? true,
    groupIds: groupIds(d, input.groups ?? []),
    attributes: {},
    updatedAt: now,
  };
}

function touched(dir: Directory, d: DirectoryRecord, now: Date): void {
  forgetGroupSizes(d);
  d.updatedAt = now;
  d.lastSyncedAt = now;
  dir.changed();
}

export function createDirectoryUser(dir: Directory, directoryId: string, input: DirectoryUserInput): DirectoryUserRecord {
  const d = requireDirectoryById(dir, directoryId);
  const now = new Date();
  const u = newDirectoryUser(d, input, now);
  d.users.push(u);
  emitDirectoryEvent(dir, 'organization.directory.user_created', directoryUserEventData(d, u));
  touched(dir, d, now);
  return u;
}

export interface DirectoryUserPatch {
  givenName?: string | undefined;
  familyName?: string | undefined;
  active?: boolean | undefined;
  /** the user's groups after the change (ids or display names) */
  groups?: readonly string[] | undefined;
  email?: string | undefined;
}

export function updateDirectoryUser(dir: Directory, directoryId: string, userId: string, patch: DirectoryUserPatch): DirectoryUserRecord {
  const d = requireDirectoryById(dir, directoryId);
  const u = requireDirectoryUser(d, userId);
  if (patch.email !== undefined && normalizeEmail(patch.email) !== u.email) {
    // "Scalekit treats email as an immutable, unique identifier. If a directory attempts to update a
    // user's email, the SCIM update request will be rejected." (developer-docs
    // src/content/docs/authenticate/manage-users-orgs/scim-provisioning.mdx:142-143)
    throw invalid('EMAIL_IMMUTABLE', 'a directory user’s email cannot be changed');
  }
  const groups = patch.groups === undefined ? u.groupIds : groupIds(d, patch.groups);
  if (patch.givenName !== undefined) u.givenName = patch.givenName;
  if (patch.familyName !== undefined) u.familyName = patch.familyName;
  if (patch.active !== undefined) u.active = patch.active;
  u.groupIds = groups;
  const now = new Date();
  u.updatedAt = now;
  emitDirectoryEvent(dir, 'organization.directory.user_updated', directoryUserEventData(d, u));
  touched(dir, d, now);
  return u;
}

/** SCIM DELETE of a user: gone from the directory, one user_deleted (id, organization_id, dp_id, email). */
export function deleteDirectoryUser(dir: Directory, directoryId: string, userId: string): DirectoryUserRecord {
  const d = requireDirectoryById(dir, directoryId);
  const u = requireDirectoryUser(d, userId);
  d.users = d.users.filter((x) => x !== u);
  const full = directoryUserEventData(d, u);
  emitDirectoryEvent(dir, 'organization.directory.user_deleted', {
    id: full.id,
    organization_id: full.organization_id,
    dp_id: full.dp_id,
    email: full.email,
  });
  touched(dir, d, new Date());
  return u;
}

export function createDirectoryGroup(dir: Directory, directoryId: string, input: { displayName: string }): DirectoryGroupRecord {
  const d = requireDirectoryById(dir, directoryId);
  const displayName = (input.displayName ?? '').trim();
  if (!displayName) throw invalid('INVALID_GROUP_NAME', 'displayName is required');
  if (d.groups.some((g) => g.displayName === displayName)) {
    throw new EmulatorError('ALREADY_EXISTS', 'DIRECTORY_GROUP_ALREADY_EXISTS', `a group "${displayName}" is already in directory ${d.id}`);
  }
  const now = new Date();
  const id = newId('dirgroup');
  const g: DirectoryGroupRecord = { id, displayName, externalId: id, updatedAt: now };
  d.groups.push(g);
  emitDirectoryEvent(dir, 'organization.directory.group_created', directoryGroupEventData(d, g));
  touched(dir, d, now);
  return g;
}

export function updateDirectoryGroup(
  dir: Directory,
  directoryId: string,
  groupId: string,
  input: { displayName: string },
): DirectoryGroupRecord {
  const d = requireDirectoryById(dir, directoryId);
  const g = requireGroup(d, groupId);
  const displayName = (input.displayName ?? '').trim();
  if (!displayName) throw invalid('INVALID_GROUP_NAME', 'displayName is required');
  g.displayName = displayName;
  const now = new Date();
  g.updatedAt = now;
  emitDirectoryEvent(dir, 'organization.directory.group_updated', directoryGroupEventData(d, g));
  touched(dir, d, now);
  return g;
}

/** The group goes from every member too ("Deleting a directory group removes it from every affected member"). */
export function deleteDirectoryGroup(dir: Directory, directoryId: string, groupId: string): DirectoryGroupRecord {
  const d = requireDirectoryById(dir, directoryId);
  const g = requireGroup(d, groupId);
  const now = new Date();
  d.groups = d.groups.filter((x) => x !== g);
  for (const u of d.users) {
    if (u.groupIds.includes(g.id)) {
      u.groupIds = u.groupIds.filter((id) => id !== g.id);
      u.updatedAt = now;
    }
  }
  emitDirectoryEvent(dir, 'organization.directory.group_deleted', directoryGroupEventData(d, g, true));
  touched(dir, d, now);
  return g;
}

/** Adds users to and removes users from a group: a user_updated for each user whose groups changed. */
export function changeGroupMembers(
  dir: Directory,
  directoryId: string,
  groupId: string,
  change: { add?: readonly string[] | undefined; remove?: readonly string[] | undefined },
): DirectoryUserRecord[] {
  const d = requireDirectoryById(dir, directoryId);
  const g = requireGroup(d, groupId);
  // Check every reference before changing anything.
  const add = (change.add ?? []).map((r) => requireDirectoryUser(d, r));
  const remove = (change.remove ?? []).map((r) => requireDirectoryUser(d, r));
  const now = new Date();
  const changed = new Set<DirectoryUserRecord>();
  for (const u of add) {
    if (!u.groupIds.includes(g.id)) {
      u.groupIds = [...u.groupIds, g.id];
      changed.add(u);
    }
  }
  for (const u of remove) {
    if (u.groupIds.includes(g.id)) {
      u.groupIds = u.groupIds.filter((id) => id !== g.id);
      changed.add(u);
    }
  }
  for (const u of changed) {
    u.updatedAt = now;
    emitDirectoryEvent(dir, 'organization.directory.user_updated', directoryUserEventData(d, u));
  }
  if (changed.size) touched(dir, d, now);
  return [...changed];
}

export interface BulkDirectoryInput {
  /** Groups to create (display names); existing names are reused. */
  groups?: readonly string[] | undefined;
  /** Explicit users. */
  users?: readonly DirectoryUserInput[] | undefined;
  /** Or generated ones: `count` users named user<i>@<domain>, spread over `groups` round-robin. */
  generate?: { count: number; domain: string; prefix?: string | undefined } | undefined;
  /** False: no webhooks (a directory's initial import for a benchmark, which the app then reconciles). */
  events?: boolean | undefined;
}

export const MAX_BULK_USERS = 20_000;

/**
 * Many users and groups at once (tests and benchmarks): everything is checked before anything
 * changes, then each change sends its event as the single-item endpoints would.
 */
export function bulkLoadDirectory(dir: Directory, directoryId: string, input: BulkDirectoryInput) {
  const d = requireDirectoryById(dir, directoryId);
  const now = new Date();
  const emit = input.events !== false;
  const newGroups: DirectoryGroupRecord[] = [];
  for (const name of new Set((input.groups ?? []).map((n) => n.trim()).filter(Boolean))) {
    if (d.groups.some((g) => g.displayName === name)) continue;
    const id = newId('dirgroup');
    newGroups.push({ id, displayName: name, externalId: id, updatedAt: now });
  }
  const allGroups = [...d.groups, ...newGroups];
  const byRef = new Map<string, string>();
  for (const g of allGroups) byRef.set(g.id, g.id).set(g.displayName, g.id);
  const inputs: DirectoryUserInput[] = [...(input.users ?? [])];
  if (input.generate) {
    const { count, domain, prefix = 'user' } = input.generate;
    const names = (input.groups ?? []).filter(Boolean);
    for (let i = 1; i <= count; i++) {
      inputs.push({
        email: `${prefix}${i}@${domain}`,
        givenName: 'User',
        familyName: String(i),
        groups: names.length ? [names[(i - 1) % names.length]!] : [],
      });
    }
  }
  if (inputs.length > MAX_BULK_USERS) throw invalid('TOO_MANY_USERS', `at most ${MAX_BULK_USERS} users per call`);
  const seen = new Set(d.users.map((u) => u.email));
  const users: DirectoryUserRecord[] = [];
  for (const i of inputs) {
    const email = normalizeEmail(i.email ?? '');
    if (!isValidEmail(email)) throw invalid('INVALID_EMAIL', `"${i.email}" is not a valid email address`);
    if (seen.has(email))
      throw new EmulatorError('ALREADY_EXISTS', 'DIRECTORY_USER_ALREADY_EXISTS', `${email} is already in directory ${d.id}`);
    seen.add(email);
    const ids = (i.groups ?? []).map((r) => {
      const id = byRef.get(r);
      if (!id) throw notFound('DIRECTORY_GROUP_NOT_FOUND', `group ${r} not found in directory ${d.id}`);
      return id;
    });
    users.push({
      id: newId('diruser'),
      email,
      givenName: i.givenName ?? '',
      familyName: i.familyName ?? '',
      preferredUsername: email,
      active: i.active ?? true,
      groupIds: [...new Set(ids)],
      attributes: {},
      updatedAt: now,
    });
  }
  d.groups.push(...newGroups);
  d.users.push(...users);
  if (emit) {
    for (const g of newGroups) emitDirectoryEvent(dir, 'organization.directory.group_created', directoryGroupEventData(d, g));
    for (const u of users) emitDirectoryEvent(dir, 'organization.directory.user_created', directoryUserEventData(d, u));
  }
  touched(dir, d, now);
  return { groups: newGroups, users };
}
