import { revokeKeysCreatedBy } from '@/lib/api-keys/service';
import type { Actor } from '@/lib/auth/actor';
import { actorCan, assertCan, assertCanGrantRole } from '@/lib/auth/authorize';
import { grantedPermissions, resolvePermissions, ROLE_NAME_PATTERN, roleLabel } from '@/lib/auth/permissions';
import { membershipIn as scalekitMembershipIn, type ScalekitUserLike } from '@/lib/invitations/scalekit-membership';
import { grantableRole, organizationRoles, type RoleDefinition } from '@/lib/roles/catalogue';
import { recordAudit, recordAudits, type AuditEntry } from '@/lib/audit/record';
import { runPool } from '@/lib/concurrency/worker-pool';
import { db } from '@/lib/db';
import { Prisma, type Membership, type MembershipStatus, type SyncState } from '@/lib/generated/prisma/client';
import { errorForLog, log } from '@/lib/log';
import { AppError, ForbiddenError } from '@/lib/errors/app-error';
import { effectiveStatus } from '@/lib/members/status';
import { decodeCursor, keysetPage, keysetSql, type Cursor, type KeysetPage } from '@/lib/pagination/keyset';
import { decodeNullableCursor, nullableKeysetPage, type NullableCursor, type NullableOrder } from '@/lib/pagination/nullable-keyset';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { revokeUserSessions } from '@/lib/session/store';
import { lockEntity, membershipVersionKey, readEntityVersion, writeEntityVersion } from '@/lib/webhooks/entity-versions';
import { ScalekitNotFoundException } from '@scalekit-sdk/node';

/**
 * The team: listing members and invitations from the PostgreSQL mirror, changing roles and
 * removing members. Every function takes the Actor a guard resolved and checks it first; ids
 * from the client are always looked up inside the actor's organization, so an edited id from
 * another organization is a 404, never an action.
 */

export const MEMBER_STATUS_FILTERS = ['active', 'pending', 'expired', 'inactive'] as const;
export type MemberStatusFilter = (typeof MEMBER_STATUS_FILTERS)[number];

/** "Inactive for N days": members whose last sign-in here is at least N days old, or who never signed in. */
export const INACTIVE_DAYS = [30, 60, 90] as const;
export type InactiveDays = (typeof INACTIVE_DAYS)[number];

