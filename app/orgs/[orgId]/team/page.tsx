import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DownloadIcon, UploadIcon, UsersIcon } from 'lucide-react';
import { PagerLinks } from '@/components/pager-links';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { InviteMemberDialog } from './_components/invite-form';
import { RequestInvitationDialog } from '../requests/_components/request-form';
import { requestsEnabled } from '@/lib/invitation-requests/service';
import { Button } from '@/components/ui/button';
import { adminPageAccess } from '@/lib/auth/dead-ends';
import { actorFromContext, requireOrgMember } from '@/lib/auth/guards';
import { actorCan } from '@/lib/auth/authorize';
import { ROLE_NAME_PATTERN } from '@/lib/auth/permissions';
import { grantRefusal, organizationRoles, type RoleDefinition } from '@/lib/roles/catalogue';
import { roleOption } from '@/lib/roles/options';
import { AppError, ForbiddenError } from '@/lib/errors/app-error';
import {
  getSeatUsage,
  INACTIVE_DAYS,
  listMembers,
  MEMBER_SORTS,
  MEMBER_STATUS_FILTERS,
  type InactiveDays,
  type MemberPage,
  type MemberSort,
  type MemberStatusFilter,
} from '@/lib/members/service';
import { membersCsvHref, teamHref } from './format';
import { BulkActionBar } from './_components/bulk-action-bar';
import { MembersTable } from './_components/members-table';
import { SeatsBar } from './_components/seats-bar';
import { TeamFilters } from './_components/team-filters';

export const metadata: Metadata = { title: 'Team' };

type SearchParams = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.trim() ? v.trim() : undefined;
}

/** What the caller can do on this page, in a sentence. */
function teamAbilities(invite: boolean, manage: boolean): string {
  if (invite && manage) return 'Invite people, manage roles and remove members.';
  if (invite) return 'Invite people and follow up on invitations. Only admins change roles or remove members.';
  return 'Change roles and remove members. Only admins invite people.';
}

/**
 * The organization's members and invitations, from the PostgreSQL mirror (no Scalekit call per
 * render). Filters and the page cursor are GET params; unknown filter values are ignored rather
 * than refused, since they only ever come from a hand-edited URL.
 */
