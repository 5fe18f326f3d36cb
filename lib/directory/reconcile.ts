import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { log } from '@/lib/log';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { directoryActor } from '@/lib/directory/actor';
import { applyDirectoryState, emptyApplyResult, type ApplyResult, type DirectoryUserState } from '@/lib/directory/apply';
import { joinModeOf, type ReconcileSummary } from '@/lib/directory/settings';

/**
 * Repairs an organization's members to match its directory when events were missed (Scalekit
 * retries a failed delivery, but an event can still be lost): every directory user and group is
 * listed through the SDK (ListDirectoryUsers / ListDirectoryGroups, at most 30 a page as the
 * OpenAPI document allows), the mirror of the directory is replaced by what was listed, and the
 * memberships follow (lib/directory/apply.ts): missing members created, wrong roles fixed, and
 * people the directory no longer has (or has deactivated) removed. Only memberships the directory
 * manages are removed: those whose email a directory user had — never a member added by hand.
 *
 * Runs as the pg-boss job directory.reconcile (scheduled hourly for every organization, and "Sync
 * now" in Settings). Two runs at once are harmless: every change is idempotent (lib/directory/scalekit.ts).
 */

const PAGE_SIZE = 30;

export interface ReconcileOptions {
  concurrency?: number;
}

export interface ReconcileResult extends ReconcileSummary {
  directoryId: string | null;
}

interface Group {
  id: string;
  displayName: string;
}

/**
 * Users in a chunk handed to the engine while the next pages are listed: each chunk costs a few
 * reads before its calls start and a drained pool at its end, so fewer, larger chunks cost less: 300
 * took 1.28-1.52x the raw calls at 10,000 users, 1,000 0.91-1.33x (bench/directory-sync.ts).
 */
const CHUNK = 1000;

const EMPTY: ReconcileSummary = {
  created: 0,
  invited: 0,
  roleChanges: 0,
  removed: 0,
  unchanged: 0,
  failed: 0,
  users: 0,
  groups: 0,
  error: null,
};

/** The organization's directory (the first enabled one, else the first), or null when it has none. */
async function primaryDirectoryId(organizationId: string): Promise<string | null> {
  const { directories } = await getScalekit().directory.listDirectories(organizationId);
  return (directories.find((d) => d.enabled) ?? directories[0])?.id ?? null;
}