/** Newest members first (no `sort`), or by last sign-in: most recent first / longest ago (and never) first. */
export const MEMBER_SORTS = ['last_sign_in_desc', 'last_sign_in_asc'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
export const MAX_QUERY_LENGTH = 100;

export interface ListMembersInput {
  /** Substring of the email or name, case-insensitive */
  q?: string;
  status?: MemberStatusFilter;
  /** A role name (any of the organization's roles) */
  role?: string;
  inactiveDays?: InactiveDays;
  sort?: MemberSort;
  /** From a previous page's nextCursor / prevCursor (of the same sort) */
  cursor?: string;
  limit?: number;
}

/** What the team page shows for one membership. No tokens, nothing secret. */
export interface MemberRow {
  id: string;
  userId: string | null;
  email: string;
  name: string | null;
  role: string;
  /** As shown: a pending invitation past its expiry reads INVITE_EXPIRED */
  status: MembershipStatus;
  syncState: SyncState;
  syncError: string | null;
  inviterEmail: string | null;
  invitedAt: Date | null;
  acceptedAt: Date | null;
  expiresAt: Date | null;
  resentCount: number;
  /** Latest sign-in to this organization (lib/members/sign-ins.ts); null = never */
  lastSignInAt: Date | null;
  /** How (lib/auth/auth-method.ts describeAuthMethod); null when unknown */
  lastSignInMethod: string | null;
  createdAt: Date;
}

export interface MemberPage extends KeysetPage<MemberRow> {
  /** Rows matching the filters, all pages */
  total: number;
}

export interface SeatUsage {
  /** ACTIVE members + live (unexpired) invitations: what Scalekit counts against the limit */
  used: number;
  /** null = unlimited */
  limit: number | null;
}

/** A row as stored: the same fields as MemberRow, but `status` is the raw stored one. */
type MembershipRecord = MemberRow;

function toRow(record: MembershipRecord, now: Date): MemberRow {
  return { ...record, status: effectiveStatus(record, now) };
}

interface ListFilters {
  q: string | null;
  status: MemberStatusFilter | null;
  role: string | null;
  inactiveDays: InactiveDays | null;
}

type ListCursor = { sort: null; cursor: Cursor | null } | { sort: MemberSort; cursor: NullableCursor | null };

const SIGN_IN_SCOPE = 'last_sign_in';

function signInOrder(sort: MemberSort): NullableOrder {
  return sort === 'last_sign_in_asc' ? 'asc' : 'desc';
}

function normalizeListInput(input: ListMembersInput): ListFilters & { order: ListCursor; limit: number } {
  const q = input.q?.trim() ?? '';
  if (q.length > MAX_QUERY_LENGTH) throw new AppError('invalid_input', `Search text can be at most ${MAX_QUERY_LENGTH} characters.`);
  if (input.status !== undefined && !(MEMBER_STATUS_FILTERS as readonly string[]).includes(input.status)) {
    throw new AppError('invalid_input', `Status must be one of ${MEMBER_STATUS_FILTERS.join(', ')}.`);
  }
  if (input.role !== undefined && !ROLE_NAME_PATTERN.test(input.role)) throw new AppError('unknown_role', 'Unknown role filter.');
  if (input.inactiveDays !== undefined && !(INACTIVE_DAYS as readonly number[]).includes(input.inactiveDays)) {
    throw new AppError('invalid_input', `Inactive days must be one of ${INACTIVE_DAYS.join(', ')}.`);
  }
  if (input.sort !== undefined && !(MEMBER_SORTS as readonly string[]).includes(input.sort)) {
    throw new AppError('invalid_input', `Sort must be one of ${MEMBER_SORTS.join(', ')}.`);
  }
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new AppError('invalid_input', `Page size must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const sort = input.sort ?? null;
  const given = input.cursor !== undefined && input.cursor !== '' ? input.cursor : null;
  // A cursor is bound to its sort (each kind decodes only its own): one from another order is refused, not misread.
  const order: ListCursor = sort
    ? { sort, cursor: given === null ? null : decodeNullableCursor(given, SIGN_IN_SCOPE, signInOrder(sort)) }
    : { sort, cursor: given === null ? null : decodeCursor(given) };
  if (given !== null && !order.cursor) {
    throw new AppError('invalid_cursor', 'That page link is not valid any more. Start again from the first page.');
  }
  return { q: q || null, status: input.status ?? null, role: input.role ?? null, inactiveDays: input.inactiveDays ?? null, order, limit };
}

/** LIKE pattern matching `text` literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function filterSql(organizationId: string, f: ListFilters, now: Date): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`"organizationId" = ${organizationId}`];
  switch (f.status) {
    case 'active':
      parts.push(Prisma.sql`"status" = 'ACTIVE'`);
      break;
    case 'inactive':
      parts.push(Prisma.sql`"status" = 'INACTIVE'`);
      break;
    case 'pending':
      parts.push(Prisma.sql`"status" = 'PENDING_INVITE' AND ("expiresAt" IS NULL OR "expiresAt" > ${now})`);
      break;
    case 'expired':
      parts.push(Prisma.sql`("status" = 'INVITE_EXPIRED' OR ("status" = 'PENDING_INVITE' AND "expiresAt" <= ${now}))`);
      break;
  }
  if (f.role) parts.push(Prisma.sql`"role" = ${f.role}`);
  if (f.inactiveDays) {
    // Members only: an invitation nobody has accepted yet is not someone who stopped signing in.
    const cutoff = new Date(now.getTime() - f.inactiveDays * DAY_MS);
    parts.push(
      Prisma.sql`"status" IN ('ACTIVE', 'INACTIVE') AND "syncState" = 'SYNCED' AND ("lastSignInAt" IS NULL OR "lastSignInAt" <= ${cutoff})`,
    );
  }
  if (f.q) {
    const pattern = containsPattern(f.q.toLowerCase());
    parts.push(Prisma.sql`("email" LIKE ${pattern} OR lower(coalesce("name", '')) LIKE ${pattern})`);
  }
  return Prisma.join(parts, ' AND ');
}

const SELECT_COLUMNS = Prisma.sql`"id", "userId", "email", "name", "role", "status", "syncState", "syncError", "inviterEmail",
  "invitedAt", "acceptedAt", "expiresAt", "resentCount", "lastSignInAt", "lastSignInMethod", "createdAt"`;

/**
 * One page of the organization's memberships, newest first, from the mirror, keyset-paginated
 * on (createdAt desc, id desc) (lib/pagination/keyset.ts: why row values and raw SQL) over the
 * Membership(organizationId[, status|role], createdAt, id) indexes, with how many match in all.
 * Sorted by last sign-in, on (lastSignInAt, id) over Membership(organizationId, lastSignInAt, id)
 * (lib/pagination/nullable-keyset.ts: never-signed-in reads as the longest ago).
 */
export async function listMembers(
  actor: Actor,
  organizationId: string,
  input: ListMembersInput = {},
  now: Date = new Date(),
): Promise<MemberPage> {
  assertCan(actor, organizationId, 'members:read');
  // Bad input is refused here, before either query starts.
  const filters = normalizeListInput(input);
  const [page, total] = await Promise.all([listMembersPage(actor, organizationId, input, now), countMembers(organizationId, filters, now)]);
  return { ...page, total };
}

/** listMembers without the total: for readers that walk every page (the members export). */
export async function listMembersPage(
  actor: Actor,
  organizationId: string,
  input: ListMembersInput = {},
  now: Date = new Date(),
): Promise<KeysetPage<MemberRow>> {
  assertCan(actor, organizationId, 'members:read');
  const { order, limit, ...filters } = normalizeListInput(input);
  const where = filterSql(organizationId, filters, now);
  let page: KeysetPage<MembershipRecord>;
  if (order.sort) {
    page = await nullableKeysetPage<MembershipRecord>(db, {
      scope: SIGN_IN_SCOPE,
      order: signInOrder(order.sort),
      select: SELECT_COLUMNS,
      from: Prisma.sql`"Membership"`,
      where,
      column: 'lastSignInAt',
      cursor: order.cursor,
      limit,
    });
  } else {
    const keyset = keysetSql(order.cursor);
    const fetched = await db.$queryRaw<
      MembershipRecord[]
    >`SELECT ${SELECT_COLUMNS} FROM "Membership" WHERE ${where} ${keyset.where} ${keyset.orderBy} LIMIT ${limit + 1}`;
    page = keysetPage(fetched, limit, order.cursor);
  }
  // Why a sync failed is operational detail for the people who can retry it, not for every member.
  const seesSyncErrors = actorCan(actor, 'members:manage');
  return { ...page, rows: page.rows.map((r) => toRow(seesSyncErrors ? r : { ...r, syncError: null }, now)) };
}

/**
 * Every membership matching the team page's filters, newest first, up to `limit`: what "select
 * all matching" means for a bulk action (lib/members/bulk-actions.ts). Same filters, same SQL.
 */
export async function matchingMemberships(
  organizationId: string,
  input: Omit<ListMembersInput, 'cursor' | 'limit'>,
  limit: number,
  now: Date = new Date(),
): Promise<Membership[]> {
  const { q, status, role, inactiveDays } = normalizeListInput(input);
  return db.$queryRaw<Membership[]>`
    SELECT * FROM "Membership" WHERE ${filterSql(organizationId, { q, status, role, inactiveDays }, now)} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}`;
}

async function countMembers(organizationId: string, filters: ListFilters, now: Date): Promise<number> {
  const counted = await db.$queryRaw<
    Array<{ count: bigint }>
  >`SELECT count(*) AS count FROM "Membership" WHERE ${filterSql(organizationId, filters, now)}`;
  return Number(counted[0]?.count ?? 0);
}

/** Seats used against the organization's limit, counted the way Scalekit counts them. */
export async function getSeatUsage(actor: Actor, organizationId: string, now: Date = new Date()): Promise<SeatUsage> {
  assertCan(actor, organizationId, 'members:read');
  return countSeats(organizationId, now);
}

export async function countSeats(
  organizationId: string,
  now: Date = new Date(),
  client: Pick<Prisma.TransactionClient, 'membership' | 'organization'> = db,
): Promise<SeatUsage> {
  const [used, org] = await Promise.all([
    client.membership.count({
      where: {
        organizationId,
        OR: [{ status: 'ACTIVE' }, { status: 'PENDING_INVITE', OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }],
      },
    }),
    client.organization.findUnique({ where: { id: organizationId }, select: { maxAllowedUsers: true } }),
  ]);
  return { used, limit: org?.maxAllowedUsers ?? null };
}

// Generous: the Scalekit call inside may take its whole timeout plus the SDK's retries.
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

/**
 * Serialises role changes and removals per organization, so two admins demoting each other at
 * the same moment cannot both pass the last-admin check. Held for the transaction only.
 */
export async function lockOrganizationMembers(tx: Prisma.TransactionClient, organizationId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`members:${organizationId}`}))`;
}

async function findMembershipInOrg(tx: Prisma.TransactionClient, organizationId: string, membershipId: string) {
  if (typeof membershipId !== 'string' || membershipId.length === 0 || membershipId.length > 64) {
    throw new AppError('not_found', 'That member was not found in this organization.');
  }
  const membership = await tx.membership.findFirst({ where: { id: membershipId, organizationId } });
  if (!membership) throw new AppError('not_found', 'That member was not found in this organization.');
  return membership;
}

/**
 * Who keeps the organization manageable: ACTIVE members whose role can manage members. The last
 * one may not be removed or lose that permission, whatever their role is called.
 */
export async function otherActiveAdmins(tx: Prisma.TransactionClient, organizationId: string, exceptId: string): Promise<number> {
  return tx.membership.count({
    where: { organizationId, status: 'ACTIVE', permissions: { has: 'members:manage' }, id: { not: exceptId } },
  });
}

export function managesMembers(m: { status: string; permissions: readonly string[] }): boolean {
  return m.status === 'ACTIVE' && m.permissions.includes('members:manage');
}

/**
 * Changing or removing someone is handing out their role in reverse: nobody acts on a member
 * whose role grants more than their own (a member who may manage members cannot demote the admin
 * who can also change settings).
 */
export function assertCanActOn(actor: Actor, organizationId: string, target: { role: string; permissions: readonly string[] }): void {
  assertCanGrantRole(actor, organizationId, {
    name: target.role,
    displayName: roleLabel(target.role),
    permissions: grantedPermissions(target.permissions),
    permissionsKnown: true,
  });
}

export function keyForAudit(key: { id: string; prefix: string; name: string }) {
  return { id: key.id, prefix: key.prefix, name: key.name };
}

export const LAST_ADMIN_MESSAGE =
  'This is the last admin of the organization (the last member whose role can manage members). Make someone else an admin first, so the organization is never left without one.';

const LAST_ADMIN_LEAVING_MESSAGE =
  'You are the last admin of this organization (the last member whose role can manage members). Make someone else an admin before you leave.';

export interface RoleChange {
  membership: MemberRow;
  previousRole: string;
  /** The new role's display name, lower-cased for a sentence ("an admin" reads better, but roles are named by people) */
  roleLabel: string;
  changed: boolean;
}

/**
 * Give a member (or a pending invitation) another role, in Scalekit and in the mirror.
 *
 * Only a change that takes away the last manager can break the organization, so only a
 * manager's demotion waits for the organization-wide lock (as removals do); every other change
 * locks its own row alone, which lets a bulk role change run several at once. The decision is
 * made on the locked row: when it turns out to need the organization lock after all (someone
 * made the member an admin meanwhile), the transaction starts again with it, in the same lock
 * order as every other path (organization, then row).
 */
export async function changeRole(actor: Actor, organizationId: string, membershipId: string, role: string): Promise<RoleChange> {
  assertCan(actor, organizationId, 'members:manage');
  const target = grantableRole(actor, organizationId, await organizationRoles(organizationId), role);
  try {
    return await changeRoleLocked(actor, organizationId, membershipId, role, target, false);
  } catch (error) {
    if (!(error instanceof NeedsOrganizationLock)) throw error;
    return changeRoleLocked(actor, organizationId, membershipId, role, target, true);
  }
}

class NeedsOrganizationLock extends Error {}

async function lockMembershipRow(tx: Prisma.TransactionClient, organizationId: string, membershipId: string): Promise<void> {
  if (typeof membershipId !== 'string' || membershipId.length === 0 || membershipId.length > 64) return;
  await tx.$queryRaw`SELECT 1 FROM "Membership" WHERE "id" = ${membershipId} AND "organizationId" = ${organizationId} FOR UPDATE`;
}

async function changeRoleLocked(
  actor: Actor,
  organizationId: string,
  membershipId: string,
  role: string,
  target: RoleDefinition,
  organizationLocked: boolean,
): Promise<RoleChange> {
  const label = target.displayName.toLowerCase();
  return db.$transaction(async (tx) => {
    if (organizationLocked) await lockOrganizationMembers(tx, organizationId);
    await lockMembershipRow(tx, organizationId, membershipId);
    const current = await findMembershipInOrg(tx, organizationId, membershipId);
    if (current.role === role)
      return { membership: toRow(current, new Date()), previousRole: current.role, roleLabel: label, changed: false };
    assertCanActOn(actor, organizationId, current);
    if (!current.userId || current.syncState === 'SENDING') {
      throw new AppError('not_synced', 'This invitation is still being sent. Try again in a moment.', { retryable: true });
    }
    // A role whose permissions are unknown may not manage members: the cautious reading here.
    const keepsManaging = target.permissionsKnown && target.permissions.includes('members:manage');
    if (managesMembers(current) && !keepsManaging) {
      if (!organizationLocked) throw new NeedsOrganizationLock();
      if ((await otherActiveAdmins(tx, organizationId, current.id)) === 0) throw new AppError('last_admin', LAST_ADMIN_MESSAGE);
    }

    let permissions: string[];
    try {
      const answer = await getScalekit().user.updateMembership(organizationId, current.userId, { roles: [role] });
      // Scalekit's answer carries the membership's new effective permissions; the role's, when it does not.
      const fromScalekit = answer.user && scalekitMembershipIn(answer.user as unknown as ScalekitUserLike, organizationId);
      permissions = fromScalekit
        ? fromScalekit.permissions
        : target.permissionsKnown
          ? [...target.permissions]
          : resolvePermissions(role, null);
    } catch (error) {
      log.warn({ err: errorForLog(error), organizationId, membershipId }, 'scalekit updateMembership failed');
      throw ScalekitCallError.from(error);
    }
    const updated = await tx.membership.update({
      where: { id: current.id },
      data: { role, permissions, syncState: 'SYNCED', syncError: null },
    });
    // Keys carry none of their creator's rights, but someone who may no longer manage keys must
    // not keep the integrations they control: their keys go with the permission, in this transaction.
    const revokedApiKeys =
      current.permissions.includes('api_keys:manage') && !permissions.includes('api_keys:manage')
        ? await revokeKeysCreatedBy(tx, actor, organizationId, current.userId, 'member_demoted')
        : [];
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'member.role_changed',
        target: { type: 'membership', id: current.id, label: current.email },
        metadata: { from: current.role, to: role, ...(revokedApiKeys.length ? { revokedApiKeys: revokedApiKeys.map(keyForAudit) } : {}) },
      },
      tx,
    );
    return { membership: toRow(updated, new Date()), previousRole: current.role, roleLabel: label, changed: true };
  }, TRANSACTION_OPTIONS);
}

