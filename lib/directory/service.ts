import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import type { DirectoryJoinMode } from '@/lib/generated/prisma/client';
import { reapplyRoles } from '@/lib/directory/events';
import type { ApplyResult } from '@/lib/directory/apply';
import { setGroupRole, setJoinMode } from '@/lib/directory/settings';

/**
 * What Settings → Directory calls (thin server actions in app/orgs/[orgId]/settings/directory).
 * Each checks the actor first (org:settings), then changes the setting, then brings the members in
 * line with it.
 */

export { getDirectoryOverview, type DirectoryOverview } from '@/lib/directory/settings';
export { reconcileDirectory } from '@/lib/directory/reconcile';

/**
 * Maps a directory group to a role (or none) and re-applies roles to every directory user at
 * once: "a change re-applies" (issue 12). The mapping is saved (and audited) first; a Scalekit
 * failure part-way leaves the rest to the next reconcile and says so in the result.
 */
export async function mapGroupToRole(actor: Actor, organizationId: string, groupId: unknown, role: unknown): Promise<ApplyResult | null> {
  const changed = await setGroupRole(actor, organizationId, groupId, role);
  return changed ? reapplyRoles(organizationId) : null;
}

export async function setDirectoryJoinMode(actor: Actor, organizationId: string, value: unknown): Promise<DirectoryJoinMode> {
  return setJoinMode(actor, organizationId, value);
}

/** "Sync now": queues a reconcile (the worker runs it; the page shows its result when done). */
export async function requestDirectorySync(actor: Actor, organizationId: string): Promise<void> {
  assertCan(actor, organizationId, 'org:settings');
  const [{ jobSender }, { sendJob }] = await Promise.all([import('@/lib/jobs/sender'), import('@/lib/jobs/boss')]);
  await sendJob(await jobSender(), 'directory.reconcile', { organizationId }, { singletonKey: organizationId });
}
