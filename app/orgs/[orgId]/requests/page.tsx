import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { InboxIcon } from 'lucide-react';
import { PageSection } from '@/components/page-section';
import { PagerLinks } from '@/components/pager-links';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { actorFromContext, requireOrgMember } from '@/lib/auth/guards';
import { ForbiddenError } from '@/lib/errors/app-error';
import type { InvitationRequest } from '@/lib/generated/prisma/client';
import { canReviewRequests, listMyRequests, listRequests, requestsEnabled } from '@/lib/invitation-requests/service';
import { organizationRoles, type RoleDefinition } from '@/lib/roles/catalogue';
import { roleOption } from '@/lib/roles/options';
import { formatDateTime } from '../team/format';
import { CancelRequestButton, RequestDecision } from './_components/decision-controls';
import { RequestInvitationDialog } from './_components/request-form';

export const metadata: Metadata = { title: 'Requests' };

type SearchParams = Record<string, string | string[] | undefined>;

const STATUS: Record<InvitationRequest['status'], { label: string; variant: 'warning' | 'success' | 'destructive' | 'secondary' }> = {
  PENDING: { label: 'Pending', variant: 'warning' },
  APPROVED: { label: 'Approved', variant: 'success' },
  DENIED: { label: 'Denied', variant: 'destructive' },
  CANCELLED: { label: 'Cancelled', variant: 'secondary' },
};

function StatusBadge({ status }: { status: InvitationRequest['status'] }) {
  return <Badge variant={STATUS[status].variant}>{STATUS[status].label}</Badge>;
}

/** Where the request came from, as the admin reads it. */
function sourceText(r: InvitationRequest): string {
  if (r.source === 'RULE') return `Held by a rule: ${r.ruleDescription ?? 'an invitation rule'}`;
  if (r.source === 'DOMAIN') return 'Asked to join (verified domain)';
  return r.origin === 'api' ? 'Member request (API)' : 'Member request';
}

function EmptyState({ title, text }: { title: string; text: string }) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed px-6 py-10 text-center">
      <InboxIcon className="size-8 text-muted-foreground" aria-hidden="true" />
      <p className="font-medium">{title}</p>
      <p className="text-sm text-muted-foreground">{text}</p>
    </div>
  );
}

function single(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.trim() ? v.trim().slice(0, 300) : undefined;
}

/**
 * Invitation requests. Those who may invite see the pending queue (approve or deny, each with a
 * note) and the decided ones; everyone sees what they asked for themselves and how it went. The
 * services decide who sees what; this page only lays it out.
 */
