import type { Metadata } from 'next';
import Link from 'next/link';
import { adminOnlyPage } from '@/components/admins-only';
import { PageSection } from '@/components/page-section';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { listOrganizationDomains } from '@/lib/organizations/verified-domains';
import { formatDate } from '../../team/format';
import { JoinModeForm } from './join-mode-form';

export const metadata: Metadata = { title: 'Verified domains' };

const STATUS_TEXT: Record<string, { label: string; variant: 'success' | 'warning' | 'destructive' | 'outline' }> = {
  VERIFIED: { label: 'Verified', variant: 'success' },
  PENDING: { label: 'Waiting for DNS', variant: 'warning' },
  FAILED: { label: 'Verification failed', variant: 'destructive' },
};

/** Admins only (org:settings): the organization's domains at Scalekit and what each lets colleagues do. */
export default adminOnlyPage('org:settings', "change the organization's domains", async ({ actor, orgId }) => {
  const { domains, stale } = await listOrganizationDomains(actor, orgId);
  return (
    <PageSection
      id="domains-heading"
      title="Verified domains"
      description="Let colleagues with an address at your company's domain join without an invitation, or ask to. Invitation only stays the default."
    >
      <div className="flex max-w-3xl flex-col gap-2 text-sm text-muted-foreground">
        <p>
          Add a domain and prove you own it in Scalekit&apos;s admin portal (
          <Link className="underline underline-offset-2" href={`/orgs/${orgId}/settings`}>
            Settings
          </Link>{' '}
          → Single sign-on &amp; directory → Open admin portal): it shows a DNS TXT record to publish, and Scalekit checks it. Once a domain
          is verified, choose who may join with an address there.
        </p>
      </div>
      {stale ? (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Scalekit could not be reached, so this is the list as last read. Reload the page to try again.
        </p>
      ) : null}
      {domains.length === 0 ? (
        <div className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          <p className="font-medium text-foreground">No domains yet</p>
          <p>Domains you verify in the admin portal appear here.</p>
        </div>
      ) : (
        <Table aria-label="Domains">
          <TableHeader>
            <TableRow>
              <TableHead>Domain</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Who can join</TableHead>
              <TableHead>Checked</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {domains.map((d) => {
              const status = STATUS_TEXT[d.verificationStatus] ?? {
                label: d.verificationStatus.toLowerCase(),
                variant: 'outline' as const,
              };
              return (
                <TableRow key={d.id}>
                  <TableCell className="font-medium">{d.domain}</TableCell>
                  <TableCell>
                    <Badge variant={status.variant}>{status.label}</Badge>
                  </TableCell>
                  <TableCell>
                    <JoinModeForm orgId={orgId} domainId={d.id} domain={d.domain} joinMode={d.joinMode} verified={d.verified} />
                  </TableCell>
                  <TableCell className="text-muted-foreground">{formatDate(d.syncedAt)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </PageSection>
  );
});
