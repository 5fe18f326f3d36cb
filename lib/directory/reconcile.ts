import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { log } from '@/lib/log';
import { getScalekit } from '@/lib/scalekit/client';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { directoryActor } from '@/lib/directory/actor';
import { applyDirectoryState, type DirectoryUserState } from '@/lib/directory/apply';
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

interface Listed {
  directoryId: string;
  users: DirectoryUserState[];
  groups: Array<{ id: string; displayName: string }>;
}

/** The organization's directory (the first enabled one, else the first), or null when it has none. */
async function primaryDirectoryId(organizationId: string): Promise<string | null> {
  const { directories } = await getScalekit().directory.listDirectories(organizationId);
  return (directories.find((d) => d.enabled) ?? directories[0])?.id ?? null;
}

async function listDirectory(organizationId: string, directoryId: string): Promise<Listed> {
  const scalekit = getScalekit();
  const groups: Listed['groups'] = [];
  let pageToken: string | undefined;
  do {
    const page = await scalekit.directory.listDirectoryGroups(organizationId, directoryId, { pageSize: PAGE_SIZE, pageToken });
    for (const g of page.groups) groups.push({ id: g.id, displayName: g.displayName || g.id });
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  const users: DirectoryUserState[] = [];
  do {
    // include_detail: `active` is in the user's detail (the SCIM attributes), not the summary.
    const page = await scalekit.directory.listDirectoryUsers(organizationId, directoryId, {
      pageSize: PAGE_SIZE,
      pageToken,
      includeDetail: true,
    });
    for (const u of page.users) {
      if (!u.email) continue;
      const detail = (u.userDetail ?? {}) as Record<string, unknown>;
      users.push({
        id: u.id,
        email: u.email.trim().toLowerCase(),
        firstName: u.givenName || null,
        lastName: u.familyName || null,
        active: detail.active !== false,
        groupIds: u.groups.map((g) => g.id),
      });
    }
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return { directoryId, users, groups };
}

/** Replaces the directory mirror with what was listed; returns the emails it held before. */
async function replaceMirror(tx: Prisma.TransactionClient, organizationId: string, listed: Listed): Promise<string[]> {
  const before = await tx.$queryRaw<
    Array<{ email: string }>
  >`SELECT "email" FROM "DirectoryUser" WHERE "organizationId" = ${organizationId}`;
  const groupIds = listed.groups.map((g) => g.id);
  await tx.$executeRaw`DELETE FROM "DirectoryGroup" WHERE "organizationId" = ${organizationId} AND NOT ("id" = ANY(${groupIds}::text[]))`;
  // The role an admin mapped stays with its group: only the name and directory follow Scalekit.
  await tx.$executeRaw`
    INSERT INTO "DirectoryGroup" ("organizationId", "id", "directoryId", "displayName", "updatedAt")
    SELECT ${organizationId}, g.id, ${listed.directoryId}, g.name, now()
    FROM unnest(${groupIds}::text[], ${listed.groups.map((g) => g.displayName)}::text[]) AS g(id, name)
    ON CONFLICT ("organizationId", "id") DO UPDATE SET "displayName" = EXCLUDED."displayName", "directoryId" = EXCLUDED."directoryId",
      "updatedAt" = now()`;
  await tx.$executeRaw`DELETE FROM "DirectoryUser" WHERE "organizationId" = ${organizationId}`;
  // One statement for thousands of users (unnest of one array per column, as recordAudits does);
  // groups travel as a space-joined string because PostgreSQL arrays of arrays must be rectangular.
  const u = listed.users;
  await tx.$executeRaw`
    INSERT INTO "DirectoryUser" ("organizationId", "id", "email", "name", "active", "groupIds", "updatedAt")
    SELECT ${organizationId}, x.id, x.email, x.name, x.active, string_to_array(x.groups, ' '), now()
    FROM unnest(${u.map((x) => x.id)}::text[], ${u.map((x) => x.email)}::text[],
      ${u.map((x) => [x.firstName, x.lastName].filter(Boolean).join(' ') || null)}::text[], ${u.map((x) => x.active)}::boolean[],
      ${u.map((x) => x.groupIds.join(' '))}::text[]) AS x(id, email, name, active, groups)
    ON CONFLICT ("organizationId", "id") DO NOTHING`;
  return before.map((b) => b.email);
}

export async function reconcileDirectory(organizationId: string, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const started = Date.now();
  let listed: Listed;
  try {
    const directoryId = await primaryDirectoryId(organizationId);
    if (!directoryId) {
      return {
        directoryId: null,
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
    }
    listed = await listDirectory(organizationId, directoryId);
  } catch (error) {
    const failure = ScalekitCallError.from(error);
    await saveResult(organizationId, {
      created: 0,
      invited: 0,
      roleChanges: 0,
      removed: 0,
      unchanged: 0,
      failed: 0,
      users: 0,
      groups: 0,
      error: failure.message,
    });
    throw failure;
  }

  const previousEmails = await db.$transaction((tx) => replaceMirror(tx, organizationId, listed), { maxWait: 10_000, timeout: 60_000 });
  const active = listed.users.filter((u) => u.active);
  const activeEmails = new Set(active.map((u) => u.email));
  const removed = [...new Set([...previousEmails, ...listed.users.filter((u) => !u.active).map((u) => u.email)])].filter(
    (e) => !activeEmails.has(e),
  );
  const applied = await applyDirectoryState({
    organizationId,
    present: active,
    removed,
    joinAs: await joinModeOf(organizationId),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  const summary: ReconcileSummary = {
    created: applied.created,
    invited: applied.invited,
    roleChanges: applied.roleChanges,
    removed: applied.removed,
    unchanged: applied.unchanged,
    failed: applied.failed,
    users: listed.users.length,
    groups: listed.groups.length,
    error: applied.firstError,
  };
  await saveResult(organizationId, summary);
  log.info({ organizationId, ...summary, ms: Date.now() - started }, 'directory reconciled');
  if (applied.transient) {
    // The job fails so pg-boss retries it; what was applied so far stays.
    throw new ScalekitCallError({
      status: 503,
      code: 'scalekit_unavailable',
      errorCode: null,
      message: applied.firstError ?? 'Scalekit is unavailable.',
      retryable: true,
    });
  }
  return { directoryId: listed.directoryId, ...summary };
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