export default async function RequestsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { orgId } = await params;
  const sp = await searchParams;
  const ctx = await requireOrgMember(orgId).catch((error: unknown) => {
    if (error instanceof ForbiddenError) notFound();
    throw error;
  });
  const actor = actorFromContext(ctx, orgId);
  const reviewer = canReviewRequests(actor, orgId);
  const cursor = single(sp.cursor);
  const [enabled, roles, mine, pending, history] = await Promise.all([
    requestsEnabled(orgId),
    organizationRoles(orgId).catch((): RoleDefinition[] => []),
    listMyRequests(actor, orgId),
    reviewer ? listRequests(actor, orgId, { status: 'PENDING', limit: 100 }) : null,
    reviewer
      ? listRequests(actor, orgId, { status: 'DECIDED', limit: 25, cursor }).catch(() =>
          listRequests(actor, orgId, { status: 'DECIDED', limit: 25 }),
        )
      : null,
  ]);
  const roleName = (name: string) => roles.find((r) => r.name === name)?.displayName ?? name;
  const base = `/orgs/${encodeURIComponent(orgId)}/requests`;
  const orgName = ctx.memberships.find((m) => m.organizationId === orgId)?.organizationName ?? 'this organization';

  return (
    <PageSection
      id="requests-heading"
      title="Requests"
      description={
        reviewer
          ? 'Invitations members asked for, and invitations a rule held for approval. Approving sends the invitation from you.'
          : enabled
            ? 'Ask an admin to invite someone, and see what became of what you asked for.'
            : `${orgName} does not take invitation requests. Ask an admin to invite the person.`
      }
      actions={enabled && !reviewer ? <RequestInvitationDialog orgId={orgId} roles={roles.map(roleOption)} /> : null}
    >
      {pending ? (
        <section aria-labelledby="pending-heading" className="flex flex-col gap-3">
          <h2 id="pending-heading" className="text-lg font-semibold tracking-tight">
            Pending{' '}
            <span className="text-muted-foreground">
              ({pending.requests.length}
              {pending.nextCursor ? '+' : ''})
            </span>
          </h2>
          {pending.requests.length === 0 ? (
            <EmptyState title="No requests waiting" text="New requests appear here, and the Requests tab shows how many wait." />
          ) : (
            <div className="overflow-x-auto rounded-lg border" data-testid="pending-requests">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Person</TableHead>
                    <TableHead>Role</TableHead>
                    <TableHead>Asked by</TableHead>
                    <TableHead>Reason</TableHead>
                    <TableHead>Asked</TableHead>
                    <TableHead className="text-right">Decision</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {pending.requests.map((r) => (
                    <TableRow key={r.id} data-testid="request-row" data-email={r.email}>
                      <TableCell>
                        <div className="flex flex-col">
                          <span className="font-medium">{r.email}</span>
                          {r.name ? <span className="text-xs text-muted-foreground">{r.name}</span> : null}
                        </div>
                      </TableCell>
                      <TableCell>{roleName(r.role)}</TableCell>
                      <TableCell>
                        <div className="flex flex-col">
                          <span>{r.requestedByLabel ?? '—'}</span>
                          <span className="text-xs text-muted-foreground">{sourceText(r)}</span>
                        </div>
                      </TableCell>
                      <TableCell className="max-w-xs text-sm whitespace-normal break-words">{r.reason ?? '—'}</TableCell>
                      <TableCell className="whitespace-nowrap text-sm">{formatDateTime(r.createdAt)}</TableCell>
                      <TableCell>
                        <RequestDecision orgId={orgId} requestId={r.id} email={r.email} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </section>
      ) : null}

      {history ? (
        <section aria-labelledby="history-heading" className="flex flex-col gap-3">
          <h2 id="history-heading" className="text-lg font-semibold tracking-tight">
            Decided
          </h2>
          {history.requests.length === 0 ? (
            <EmptyState title="Nothing decided yet" text="Approved, denied and cancelled requests are kept here." />
          ) : (
            <>
              <div className="overflow-x-auto rounded-lg border" data-testid="decided-requests">
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead>Person</TableHead>
                      <TableHead>Role</TableHead>
                      <TableHead>Asked by</TableHead>
                      <TableHead>Outcome</TableHead>
                      <TableHead>Decided by</TableHead>
                      <TableHead>Note</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {history.requests.map((r) => (
                      <TableRow key={r.id} data-testid="decided-row" data-email={r.email}>
                        <TableCell className="font-medium">{r.email}</TableCell>
                        <TableCell>{roleName(r.role)}</TableCell>
                        <TableCell>
                          <div className="flex flex-col">
                            <span>{r.requestedByLabel ?? '—'}</span>
                            <span className="text-xs text-muted-foreground">{sourceText(r)}</span>
                          </div>
                        </TableCell>
                        <TableCell>
                          <StatusBadge status={r.status} />
                        </TableCell>
                        <TableCell className="text-sm">
                          <div className="flex flex-col">
                            <span>{r.decidedByLabel ?? '—'}</span>
                            {r.decidedAt ? <span className="text-xs text-muted-foreground">{formatDateTime(r.decidedAt)}</span> : null}
                          </div>
                        </TableCell>
                        <TableCell className="max-w-xs text-sm whitespace-normal break-words">{r.decisionNote ?? '—'}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
              <nav aria-label="Decided requests pages" className="flex justify-end gap-2 text-sm">
                <PagerLinks
                  prevHref={history.prevCursor ? `${base}?cursor=${encodeURIComponent(history.prevCursor)}` : null}
                  nextHref={history.nextCursor ? `${base}?cursor=${encodeURIComponent(history.nextCursor)}` : null}
                />
              </nav>
            </>
          )}
        </section>
      ) : null}

      {mine.length > 0 || (enabled && !reviewer) ? (
        <section aria-labelledby="mine-heading" className="flex flex-col gap-3">
          <h2 id="mine-heading" className="text-lg font-semibold tracking-tight">
            Your requests
          </h2>
          {mine.length === 0 ? (
            <EmptyState title="You have not asked for anyone yet" text="Use Request an invitation to ask an admin to invite someone." />
          ) : (
            <ul className="flex flex-col divide-y rounded-lg border" data-testid="my-requests">
              {mine.map((r) => (
                <li
                  key={r.id}
                  className="flex flex-wrap items-center justify-between gap-3 px-4 py-3"
                  data-testid="my-request"
                  data-email={r.email}
                >
                  <div className="flex flex-col gap-1">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium">{r.email}</span>
                      <StatusBadge status={r.status} />
                      <span className="text-sm text-muted-foreground">as {roleName(r.role)}</span>
                    </div>
                    <span className="text-xs text-muted-foreground">
                      Asked {formatDateTime(r.createdAt)}
                      {r.decidedAt && r.status !== 'CANCELLED'
                        ? ` · ${STATUS[r.status].label.toLowerCase()} by ${r.decidedByLabel ?? 'an admin'} ${formatDateTime(r.decidedAt)}`
                        : ''}
                    </span>
                    {r.decisionNote ? <span className="text-sm">Note: {r.decisionNote}</span> : null}
                  </div>
                  {r.status === 'PENDING' ? <CancelRequestButton orgId={orgId} requestId={r.id} email={r.email} /> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </PageSection>
  );
}
