import { randomBytes } from 'node:crypto';
import type { Actor } from '@/lib/auth/actor';
import { DEFAULT_ROLE, resolvePermissions } from '@/lib/auth/permissions';
import { recordAudits, type AuditEntry } from '@/lib/audit/record';
import { revokeKeysCreatedBy } from '@/lib/api-keys/service';
import { runPool } from '@/lib/concurrency/worker-pool';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import type { Membership } from '@/lib/generated/prisma/client';
import { inviteMember } from '@/lib/invitations/invite';
import { membershipIn, userFields, type ScalekitUserLike } from '@/lib/invitations/scalekit-membership';
import { errorForLog, log } from '@/lib/log';
import { endMembershipInMirror, keyForAudit, TRANSACTION_OPTIONS } from '@/lib/members/service';
import { organizationRoles } from '@/lib/roles/catalogue';
import { roleFor } from '@/lib/directory/roles';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { revokeUserSessions } from '@/lib/session/store';
import { upsertMirrorUsers } from '@/lib/users/mirror-user';
import { lockEntity, membershipVersionKey } from '@/lib/webhooks/entity-versions';
import { directoryActor } from '@/lib/directory/actor';
import { endMembership, provisionMember, setMemberRole } from '@/lib/directory/scalekit';

/**
 * Brings an organization's memberships in line with what its directory says, for any number of
 * directory users at once: one webhook's user, a group's members after a mapping change, or a
 * whole directory in a reconcile. The same engine for all three, so an event and a reconcile can
 * never disagree about what a directory user should be.
 *
 * Cost (bench/directory-sync.ts): the memberships are read in one query, the Scalekit calls run
 * `concurrency` at a time with no transaction open, and the answers are written back to the mirror
 * FLUSH_EVERY at a time (users, memberships and audit entries in one transaction), while the next
 * calls are in flight, as lib/members/service.ts changeRoles does.
 */

/** A directory user as the app needs it. */
export interface DirectoryUserState {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  active: boolean;
  groupIds: readonly string[];
}

export type JoinAs = 'MEMBERS' | 'INVITATIONS';

/** Nothing applied yet: the counters a run adds to. */
export function emptyApplyResult(): ApplyResult {
  return { created: 0, invited: 0, roleChanges: 0, removed: 0, unchanged: 0, failed: 0, firstError: null, transient: false };
}

export interface ApplyResult {
  created: number;
  invited: number;
  roleChanges: number;
  removed: number;
  unchanged: number;
  /** Refused (a policy: seat limit, domain) or failed at Scalekit; the next reconcile tries again. */
  failed: number;
  /** The first failure, in words a person can act on */
  firstError: string | null;
  /** True when a failure that passes (Scalekit down, 429, timeout) stopped the run early. */
  transient: boolean;
}

/** Answers per write-back transaction (users, memberships, audit): 256 with chunks of 1,000 (bench/directory-sync.ts). */
const FLUSH_EVERY = 256;

/** The organization's group → role mapping as stored (Settings → Directory). */
export async function groupRoleMapping(organizationId: string): Promise<Map<string, string>> {
  const rows = await db.directoryGroup.findMany({ where: { organizationId, role: { not: null } }, select: { id: true, role: true } });
  return new Map(rows.map((r) => [r.id, r.role!]));
}

type Row = Pick<Membership, 'id' | 'email' | 'userId' | 'role' | 'permissions' | 'status' | 'syncState' | 'organizationId'>;

async function membershipsByEmail(organizationId: string, emails: readonly string[]): Promise<Map<string, Row>> {
  if (!emails.length) return new Map();
  // Raw: for thousands of rows Prisma's per-row mapping costs more than the query (changeRoles does the same).
  const rows = await db.$queryRaw<Row[]>`
    SELECT "id", "email", "userId", "role", "permissions", "status", "syncState", "organizationId" FROM "Membership"
    WHERE "organizationId" = ${organizationId} AND "email" = ANY(${[...emails]}::text[])`;
  return new Map(rows.map((r) => [r.email, r]));
}