export default async function TeamPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { orgId } = await params;
  const sp = await searchParams;
  // Not a member: the layout answers 404 for the whole route; this render must not fail louder than it.
  const ctx = await requireOrgMember(orgId).catch((error: unknown) => {
    if (error instanceof ForbiddenError) notFound();
    throw error;
  });
  const actor = actorFromContext(ctx, orgId);
  const canInvite = actorCan(actor, 'members:invite');
  const canManage = canInvite || actorCan(actor, 'members:manage');
  // The roles come from a cache of Scalekit's list; with neither the cache nor Scalekit, the page
  // still shows the team (the pickers are then empty and say so through the server's refusals).
  const roles: RoleDefinition[] = await organizationRoles(orgId).catch(() => []);
  const grantable = roles.filter((r) => grantRefusal(actor, roles, r.name) === null).map(roleOption);
  const roleNames = Object.fromEntries(roles.map((r) => [r.name, r.displayName]));
  const abilities = { invitations: canInvite, members: actorCan(actor, 'members:manage'), roles: grantable };

  const q = single(sp.q)?.slice(0, 100);
  const statusParam = single(sp.status);
  const status =
    statusParam && (MEMBER_STATUS_FILTERS as readonly string[]).includes(statusParam) ? (statusParam as MemberStatusFilter) : undefined;
  const roleParam = single(sp.role);
  const role = roleParam && ROLE_NAME_PATTERN.test(roleParam) ? roleParam : undefined;
  const inactiveParam = Number(single(sp.inactive));
  const inactive = (INACTIVE_DAYS as readonly number[]).includes(inactiveParam) ? (inactiveParam as InactiveDays) : undefined;
  const sortParam = single(sp.sort);
  const sort = sortParam && (MEMBER_SORTS as readonly string[]).includes(sortParam) ? (sortParam as MemberSort) : undefined;
  const cursor = single(sp.cursor);
  const filters = { q, status, role, inactive, sort };
  // "3 days ago" and the inactive filter count from the same moment.
  const now = new Date();

  let page: MemberPage | null = null;
  let problem: string | null = null;
  try {
    page = await listMembers(actor, orgId, { q, status, role, inactiveDays: inactive, sort, cursor }, now);
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 400) throw error;
    problem = error.message;
  }
  const [seats, access, canRequest] = await Promise.all([
    getSeatUsage(actor, orgId),
    canManage ? null : adminPageAccess(ctx, orgId),
    // Members who cannot invite may ask an admin to, when the organization allows it.
    canInvite ? false : requestsEnabled(orgId),
  ]);
  const askAdmins = access?.kind === 'member' ? access.admins.map((a) => (a.name ? `${a.name} (${a.email})` : a.email)).join(', ') : '';
  const filtered = Boolean(q || status || role || inactive);

  return (
    <section aria-labelledby="team-heading" className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <h1 id="team-heading" className="text-xl font-semibold tracking-tight">
            Team
          </h1>
          <p className="text-sm text-muted-foreground">
            {canManage
              ? teamAbilities(canInvite, abilities.members)
              : `The people in this organization. Only admins of ${ctx.memberships.find((m) => m.organizationId === orgId)?.organizationName ?? 'this organization'} can manage the team${askAdmins ? ` — ask ${askAdmins}` : ''}.`}
          </p>
        </div>
        <SeatsBar seats={seats} />
      </div>

      {canManage ? (
        <div className="flex flex-wrap items-center gap-2" data-testid="team-admin-actions">
          {canInvite ? (
            <>
              <InviteMemberDialog orgId={orgId} roles={grantable} />
              <Button asChild variant="outline">
                <Link href={`/orgs/${encodeURIComponent(orgId)}/team/bulk`}>
                  <UploadIcon aria-hidden="true" />
                  Bulk invite
                </Link>
              </Button>
            </>
          ) : null}
        </div>
      ) : null}

      {canRequest ? (
        <div className="flex flex-wrap items-center gap-3" data-testid="team-request-actions">
          <RequestInvitationDialog orgId={orgId} roles={roles.map(roleOption)} />
          <Link className="text-sm underline underline-offset-4" href={`/orgs/${encodeURIComponent(orgId)}/requests`}>
            Your requests
          </Link>
        </div>
      ) : null}

      <TeamFilters orgId={orgId} q={q} status={status} role={role} inactive={inactive} sort={sort} roles={roles} />

      {problem ? (
        <Alert variant="destructive">
          <AlertTitle>That page could not be shown</AlertTitle>
          <AlertDescription>
            {problem}{' '}
            <Link className="underline" href={teamHref(orgId, filters)}>
              Go to the first page
            </Link>
          </AlertDescription>
        </Alert>
      ) : page && page.rows.length === 0 ? (
        <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed px-6 py-12 text-center" data-testid="team-empty">
          <UsersIcon className="size-8 text-muted-foreground" aria-hidden="true" />
          <p className="font-medium">{filtered ? 'Nobody matches these filters' : 'No members yet'}</p>
          <p className="text-sm text-muted-foreground">
            {filtered
              ? 'Try another search, or clear the filters.'
              : canManage
                ? 'Invite your first teammate to get started.'
                : 'Ask an admin to invite your teammates.'}
          </p>
        </div>
      ) : page ? (
        <>
          {canManage ? (
            <BulkActionBar orgId={orgId} matching={page.total} filters={{ q, status, role, inactiveDays: inactive }} can={abilities} />
          ) : null}
          <MembersTable
            orgId={orgId}
            rows={page.rows}
            can={abilities}
            roleNames={roleNames}
            currentUserId={ctx.user.id}
            now={now}
            signInSort={{
              current: sort,
              href: teamHref(orgId, { ...filters, sort: sort === 'last_sign_in_desc' ? 'last_sign_in_asc' : 'last_sign_in_desc' }),
            }}
          />
          <nav aria-label="Pages" className="flex items-center justify-between gap-4 text-sm">
            <div className="flex items-center gap-3">
              <p className="text-muted-foreground" data-testid="team-count">
                {page.total} {page.total === 1 ? 'person' : 'people'}
                {filtered ? ' match' : ''}
              </p>
              <Button asChild variant="outline" size="sm">
                {/* A download, not a page: a plain link, so the browser saves the file. */}
                <a href={membersCsvHref(orgId, filters)} download>
                  <DownloadIcon aria-hidden="true" />
                  Export CSV
                </a>
              </Button>
            </div>
            <div className="flex gap-2">
              <PagerLinks
                prevHref={page.prevCursor ? teamHref(orgId, filters, page.prevCursor) : null}
                nextHref={page.nextCursor ? teamHref(orgId, filters, page.nextCursor) : null}
              />
            </div>
          </nav>
        </>
      ) : null}
    </section>
  );
}
