import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ArrowLeftIcon, DownloadIcon } from 'lucide-react';
import { ProgressBar } from '@/components/progress-bar';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { actorFromContext, requireOrgMember } from '@/lib/auth/guards';
import { roleLabel } from '@/lib/auth/permissions';
import { AppError, ForbiddenError } from '@/lib/errors/app-error';
import type { BulkMemberRowStatus } from '@/lib/generated/prisma/client';
import { getBulkMemberAction, KIND_LABELS, type BulkActionView } from '@/lib/members/bulk-actions';
import { organizationRoles } from '@/lib/roles/catalogue';
import { ActionControls, RefreshWhileRunning } from './action-controls';

export const metadata: Metadata = { title: 'Bulk action' };

const OUTCOME: Record<BulkMemberRowStatus, { label: string; variant: 'default' | 'secondary' | 'destructive' | 'outline' }> = {
  PENDING: { label: 'To do', variant: 'outline' },
  RUNNING: { label: 'Working', variant: 'secondary' },
  DONE: { label: 'Done', variant: 'default' },
  SKIPPED: { label: 'Skipped', variant: 'secondary' },
  FAILED: { label: 'Failed', variant: 'destructive' },
};

function title(view: BulkActionView, roleName: (name: string) => string): string {
  const { action } = view;
  return action.kind === 'CHANGE_ROLE' ? `Change role to ${roleName(action.role!)}` : KIND_LABELS[action.kind];
}

/**
 * One bulk member action: the preview (what will happen to each person, with Confirm and
 * Discard), then its progress while the job runs (refreshed from the database every second),
 * then the outcome with the results file.
 */
export default async function BulkActionPage({ params }: { params: Promise<{ orgId: string; actionId: string }> }) {
  const { orgId, actionId } = await params;
  const ctx = await requireOrgMember(orgId).catch((error: unknown) => {
    if (error instanceof ForbiddenError) notFound();
    throw error;
  });
  const view = await getBulkMemberAction(actorFromContext(ctx, orgId), orgId, actionId).catch((error: unknown) => {
    if (error instanceof AppError && (error.status === 404 || error.status === 403)) notFound();
    throw error;
  });
  // The cached role list; without it (Scalekit down, no cache) roles read by their names.
  const names = new Map((await organizationRoles(orgId).catch(() => [])).map((r) => [r.name, r.displayName]));
  const roleName = (name: string) => names.get(name) ?? roleLabel(name);
  const { action, counts, rows } = view;
  const finished = counts.done + counts.skipped + counts.failed;
  const preview = action.status === 'PREVIEW';
  const running = action.status === 'QUEUED';
  const team = `/orgs/${encodeURIComponent(orgId)}/team`;

  return (
    <section aria-labelledby="action-heading" className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link href={team} className="flex items-center gap-1 text-sm text-muted-foreground hover:underline">
          <ArrowLeftIcon className="size-4" aria-hidden="true" /> Team
        </Link>
        <h1 id="action-heading" className="text-xl font-semibold tracking-tight">
          {title(view, roleName)}
        </h1>
        <p className="text-sm text-muted-foreground" data-testid="bulk-action-summary">
          {preview
            ? `${counts.pending} of ${counts.total} selected will be changed; ${counts.skipped} will be skipped. Nothing has changed yet.`
            : running
              ? `${finished} of ${counts.total} done. You can leave this page: the work goes on in the background.`
              : action.status === 'DISCARDED'
                ? 'Discarded. Nothing was changed.'
                : `Finished: ${counts.done} done, ${counts.skipped} skipped, ${counts.failed} failed.`}
        </p>
      </div>

      {running ? (
        <>
          <ProgressBar label="Progress" value={finished} max={counts.total} />
          <RefreshWhileRunning />
        </>
      ) : null}

      <div className="flex flex-wrap items-center gap-2">
        {preview ? <ActionControls orgId={orgId} actionId={action.id} pending={counts.pending} /> : null}
        <Button asChild variant="outline">
          <a href={`/api/orgs/${encodeURIComponent(orgId)}/bulk-actions.csv?id=${encodeURIComponent(action.id)}`} download>
            <DownloadIcon aria-hidden="true" />
            {preview ? 'Download preview (CSV)' : 'Download results (CSV)'}
          </a>
        </Button>
      </div>

      <Table aria-label="People in this bulk action">
        <TableHeader>
          <TableRow>
            <TableHead>Email</TableHead>
            <TableHead>Role before</TableHead>
            <TableHead>{preview ? 'Will be' : 'Result'}</TableHead>
            <TableHead>Details</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.id} data-testid="bulk-action-row" data-email={row.email}>
              <TableCell>{row.email}</TableCell>
              <TableCell>{roleName(row.roleBefore)}</TableCell>
              <TableCell>
                <Badge variant={OUTCOME[row.status].variant} data-testid="bulk-action-outcome">
                  {preview && row.status === 'PENDING' ? 'Will be done' : OUTCOME[row.status].label}
                </Badge>
              </TableCell>
              {/* Reasons are sentences: they wrap rather than widen the table past the page. */}
              <TableCell className="min-w-64 whitespace-normal text-muted-foreground">{row.reason ?? (preview ? '' : '—')}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {counts.total > rows.length ? (
        <p className="text-sm text-muted-foreground">
          The first {rows.length} of {counts.total} are shown; the CSV has everyone.
        </p>
      ) : null}
    </section>
  );
}
