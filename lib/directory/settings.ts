import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import type { DirectoryJoinMode } from '@/lib/generated/prisma/client';
import { grantableRole, organizationRoles } from '@/lib/roles/catalogue';

/**
 * An organization's directory-sync settings (Settings → Directory): how provisioned people join
 * (members at once, the default, or invitations), and which role each directory group gives.
 */

export const JOIN_MODES = ['MEMBERS', 'INVITATIONS'] as const satisfies readonly DirectoryJoinMode[];

export async function joinModeOf(organizationId: string): Promise<DirectoryJoinMode> {
  const row = await db.directorySettings.findUnique({ where: { organizationId }, select: { joinAs: true } });
  return row?.joinAs ?? 'MEMBERS';
}

export interface ReconcileSummary {
  created: number;
  invited: number;
  roleChanges: number;
  removed: number;
  unchanged: number;
  failed: number;
  users: number;
  groups: number;
  error: string | null;
}

export interface DirectoryOverview {
  joinAs: DirectoryJoinMode;
  groups: Array<{ id: string; displayName: string; role: string | null; members: number }>;
  users: number;
  lastReconcileAt: Date | null;
  lastReconcileResult: ReconcileSummary | null;
}

export async function getDirectoryOverview(actor: Actor, organizationId: string): Promise<DirectoryOverview> {
  assertCan(actor, organizationId, 'org:settings');
  const [settings, groups, counts, users] = await Promise.all([
    db.directorySettings.findUnique({ where: { organizationId } }),
    db.directoryGroup.findMany({ where: { organizationId }, orderBy: [{ displayName: 'asc' }, { id: 'asc' }] }),
    db.$queryRaw<Array<{ id: string; n: bigint }>>`
      SELECT g AS id, count(*) AS n FROM "DirectoryUser", unnest("groupIds") AS g
      WHERE "organizationId" = ${organizationId} AND active GROUP BY g`,
    db.directoryUser.count({ where: { organizationId, active: true } }),
  ]);
  const members = new Map(counts.map((c) => [c.id, Number(c.n)]));
  return {
    joinAs: settings?.joinAs ?? 'MEMBERS',
    groups: groups.map((g) => ({ id: g.id, displayName: g.displayName, role: g.role, members: members.get(g.id) ?? 0 })),
    users,
    lastReconcileAt: settings?.lastReconcileAt ?? null,
    lastReconcileResult: (settings?.lastReconcileResult as ReconcileSummary | null | undefined) ?? null,
  };
}

const joinAsSchema = z.enum(JOIN_MODES, { error: 'Choose whether directory users join as members or as invitations.' });

export async function setJoinMode(actor: Actor, organizationId: string, value: unknown): Promise<DirectoryJoinMode> {
  assertCan(actor, organizationId, 'org:settings');
  const parsed = joinAsSchema.safeParse(value);
  if (!parsed.success)
    throw new AppError('invalid_input', 'Choose whether directory users join as members or as invitations.', { field: 'joinAs' });
  const joinAs = parsed.data;
  await db.$transaction(async (tx) => {
    const before = await tx.directorySettings.findUnique({ where: { organizationId } });
    if ((before?.joinAs ?? 'MEMBERS') === joinAs) return;
    await tx.directorySettings.upsert({ where: { organizationId }, create: { organizationId, joinAs }, update: { joinAs } });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'directory.settings_changed',
        target: { type: 'organization', id: organizationId },
        metadata: { joinAs: { from: before?.joinAs ?? 'MEMBERS', to: joinAs } },
      },
      tx,
    );
  });
  return joinAs;
}

/**
 * Maps a directory group to a role (null: no role; its members get the default role). The
 * admin may map only to a role they could grant themselves. Returns whether anything changed;
 * the caller then re-applies the roles (lib/directory/events.ts reapplyRoles).
 */
export async function setGroupRole(actor: Actor, organizationId: string, groupId: unknown, role: unknown): Promise<boolean> {
  assertCan(actor, organizationId, 'org:settings');
  if (typeof groupId !== 'string' || !groupId) throw new AppError('invalid_input', 'Choose a directory group.', { field: 'groupId' });
  if (role !== null && (typeof role !== 'string' || !role))
    throw new AppError('invalid_input', 'Choose a role, or none.', { field: 'role' });
  if (role !== null) grantableRole(actor, organizationId, await organizationRoles(organizationId), role);
  return db.$transaction(async (tx) => {
    const group = await tx.directoryGroup.findUnique({ where: { organizationId_id: { organizationId, id: groupId } } });
    if (!group)
      throw new AppError('not_found', 'That directory group is not known here. Sync the directory and try again.', { field: 'groupId' });
    if (group.role === role) return false;
    await tx.directoryGroup.update({ where: { organizationId_id: { organizationId, id: groupId } }, data: { role } });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'directory.group_mapped',
        target: { type: 'organization', id: organizationId, label: group.displayName },
        metadata: { groupId, from: group.role, to: role },
      },
      tx,
    );
    return true;
  });
}