async function listGroups(organizationId: string, directoryId: string): Promise<Group[]> {
  const groups: Group[] = [];
  let pageToken: string | undefined;
  do {
    const page = await getScalekit().directory.listDirectoryGroups(organizationId, directoryId, { pageSize: PAGE_SIZE, pageToken });
    for (const g of page.groups) groups.push({ id: g.id, displayName: g.displayName || g.id });
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return groups;
}

/** Every directory user, a page at a time (page tokens chain, so pages come one after another). */
async function* listUsers(organizationId: string, directoryId: string): AsyncGenerator<DirectoryUserState[]> {
  let pageToken: string | undefined;
  do {
    // include_detail: `active` is in the user's detail (the SCIM attributes), not the summary.
    const page = await getScalekit().directory.listDirectoryUsers(organizationId, directoryId, {
      pageSize: PAGE_SIZE,
      pageToken,
      includeDetail: true,
    });
    yield page.users
      .filter((u) => u.email)
      .map((u) => ({
        id: u.id,
        email: u.email.trim().toLowerCase(),
        firstName: u.givenName || null,
        lastName: u.familyName || null,
        active: (u.userDetail as Record<string, unknown> | undefined)?.active !== false,
        groupIds: u.groups.map((g) => g.id),
      }));
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
}

/** The groups as listed: gone ones deleted, the rest upserted (a group keeps the role an admin mapped). */
async function replaceGroups(organizationId: string, directoryId: string, groups: Group[]): Promise<void> {
  const ids = groups.map((g) => g.id);
  await db.$transaction([
    db.$executeRaw`DELETE FROM "DirectoryGroup" WHERE "organizationId" = ${organizationId} AND NOT ("id" = ANY(${ids}::text[]))`,
    db.$executeRaw`
      INSERT INTO "DirectoryGroup" ("organizationId", "id", "directoryId", "displayName", "updatedAt")
      SELECT ${organizationId}, g.id, ${directoryId}, g.name, now()
      FROM unnest(${ids}::text[], ${groups.map((g) => g.displayName)}::text[]) AS g(id, name)
      ON CONFLICT ("organizationId", "id") DO UPDATE SET "displayName" = EXCLUDED."displayName",
        "directoryId" = EXCLUDED."directoryId", "updatedAt" = now()`,
  ]);
}

/** The directory users as listed replace the mirror's (one statement of unnest arrays, as recordAudits does). */
async function replaceUsers(tx: Prisma.TransactionClient, organizationId: string, u: DirectoryUserState[]): Promise<void> {
  await tx.$executeRaw`DELETE FROM "DirectoryUser" WHERE "organizationId" = ${organizationId}`;
  // Groups travel space-joined: PostgreSQL arrays of arrays must be rectangular.
  await tx.$executeRaw`
    INSERT INTO "DirectoryUser" ("organizationId", "id", "email", "name", "active", "groupIds", "updatedAt")
    SELECT ${organizationId}, x.id, x.email, x.name, x.active, string_to_array(x.groups, ' '), now()
    FROM unnest(${u.map((x) => x.id)}::text[], ${u.map((x) => x.email)}::text[],
      ${u.map((x) => [x.firstName, x.lastName].filter(Boolean).join(' ') || null)}::text[], ${u.map((x) => x.active)}::boolean[],
      ${u.map((x) => x.groupIds.join(' '))}::text[]) AS x(id, email, name, active, groups)
    ON CONFLICT ("organizationId", "id") DO NOTHING`;
}

function add(total: ApplyResult, part: ApplyResult): void {
  total.created += part.created;
  total.invited += part.invited;
  total.roleChanges += part.roleChanges;
  total.removed += part.removed;
  total.unchanged += part.unchanged;
  total.failed += part.failed;
  total.firstError ??= part.firstError;
  total.transient ||= part.transient;
}

/**
 * The listing and the changes overlap: users are handed to the engine CHUNK at a time while the
 * next pages are fetched (the pages must come one after another, their tokens chain), so a large
 * directory costs about its Scalekit writes, not its listing plus its writes. Removals wait for
 * the whole listing: only then is it known who is gone.
 */
export async function reconcileDirectory(organizationId: string, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const started = Date.now();
  const joinAs = await joinModeOf(organizationId);
  const concurrency = options.concurrency ? { concurrency: options.concurrency } : {};
  const totals = emptyApplyResult();
  // Who the directory managed before this run: those no longer listed lose access.
  const previous = await db.$queryRaw<
    Array<{ email: string }>
  >`SELECT "email" FROM "DirectoryUser" WHERE "organizationId" = ${organizationId}`;

  let directoryId: string | null;
  let groups: Group[];
  const users: DirectoryUserState[] = [];
  let applying: Promise<void> = Promise.resolve();
  const launch = (chunk: DirectoryUserState[]) => {
    const before = applying;
    applying = (async () => {
      await before;
      if (totals.transient || !chunk.length) return;
      const active = chunk.filter((u) => u.active);
      const inactive = chunk.filter((u) => !u.active).map((u) => u.email);
      add(totals, await applyDirectoryState({ organizationId, present: active, removed: inactive, joinAs, ...concurrency }));
    })();
    // Awaited below; a failure meanwhile must not be reported as unhandled.
    applying.catch(() => {});
  };
  try {
    directoryId = await primaryDirectoryId(organizationId);
    if (!directoryId) return { directoryId: null, ...EMPTY };
    groups = await listGroups(organizationId, directoryId);
    await replaceGroups(organizationId, directoryId, groups);
    let chunk: DirectoryUserState[] = [];
    for await (const page of listUsers(organizationId, directoryId)) {
      users.push(...page);
      chunk.push(...page);
      if (chunk.length >= CHUNK) {
        launch(chunk);
        chunk = [];
      }
    }
    launch(chunk);
  } catch (error) {
    await applying.catch(() => {});
    const failure = ScalekitCallError.from(error);
    await saveResult(organizationId, { ...EMPTY, ...summaryOf(totals), error: failure.message });
    throw failure;
  }
  await applying;

  await db.$transaction((tx) => replaceUsers(tx, organizationId, users), { maxWait: 10_000, timeout: 60_000 });
  const listedEmails = new Set(users.map((u) => u.email));
  const gone = previous.map((p) => p.email).filter((e) => !listedEmails.has(e));
  if (gone.length && !totals.transient)
    add(totals, await applyDirectoryState({ organizationId, present: [], removed: gone, joinAs, ...concurrency }));

  const summary: ReconcileSummary = { ...summaryOf(totals), users: users.length, groups: groups.length };
  await saveResult(organizationId, summary);
  log.info({ organizationId, ...summary, ms: Date.now() - started }, 'directory reconciled');
  if (totals.transient) {
    // The job fails so pg-boss retries it; what was applied so far stays.
    throw new ScalekitCallError({
      status: 503,
      code: 'scalekit_unavailable',
      errorCode: null,
      message: totals.firstError ?? 'Scalekit is unavailable.',
      retryable: true,
    });
  }
  return { directoryId, ...summary };
}

function summaryOf(t: ApplyResult): ReconcileSummary {
  return {
    created: t.created,
    invited: t.invited,
    roleChanges: t.roleChanges,
    removed: t.removed,
    unchanged: t.unchanged,
    failed: t.failed,
    users: 0,
    groups: 0,
    error: t.firstError,
  };
}

async function saveResult(organizationId: string, summary: ReconcileSummary): Promise<void> {
  const now = new Date();
  const json = summary as unknown as Prisma.InputJsonValue;
  await db.$transaction(async (tx) => {
    await tx.directorySettings.upsert({
      where: { organizationId },
      create: { organizationId, lastReconcileAt: now, lastReconcileResult: json },
      update: { lastReconcileAt: now, lastReconcileResult: json },
    });
    await recordAudit(
      {
        actor: directoryActor(organizationId),
        organizationId,
        action: 'directory.reconciled',
        target: { type: 'organization', id: organizationId },
        metadata: json,
      },
      tx,
    );
  });
}

/** The scheduled run: every mirrored organization gets a reconcile job (one without a directory finishes at once). */
export async function organizationsToReconcile(): Promise<string[]> {
  const rows = await db.organization.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.id);
}
