'use server';

import { z } from 'zod';
import type { BulkCounts } from '@/lib/invitations/bulk';
import {
  DIRECTORY_SELECTION_MAX,
  directoryOverview,
  previewDirectoryInvite,
  searchDirectoryUsers,
  type DirectoryGroupView,
  type DirectorySummary,
  type DirectoryUserPage,
} from '@/lib/directory-invite/service';
import { organizationRoles } from '@/lib/roles/catalogue';
import { adminAction, orgIdSchema, type ActionResult } from '../../../admin-action';
import type { BulkRowView } from '../../_components/bulk-types';

/**
 * The directory picker's server actions (lib/directory-invite/service.ts). The browser sends
 * directory ids only; the server reads the people behind them from Scalekit again.
 */

const directoryId = z.string().min(1).max(64);
const idList = z.array(directoryId).max(DIRECTORY_SELECTION_MAX, `Pick at most ${DIRECTORY_SELECTION_MAX} people or groups at once.`);

export interface DirectoryOverviewView {
  directory: DirectorySummary;
  groups: DirectoryGroupView[];
  moreGroups: boolean;
  roles: Array<{ name: string; displayName: string; isDefault: boolean }>;
}

const overview = adminAction('members:invite', z.object({ orgId: orgIdSchema }), async ({ orgId }, actor) => {
  const found = await directoryOverview(actor, orgId);
  if (!found) return { message: '', overview: null };
  const roles = (await organizationRoles(orgId)).map((r) => ({ name: r.name, displayName: r.displayName, isDefault: r.isDefault }));
  return { message: '', overview: { ...found, roles } satisfies DirectoryOverviewView };
});

/** The connected directory, its groups and the organization's roles; `overview: null` when no directory is connected. */
export async function directoryOverviewAction(orgId: string): Promise<ActionResult<{ overview: DirectoryOverviewView | null }>> {
  return overview({ orgId });
}

const usersInput = z.object({
  orgId: orgIdSchema,
  query: z.string().max(200).default(''),
  groupId: directoryId.nullish(),
  cursor: z.string().max(2_000).nullish(),
});

const users = adminAction('members:invite', usersInput, async ({ orgId, query, groupId, cursor }, actor) => {
  const page = await searchDirectoryUsers(actor, orgId, { query, ...(groupId ? { groupId } : {}), cursor: cursor ?? null });
  return { message: '', page };
});

export async function directoryUsersAction(input: {
  orgId: string;
  query: string;
  groupId: string | null;
  cursor: string | null;
}): Promise<ActionResult<{ page: DirectoryUserPage }>> {
  return users(input);
}

const previewInput = z.object({
  orgId: orgIdSchema,
  userIds: idList,
  groupIds: idList,
  role: z.string().max(64).nullish(),
});

const preview = adminAction('members:invite', previewInput, async ({ orgId, userIds, groupIds, role }, actor) => {
  const view = await previewDirectoryInvite(actor, orgId, { userIds, groupIds, role: role || null });
  return {
    message: `${view.counts.pending} of ${view.counts.total} people are ready to invite.`,
    jobId: view.job.id,
    fileName: view.job.fileName,
    rows: view.rows.map((r) => ({
      rowNumber: r.rowNumber,
      email: r.email,
      name: r.name,
      role: r.role,
      status: r.status,
      reason: r.reason,
    })),
    counts: view.counts,
  };
});

/** "Preview": the selection resolved through Scalekit and checked row by row, stored as a bulk job (nothing is sent yet). */
export async function previewDirectoryAction(input: {
  orgId: string;
  userIds: string[];
  groupIds: string[];
  role: string | null;
}): Promise<ActionResult<{ jobId: string; fileName: string | null; rows: BulkRowView[]; counts: BulkCounts }>> {
  return preview(input);
}