const nameOf = (u: DirectoryUserState) => [u.firstName, u.lastName].filter(Boolean).join(' ') || null;

export interface ApplyInput {
  organizationId: string;
  /** Directory users who should have access (active ones). */
  present: readonly DirectoryUserState[];
  /** Emails whose access the directory ended (deleted or deactivated users). */
  removed: readonly string[];
  joinAs: JoinAs;
  concurrency?: number;
}

export async function applyDirectoryState(input: ApplyInput): Promise<ApplyResult> {
  const { organizationId, joinAs } = input;
  const concurrency = input.concurrency ?? 8;
  const actor = directoryActor(organizationId);
  const [roles, mapping] = await Promise.all([organizationRoles(organizationId), groupRoleMapping(organizationId)]);
  const present = input.present.map((u) => ({ ...u, email: u.email.toLowerCase() }));
  const removedEmails = [...new Set(input.removed.map((e) => e.toLowerCase()))].filter((e) => !present.some((p) => p.email === e));
  const existing = await membershipsByEmail(organizationId, [...present.map((u) => u.email), ...removedEmails]);
  const result = emptyApplyResult();

  const toCreate: Array<{ u: DirectoryUserState; role: string }> = [];
  const toFix: Array<{ m: Row; role: string }> = [];
  for (const u of present) {
    const role = roleFor(u.groupIds, mapping, roles);
    const m = existing.get(u.email);
    if (!m) toCreate.push({ u, role });
    else if (m.role !== role && m.userId && m.syncState !== 'SENDING') toFix.push({ m, role });
    else result.unchanged++;
  }
  const toRemove = removedEmails.map((e) => existing.get(e)).filter((m): m is Row => !!m && !!m.userId);

  const fail = (error: unknown, what: Record<string, unknown>) => {
    const failure = error instanceof AppError ? error : ScalekitCallError.from(error);
    if (failure.retryable) result.transient = true;
    result.failed++;
    result.firstError ??= failure.message;
    log.warn({ err: errorForLog(error), organizationId, ...what }, 'directory sync: change not applied');
  };
  const stop = () => result.transient;

  // ---- new members (or invitations) ----------------------------------------------------------
  if (joinAs === 'INVITATIONS') {
    await runPool(
      toCreate,
      concurrency,
      async ({ u, role }) => {
        try {
          const invited = await inviteMember(
            actor,
            organizationId,
            { email: u.email, name: nameOf(u) ?? undefined, role },
            { source: 'directory' },
          );
          if (invited.outcome === 'invited') result.invited++;
          else result.unchanged++;
        } catch (error) {
          fail(error, { email: u.email });
        }
      },
      stop,
    );
  } else {
    type Answered = { u: DirectoryUserState; user: ScalekitUserLike };
    let buffer: Answered[] = [];
    const writes: Promise<void>[] = [];
    const flush = () => {
      if (buffer.length) writes.push(writeCreated(organizationId, actor, buffer));
      buffer = [];
    };
    await runPool(
      toCreate,
      concurrency,
      async ({ u, role }) => {
        try {
          const user = await provisionMember(organizationId, { email: u.email, firstName: u.firstName, lastName: u.lastName }, role);
          buffer.push({ u, user });
          result.created++;
          if (buffer.length >= FLUSH_EVERY) flush();
        } catch (error) {
          fail(error, { email: u.email });
        }
      },
      stop,
    );
    flush();
    await settleAll(writes);
  }

  // ---- role fixes ---------------------------------------------------------------------------
  {
    type Answered = { m: Row; role: string; permissions: string[] };
    let buffer: Answered[] = [];
    const writes: Promise<void>[] = [];
    const flush = () => {
      if (buffer.length) writes.push(writeRoleChanges(organizationId, actor, buffer));
      buffer = [];
    };
    await runPool(
      toFix,
      concurrency,
      async ({ m, role }) => {
        try {
          const user = await setMemberRole(organizationId, m.userId!, role);
          const fromScalekit = user && membershipIn(user, organizationId);
          buffer.push({ m, role, permissions: fromScalekit ? fromScalekit.permissions : resolvePermissions(role, null) });
          result.roleChanges++;
          if (buffer.length >= FLUSH_EVERY) flush();
        } catch (error) {
          fail(error, { membershipId: m.id });
        }
      },
      stop,
    );
    flush();
    await settleAll(writes);
  }

  // ---- removals: one by one (few at a time, and each ends sessions) --------------------------
  for (const m of toRemove) {
    if (stop()) break;
    try {
      await removeFromOrganization(actor, m);
      result.removed++;
    } catch (error) {
      fail(error, { membershipId: m.id });
    }
  }
  return result;
}