// Answers per write-back transaction: few enough that the mirror follows closely, many enough that
// the per-transaction cost stays small next to the calls (bench/bulk-role-change.ts: 32 → 128 took
// the run from 1.21–1.26× to 1.11–1.13× the raw Scalekit calls).
const ROLE_CHANGES_FLUSH_EVERY = 128;

export type RoleChangeOutcome =
  | { kind: 'changed'; roleLabel: string }
  | { kind: 'unchanged' }
  /** A rule or a state that will not change by retrying soon (AppError with why) */
  | { kind: 'refused'; error: AppError }
  /** Scalekit failed in a way that will pass (rate limit, outage, timeout): try again later */
  | { kind: 'transient'; error: ScalekitCallError };

/**
 * Many role changes at once (bulk member actions), with changeRole's rules checked on each row as
 * it is now, at a cost close to the Scalekit calls alone: the rows are read in one query, the
 * Scalekit calls run `concurrency` at a time with no transaction open, and the mirror rows, key
 * revocations and audit entries are written back in one transaction. A manager's demotion is the
 * one change that needs the organization lock (the last-admin rule), so those go one by one
 * through changeRole itself. After a transient Scalekit failure nothing more starts; rows not
 * attempted get no outcome, for the caller to run again.
 */
export async function changeRoles(
  actor: Actor,
  organizationId: string,
  membershipIds: readonly string[],
  role: string,
  { concurrency }: { concurrency: number },
): Promise<Map<string, RoleChangeOutcome>> {
  assertCan(actor, organizationId, 'members:manage');
  const target = grantableRole(actor, organizationId, await organizationRoles(organizationId), role);
  const label = target.displayName.toLowerCase();
  const keepsManaging = target.permissionsKnown && target.permissions.includes('members:manage');
  const outcomes = new Map<string, RoleChangeOutcome>();
  // Raw: for a batch of hundreds, Prisma's per-row result mapping cost more than the read itself.
  type Row = Pick<Membership, 'id' | 'email' | 'userId' | 'role' | 'permissions' | 'status' | 'syncState'>;
  const rows = await db.$queryRaw<Row[]>`
    SELECT "id", "email", "userId", "role", "permissions", "status", "syncState" FROM "Membership"
    WHERE "organizationId" = ${organizationId} AND "id" = ANY(${[...membershipIds]}::text[])`;
  const found = new Map(rows.map((m) => [m.id, m]));

  const direct: Row[] = [];
  const oneByOne: string[] = [];
  for (const id of membershipIds) {
    const m = found.get(id);
    if (!m) {
      outcomes.set(id, { kind: 'refused', error: new AppError('not_found', 'That member was not found in this organization.') });
    } else if (m.role === role) {
      outcomes.set(id, { kind: 'unchanged' });
    } else if (managesMembers(m) && !keepsManaging) {
      oneByOne.push(id);
    } else {
      try {
        assertCanActOn(actor, organizationId, m);
        if (!m.userId || m.syncState === 'SENDING')
          throw new AppError('not_synced', 'This invitation is still being sent. Try again in a moment.');
        direct.push(m);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcomes.set(id, { kind: 'refused', error });
      }
    }
  }

  type Answered = { m: (typeof direct)[number]; permissions: string[] };
  // The mirror is written back while the next calls are in flight: a flush every ROLE_CHANGES_FLUSH_EVERY
  // answers, so the database work overlaps Scalekit's instead of following it.
  const writeBack = async (answered: Answered[]) => {
    await db.$transaction(async (tx) => {
      const byPermissions = new Map<string, { permissions: string[]; ids: string[] }>();
      for (const { m, permissions } of answered) {
        const key = permissions.join(' ');
        const group = byPermissions.get(key) ?? { permissions, ids: [] };
        group.ids.push(m.id);
        byPermissions.set(key, group);
      }
      for (const { permissions, ids } of byPermissions.values()) {
        await tx.membership.updateMany({
          where: { organizationId, id: { in: ids } },
          data: { role, permissions, syncState: 'SYNCED', syncError: null },
        });
      }
      const audits: AuditEntry[] = [];
      for (const { m, permissions } of answered) {
        const revokedApiKeys =
          m.permissions.includes('api_keys:manage') && !permissions.includes('api_keys:manage')
            ? await revokeKeysCreatedBy(tx, actor, organizationId, m.userId!, 'member_demoted')
            : [];
        audits.push({
          actor,
          organizationId,
          action: 'member.role_changed',
          target: { type: 'membership', id: m.id, label: m.email },
          metadata: { from: m.role, to: role, ...(revokedApiKeys.length ? { revokedApiKeys: revokedApiKeys.map(keyForAudit) } : {}) },
        });
      }
      await recordAudits(audits, tx);
    }, TRANSACTION_OPTIONS);
    for (const { m } of answered) outcomes.set(m.id, { kind: 'changed', roleLabel: label });
  };
  let buffer: Answered[] = [];
  const writes: Promise<void>[] = [];
  const flush = () => {
    if (buffer.length) writes.push(writeBack(buffer));
    buffer = [];
  };

  let stopped = false;
  await runPool(
    direct,
    concurrency,
    async (m) => {
      try {
        const answer = await getScalekit().user.updateMembership(organizationId, m.userId!, { roles: [role] });
        const fromScalekit = answer.user && scalekitMembershipIn(answer.user as unknown as ScalekitUserLike, organizationId);
        const permissions = fromScalekit
          ? fromScalekit.permissions
          : target.permissionsKnown
            ? [...target.permissions]
            : resolvePermissions(role, null);
        buffer.push({ m, permissions });
        if (buffer.length >= ROLE_CHANGES_FLUSH_EVERY) flush();
      } catch (error) {
        const failure = ScalekitCallError.from(error);
        log.warn({ err: errorForLog(error), organizationId, membershipId: m.id }, 'scalekit updateMembership failed (bulk)');
        if (failure.retryable) stopped = true;
        outcomes.set(m.id, failure.retryable ? { kind: 'transient', error: failure } : { kind: 'refused', error: failure });
      }
    },
    () => stopped,
  );
  flush();
  // Every write-back settles before any error is thrown: none is left running behind the caller.
  const written = await Promise.allSettled(writes);
  const failed = written.find((w) => w.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;

  for (const id of oneByOne) {
    if (stopped) break;
    try {
      const change = await changeRole(actor, organizationId, id, role);
      outcomes.set(id, change.changed ? { kind: 'changed', roleLabel: change.roleLabel } : { kind: 'unchanged' });
    } catch (error) {
      if (error instanceof ScalekitCallError && error.retryable) {
        stopped = true;
        outcomes.set(id, { kind: 'transient', error });
      } else if (error instanceof AppError) {
        outcomes.set(id, { kind: 'refused', error });
      } else throw error;
    }
  }
  return outcomes;
}

/**
 * Remove a member from the organization: Scalekit membership deleted, mirror row deleted (with a
 * tombstone so a late webhook cannot bring it back), the API keys they created revoked, audit
 * event, and every session they hold in this organization revoked so they lose access on their
 * next request. Invitations they sent stay, still showing who sent them (inviterEmail is a copy).
 */
export async function removeMember(actor: Actor, organizationId: string, membershipId: string): Promise<{ email: string }> {
  assertCan(actor, organizationId, 'members:manage');
  return takeOutOfOrganization(actor, organizationId, (tx) => findMembershipInOrg(tx, organizationId, membershipId), 'member.removed');
}

/**
 * Leave an organization: any member may, as removal does it (Scalekit, mirror, keys, sessions),
 * except the last admin, who must first make someone else one. Audited as member.left.
 */
export async function leaveOrganization(actor: Actor, organizationId: string): Promise<{ email: string }> {
  if (actor.kind !== 'user' || actor.organizationId !== organizationId)
    throw new ForbiddenError('Only a member can leave an organization.');
  return takeOutOfOrganization(
    actor,
    organizationId,
    async (tx) => {
      const own = await tx.membership.findFirst({ where: { organizationId, userId: actor.userId, status: 'ACTIVE' } });
      if (!own) throw new AppError('not_found', 'You are not a member of this organization.');
      return own;
    },
    'member.left',
  );
}

/**
 * The mirror's side of a membership that ended at Scalekit: the row goes (deleteMany: Scalekit's
 * user.organization_membership_deleted webhook may already have removed it) with a tombstone so
 * a late webhook cannot bring it back, the API keys its holder created are revoked, and the end
 * is audited. Inside the caller's transaction, which holds the membership's entity lock.
 */
export async function endMembershipInMirror(
  tx: Prisma.TransactionClient,
  actor: Actor,
  current: Membership & { userId: string },
  action: 'member.removed' | 'member.left' | 'member.account_deleted',
): Promise<void> {
  const key = membershipVersionKey(current.organizationId, current.userId);
  await tx.membership.deleteMany({ where: { id: current.id } });
  const previous = await readEntityVersion(tx, key);
  const at = new Date(Math.max(Date.now(), (previous?.at.getTime() ?? 0) + 1));
  await writeEntityVersion(tx, key, { at, deleted: true });
  const reason = action === 'member.account_deleted' ? 'account_deleted' : 'member_removed';
  const revokedApiKeys = await revokeKeysCreatedBy(tx, actor, current.organizationId, current.userId, reason);
  await recordAudit(
    {
      actor,
      organizationId: current.organizationId,
      action,
      target: { type: 'membership', id: current.id, label: current.email },
      metadata: {
        role: current.role,
        userId: current.userId,
        ...(action === 'member.account_deleted' ? { status: current.status } : {}),
        ...(revokedApiKeys.length ? { revokedApiKeys: revokedApiKeys.map(keyForAudit) } : {}),
      },
    },
    tx,
  );
}

async function takeOutOfOrganization(
  actor: Actor,
  organizationId: string,
  find: (tx: Prisma.TransactionClient) => Promise<Membership>,
  action: 'member.removed' | 'member.left',
): Promise<{ email: string }> {
  const leaving = action === 'member.left';
  const removed = await db.$transaction(async (tx) => {
    await lockOrganizationMembers(tx, organizationId);
    const current = await find(tx);
    const status = effectiveStatus(current);
    if (status === 'PENDING_INVITE' || status === 'INVITE_EXPIRED') {
      throw new AppError('not_a_member', 'This is an invitation, not a member: revoke it instead.');
    }
    if (!current.userId)
      throw new AppError('not_synced', 'This member is still being synchronised. Try again in a moment.', { retryable: true });
    // Before touching the row, in the same order as the webhook handler, so the two cannot deadlock.
    const key = membershipVersionKey(organizationId, current.userId);
    await lockEntity(tx, key);
    if (!leaving) assertCanActOn(actor, organizationId, current);
    if (managesMembers(current) && (await otherActiveAdmins(tx, organizationId, current.id)) === 0) {
      throw new AppError('last_admin', leaving ? LAST_ADMIN_LEAVING_MESSAGE : LAST_ADMIN_MESSAGE);
    }

    try {
      await getScalekit().user.deleteMembership(organizationId, current.userId);
    } catch (error) {
      // Already gone in Scalekit (removed there, or an earlier attempt got through): finish here.
      if (!(error instanceof ScalekitNotFoundException)) {
        log.warn({ err: errorForLog(error), organizationId, membershipId: current.id }, 'scalekit deleteMembership failed');
        throw ScalekitCallError.from(error);
      }
    }
    await endMembershipInMirror(tx, actor, { ...current, userId: current.userId }, action);
    return { email: current.email, userId: current.userId };
  }, TRANSACTION_OPTIONS);

  // After the commit: the mirror row is already gone, so every guard that reads it refuses the
  // person from now on; revoking the sessions also stops their refresh tokens being used.
  await revokeUserSessions(removed.userId, { organizationId, reason: leaving ? 'member_left' : 'member_removed' });
  return { email: removed.email };
}
