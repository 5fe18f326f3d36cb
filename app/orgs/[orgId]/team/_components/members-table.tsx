import Link from 'next/link';
import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { describeAuthMethod } from '@/lib/auth/auth-method';
import { roleLabel } from '@/lib/auth/permissions';
import type { MemberRow, MemberSort } from '@/lib/members/service';
import { formatDate, formatDateTime, formatRelative, statusBadge } from '../format';
import { MEMBER_CHECKBOX } from './bulk-selection';
import { MemberRowActions, type RowAbilities } from './member-row-actions';

function DateCell({ date }: { date: Date | null }) {
  return date ? <time dateTime={date.toISOString()}>{formatDate(date)}</time> : <span className="text-muted-foreground">—</span>;
}

/** "3 days ago", with the exact time on hover (title) and for screen readers; "Never" for a member who never signed in here. */
function LastSignInCell({ row, isInvitation, now }: { row: MemberRow; isInvitation: boolean; now: Date }) {
  if (row.lastSignInAt) {
    const exact = formatDateTime(row.lastSignInAt);
    return (
      <time dateTime={row.lastSignInAt.toISOString()} title={exact}>
        {formatRelative(row.lastSignInAt, now)}
        <span className="sr-only"> ({exact})</span>
      </time>
    );
  }
  // An invitation cannot have signed in yet: a dash, so "Never" stands out for the members who did not.
  return <span className="text-muted-foreground">{isInvitation ? '—' : 'Never'}</span>;
}

export interface SignInSortLink {
  /** The order shown now, if it is by last sign-in */
  current?: MemberSort;
  /** The team page with the other order (most recent first when not sorted by sign-in yet) */
  href: string;
}

/** The column heading as a link that sorts by it (and flips the order once sorted), with aria-sort for screen readers. */
function SignInHeading({ sort }: { sort: SignInSortLink }) {
  const Icon = sort.current === 'last_sign_in_desc' ? ArrowDownIcon : sort.current === 'last_sign_in_asc' ? ArrowUpIcon : ArrowUpDownIcon;
  const ariaSort = sort.current === 'last_sign_in_desc' ? 'descending' : sort.current === 'last_sign_in_asc' ? 'ascending' : undefined;
  const next = sort.current === 'last_sign_in_desc' ? 'longest ago first' : 'most recent first';
  return (
    <TableHead aria-sort={ariaSort}>
      <Link href={sort.href} className="inline-flex items-center gap-1 hover:underline" data-testid="sort-last-sign-in">
        Last sign-in
        <Icon className="size-3.5" aria-hidden="true" />
        <span className="sr-only">, sort {next}</span>
      </Link>
    </TableHead>
  );
}

/**
 * On a narrow screen the table scrolls sideways while the action column stays pinned to the right
 * edge: every row's menu is one tap away without scrolling. Opaque background, so the cells
 * scrolling beneath it do not show through; the edge line marks where they go under.
 */
const STICKY_ACTIONS =
  'sticky right-0 bg-background [tr:hover>&]:bg-[color-mix(in_oklab,var(--muted)_40%,var(--background))] max-lg:border-l max-lg:shadow-[-10px_0_10px_-8px_rgb(0_0_0/0.25)]';

/**
 * The members and invitations of one page. Whoever may invite or manage gets a row action menu
 * (with what their role allows); others read only. `roleNames` are the roles' display names.
 */
export function MembersTable({
  orgId,
  rows,
  can,
  roleNames,
  currentUserId,
  signInSort,
  now,
}: {
  orgId: string;
  rows: MemberRow[];
  can: RowAbilities;
  roleNames: Readonly<Record<string, string>>;
  currentUserId: string;
  signInSort: SignInSortLink;
  /** What "3 days ago" counts from: the time the page was rendered */
  now: Date;
}) {
  const canManage = can.invitations || can.members;
  return (
    <Table aria-label="Members and invitations">
      <TableHeader>
        <TableRow>
          {canManage ? (
            <TableHead className="w-8">
              <span className="sr-only">Select</span>
            </TableHead>
          ) : null}
          <TableHead>Name</TableHead>
          <TableHead>Email</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Status</TableHead>
          <SignInHeading sort={signInSort} />
          <TableHead>Sign-in method</TableHead>
          <TableHead>Invited by</TableHead>
          <TableHead>Invited</TableHead>
          <TableHead>Joined</TableHead>
          <TableHead>Expires</TableHead>
          {canManage ? (
            <TableHead className={STICKY_ACTIONS}>
              <span className="sr-only">Actions</span>
            </TableHead>
          ) : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const badge = statusBadge(row.status, row.syncState);
          const isInvitation = row.status === 'PENDING_INVITE' || row.status === 'INVITE_EXPIRED' || row.syncState !== 'SYNCED';
          return (
            <TableRow key={row.id} data-testid="member-row" data-email={row.email}>
              {canManage ? (
                <TableCell className="w-8 pr-0">
                  {/* Read by the bulk action bar (bulk-action-bar.tsx); nothing is sent from here. */}
                  <input
                    type="checkbox"
                    {...{ [MEMBER_CHECKBOX]: '' }}
                    value={row.id}
                    aria-label={`Select ${row.email}`}
                    className="size-4 cursor-pointer accent-primary"
                  />
                </TableCell>
              ) : null}
              <TableCell className="font-medium">
                {row.name ?? <span className="text-muted-foreground">—</span>}
                {row.userId === currentUserId ? <span className="ml-1.5 text-xs text-muted-foreground">(you)</span> : null}
              </TableCell>
              <TableCell>{row.email}</TableCell>
              <TableCell data-testid="member-role">{roleNames[row.role] ?? roleLabel(row.role)}</TableCell>
              <TableCell>
                <Badge variant={badge.variant} data-testid="member-status" title={row.syncError ?? undefined}>
                  {badge.label}
                </Badge>
              </TableCell>
              <TableCell className="whitespace-nowrap" data-testid="member-last-sign-in">
                <LastSignInCell row={row} isInvitation={isInvitation} now={now} />
              </TableCell>
              <TableCell className="whitespace-nowrap" data-testid="member-sign-in-method">
                {row.lastSignInAt ? describeAuthMethod(row.lastSignInMethod) : <span className="text-muted-foreground">—</span>}
              </TableCell>
              <TableCell className="text-muted-foreground" data-testid="member-inviter">
                {row.inviterEmail ?? '—'}
              </TableCell>
              <TableCell>
                <DateCell date={row.invitedAt} />
              </TableCell>
              <TableCell>
                <DateCell date={row.acceptedAt} />
              </TableCell>
              <TableCell>
                <DateCell date={isInvitation ? row.expiresAt : null} />
              </TableCell>
              {canManage ? (
                <TableCell className={`${STICKY_ACTIONS} px-1 text-right`}>
                  <MemberRowActions
                    orgId={orgId}
                    target={{ id: row.id, email: row.email, role: row.role, isInvitation, busy: row.syncState === 'SENDING' }}
                    can={can}
                  />
                </TableCell>
              ) : null}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