async function settleAll(writes: Promise<void>[]): Promise<void> {
  const written = await Promise.allSettled(writes);
  const failed = written.find((w) => w.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

let idCounter = 0;

/** An id in the shape of Prisma's cuid() (Membership.id's default, which raw inserts do not get). */
function membershipId(): string {
  idCounter = (idCounter + 1) % 36 ** 4;
  return `c${Date.now().toString(36).padStart(8, '0')}${idCounter.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

/**
 * The mirror rows for members Scalekit just provisioned: users, memberships and audit entries in
 * one transaction of three statements (INSERT … SELECT FROM unnest, one array per column, as
 * recordAudits does): Prisma's createMany built and mapped every row's object, which cost more
 * CPU than the Scalekit calls beside it (bench/directory-sync.ts). Rows another writer got to
 * first (Scalekit's own user.organization_membership_created webhook, an earlier attempt) are
 * left to the general paths: upsertMirrorUsers for users, an update for memberships.
 */
async function writeCreated(organizationId: string, actor: Actor, answered: Array<{ u: DirectoryUserState; user: ScalekitUserLike }>) {
  const now = new Date();
  const rows = answered.map(({ user }) => {
    const m = membershipIn(user, organizationId);
    const fields = userFields(user);
    return {
      id: membershipId(),
      userId: user.id,
      fields,
      role: m?.role ?? DEFAULT_ROLE,
      permissions: m?.permissions ?? resolvePermissions(DEFAULT_ROLE, null),
      status: m?.status ?? ('ACTIVE' as const),
      acceptedAt: m?.acceptedAt ?? now,
    };
  });
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
  await db.$transaction(async (tx) => {
    const insertedUsers = await tx.$queryRaw<Array<{ id: string }>>`
      INSERT INTO "User" ("id", "email", "name", "firstName", "lastName", "externalId", "createdAt", "updatedAt")
      SELECT u.id, u.email, u.name, u.first, u.last, u.ext, now(), now()
      FROM unnest(${col((r) => r.userId)}::text[], ${col((r) => r.fields.email)}::text[], ${col((r) => r.fields.name)}::text[],
        ${col((r) => r.fields.firstName)}::text[], ${col((r) => r.fields.lastName)}::text[], ${col((r) => r.fields.externalId)}::text[])
        AS u(id, email, name, first, last, ext)
      ON CONFLICT DO NOTHING RETURNING "id"`;
    if (insertedUsers.length < rows.length) {
      const fresh = new Set(insertedUsers.map((u) => u.id));
      await upsertMirrorUsers(
        tx,
        rows.filter((r) => !fresh.has(r.userId)).map((r) => ({ id: r.userId, ...r.fields })),
      );
    }
    // Permissions travel space-joined: PostgreSQL arrays of arrays must be rectangular.
    const inserted = await tx.$queryRaw<Array<{ id: string }>>`
      INSERT INTO "Membership" ("id", "organizationId", "userId", "email", "name", "role", "permissions", "status", "syncState",
        "acceptedAt", "createdAt", "updatedAt")
      SELECT m.id, ${organizationId}, m."userId", m.email, m.name, m.role, string_to_array(m.permissions, ' '),
        m.status::"MembershipStatus", 'SYNCED'::"SyncState", m."acceptedAt", now(), now()
      FROM unnest(${col((r) => r.id)}::text[], ${col((r) => r.userId)}::text[], ${col((r) => r.fields.email)}::text[],
        ${col((r) => r.fields.name)}::text[], ${col((r) => r.role)}::text[], ${col((r) => r.permissions.join(' '))}::text[],
        ${col((r) => r.status)}::text[], ${col((r) => r.acceptedAt)}::timestamp(3)[])
        AS m(id, "userId", email, name, role, permissions, status, "acceptedAt")
      ON CONFLICT DO NOTHING RETURNING "id"`;
    const created = new Set(inserted.map((m) => m.id));
    const ids = new Map<string, string>();
    for (const r of rows) {
      if (created.has(r.id)) {
        ids.set(r.userId, r.id);
        continue;
      }
      // Already mirrored (the webhook was first): Scalekit's answer just now is the newer truth.
      const existing = await tx.membership.findFirst({ where: { organizationId, OR: [{ userId: r.userId }, { email: r.fields.email }] } });
      if (!existing) continue;
      ids.set(r.userId, existing.id);
      await tx.membership.update({
        where: { id: existing.id },
        data: { userId: r.userId, role: r.role, permissions: r.permissions, status: r.status, syncState: 'SYNCED', syncError: null },
      });
    }
    const audits: AuditEntry[] = rows.map((r) => ({
      actor,
      organizationId,
      action: 'member.joined',
      target: { type: 'membership', id: ids.get(r.userId) ?? null, label: r.fields.email },
      metadata: { role: r.role, source: 'directory' },
    }));
    await recordAudits(audits, tx);
  }, TRANSACTION_OPTIONS);
}

async function writeRoleChanges(organizationId: string, actor: Actor, answered: Array<{ m: Row; role: string; permissions: string[] }>) {
  await db.$transaction(async (tx) => {
    const audits: AuditEntry[] = [];
    for (const { m, role, permissions } of answered) {
      await tx.membership.updateMany({
        where: { organizationId, id: m.id },
        data: { role, permissions, syncState: 'SYNCED', syncError: null },
      });
      const revokedApiKeys =
        m.permissions.includes('api_keys:manage') && !permissions.includes('api_keys:manage')
          ? await revokeKeysCreatedBy(tx, actor, organizationId, m.userId!, 'member_demoted')
          : [];
      audits.push({
        actor,
        organizationId,
        action: 'member.role_changed',
        target: { type: 'membership', id: m.id, label: m.email },
        metadata: {
          from: m.role,
          to: role,
          source: 'directory',
          ...(revokedApiKeys.length ? { revokedApiKeys: revokedApiKeys.map(keyForAudit) } : {}),
        },
      });
    }
    await recordAudits(audits, tx);
  }, TRANSACTION_OPTIONS);
}

/**
 * A person the directory deprovisioned loses access within one request: the Scalekit membership
 * goes (DeleteMembership, which also ends their Scalekit sessions in it, remove-users-from-organization.mdx:143),
 * the mirror row goes with a tombstone, the API keys they created here are revoked (all in one
 * transaction, audited member.removed by "directory"), then every app session they hold in this
 * organization is revoked. The guards read the mirror row on every request, so the next one is
 * refused even before the session revocation lands.
 */
async function removeFromOrganization(actor: Actor, m: Row): Promise<void> {
  const userId = m.userId!;
  await db.$transaction(async (tx) => {
    // The membership's lock first, then Scalekit, as lib/members/service.ts removals do: Scalekit's
    // own user.organization_membership_deleted for this removal waits on the lock and then finds
    // the tombstone, so the log names "directory" as the remover, not the webhook.
    await lockEntity(tx, membershipVersionKey(m.organizationId, userId));
    await endMembership(m.organizationId, userId);
    const current = await tx.membership.findFirst({ where: { id: m.id } });
    if (current?.userId) await endMembershipInMirror(tx, actor, { ...current, userId: current.userId }, 'member.removed');
  }, TRANSACTION_OPTIONS);
  await revokeUserSessions(userId, { organizationId: m.organizationId, reason: 'member_removed' });
}
