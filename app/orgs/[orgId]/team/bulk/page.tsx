import type { Metadata } from 'next';
import Link from 'next/link';
import { ChevronLeftIcon } from 'lucide-react';
import { BulkInvite } from '../_components/bulk-invite';
import { adminOnlyPage } from '@/components/admins-only';
import { unfinishedBulkJob } from '@/lib/invitations/bulk';
import { CSV_LIMITS_TEXT, CSV_MAX_BYTES, CSV_MAX_ROWS } from '@/lib/invitations/csv';

export const metadata: Metadata = { title: 'Bulk invite' };

/** Admins only: members are told whom to ask; anyone else gets the same 404 as for an organization they cannot see. */
export default adminOnlyPage('members:invite', 'invite people to the team', async ({ actor, orgId, searchParams }) => {
  // A job still being sent in the background (its progress is shown), or left with rows unsent (offered to resume or discard).
  const left = await unfinishedBulkJob(actor, orgId);
  const unfinished = left
    ? {
        jobId: left.job.id,
        fileName: left.job.fileName,
        createdAt: left.job.createdAt.toISOString(),
        counts: left.counts,
        sending: left.job.status === 'QUEUED' || left.job.status === 'RUNNING',
        source: left.job.source,
      }
    : null;
  return (
    <section aria-labelledby="bulk-heading" className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link
          href={`/orgs/${encodeURIComponent(orgId)}/team`}
          className="flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
        >
          <ChevronLeftIcon className="size-4" aria-hidden="true" />
          Team
        </Link>
        <h1 id="bulk-heading" className="text-xl font-semibold tracking-tight">
          Bulk invite
        </h1>
        <p className="text-sm text-muted-foreground">
          Upload a spreadsheet of people ({CSV_LIMITS_TEXT}), or pick people and whole groups from your connected directory. Every row is
          checked first; people who are already members or invited are skipped, so doing it again only invites who is missing.
        </p>
      </div>
      <BulkInvite
        orgId={orgId}
        maxBytes={CSV_MAX_BYTES}
        maxRows={CSV_MAX_ROWS}
        limitsText={CSV_LIMITS_TEXT}
        unfinished={unfinished}
        initialTab={searchParams.source === 'directory' ? 'directory' : 'csv'}
      />
    </section>
  );
});
