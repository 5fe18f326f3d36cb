import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { describeAuthMethod } from '@/lib/auth/auth-method';
import { roleLabel } from '@/lib/auth/permissions';
import { csvLine } from '@/lib/csv/write';
import { listMembersPage, MAX_PAGE_SIZE, type ListMembersInput, type MemberRow } from '@/lib/members/service';
import { statusLabel } from '@/lib/members/status';
import { organizationRoles } from '@/lib/roles/catalogue';

/**
 * The team page's columns, with the dates as ISO timestamps a spreadsheet reads: in its order, but
 * the sign-in columns (added later) last, so a sheet that reads the older columns by position still works.
 */
export const MEMBERS_CSV_HEADER = [
  'name',
  'email',
  'role',
  'status',
  'invited_by',
  'invited_at',
  'joined_at',
  'expires_at',
  'last_sign_in_at',
  'sign_in_method',
] as const;

function iso(date: Date | null): string {
  return date ? date.toISOString() : '';
}

function memberLine(row: MemberRow, roleName: (name: string) => string): string {
  const invitation = row.status === 'PENDING_INVITE' || row.status === 'INVITE_EXPIRED' || row.syncState !== 'SYNCED';
  return csvLine([
    row.name ?? '',
    row.email,
    roleName(row.role),
    statusLabel(row.status, row.syncState),
    row.inviterEmail ?? '',
    iso(row.invitedAt),
    iso(row.acceptedAt),
    invitation ? iso(row.expiresAt) : '',
    // Empty for never; "Unknown" for a sign-in Scalekit reported without saying how.
    iso(row.lastSignInAt),
    row.lastSignInAt ? describeAuthMethod(row.lastSignInMethod) : '',
  ]);
}

/**
 * The members and invitations that match the team page's filters (q, status, role, inactiveDays)
 * in its order (sort), as CSV lines:
 * whoever may see the team may export it. Read page by page through the same listing the page
 * uses, so the file and the screen never disagree; streamed, so a large team never sits in memory.
 */
export async function membersCsv(actor: Actor, organizationId: string, filters: Omit<ListMembersInput, 'cursor' | 'limit'> = {}) {
  assertCan(actor, organizationId, 'members:read');
  // Refused now (a bad filter is a 400), not after the download has started.
  const first = await listMembersPage(actor, organizationId, { ...filters, limit: MAX_PAGE_SIZE });
  const names = new Map((await organizationRoles(organizationId).catch(() => [])).map((r) => [r.name, r.displayName]));
  const roleName = (name: string) => names.get(name) ?? roleLabel(name);
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(MEMBERS_CSV_HEADER);
    let page = first;
    for (;;) {
      for (const row of page.rows) yield memberLine(row, roleName);
      if (!page.nextCursor) return;
      page = await listMembersPage(actor, organizationId, { ...filters, cursor: page.nextCursor, limit: MAX_PAGE_SIZE });
    }
  }
  return lines();
}
