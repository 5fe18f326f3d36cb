import type { Metadata } from 'next';
import { RotateCcwIcon } from 'lucide-react';
import Link from 'next/link';
import { adminOnlyPage } from '@/components/admins-only';
import { PageSection } from '@/components/page-section';
import { EmptyTableNotice, TableColumns } from '@/components/table-columns';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableRow } from '@/components/ui/table';
import { getEnterpriseStatus, type DirectoryStatus, type SsoConnectionStatus } from '@/lib/enterprise/status';
import { getEnv } from '@/lib/env';
import { formatDateTime } from '../../team/format';
import { AdminPortal } from './admin-portal';

export const metadata: Metadata = { title: 'Single sign-on & directory' };
// Read from Scalekit on every visit: the admin portal changes it outside the app.
export const dynamic = 'force-dynamic';

function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? <Badge variant="success">Enabled</Badge> : <Badge variant="secondary">Disabled</Badge>;
}

function ConnectionsTable({ connections }: { connections: SsoConnectionStatus[] }) {
  if (connections.length === 0) {
    return (
      <EmptyTableNotice testId="sso-empty">
        No SSO connection yet. Open the admin portal to connect your identity provider (Okta, Entra ID, Google Workspace, any SAML or OIDC
        IdP); a connection shows here once it is enabled.
      </EmptyTableNotice>
    );
  }
  return (
    <Table aria-labelledby="sso-connections-heading" data-testid="sso-connections">
      <TableColumns columns={['Identity provider', 'Protocol', 'Domains', 'Setup', 'Status']} />
      <TableBody>
        {connections.map((c) => (
          <TableRow key={c.id}>
            <TableCell className="font-medium">{c.provider}</TableCell>
            <TableCell>{c.protocol}</TableCell>
            <TableCell>{c.domains.length ? c.domains.join(', ') : '—'}</TableCell>
            <TableCell>{c.status}</TableCell>
            <TableCell>
              <EnabledBadge enabled={c.enabled} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function DirectoriesTable({ directories }: { directories: DirectoryStatus[] }) {
  if (directories.length === 0) {
    return (
      <EmptyTableNotice testId="directory-empty">
        No directory connected yet. Open the admin portal to connect your directory (SCIM) so people are provisioned from it.
      </EmptyTableNotice>
    );
  }
  return (
    <Table aria-labelledby="directories-heading" data-testid="directories">
      <TableColumns columns={['Directory', 'Provider', 'Status', 'Last sync', 'Users', 'Groups']} />
      <TableBody>
        {directories.map((d) => (
          <TableRow key={d.id}>
            <TableCell className="font-medium">
              {d.name} <span className="text-xs text-muted-foreground">({d.type})</span>
            </TableCell>
            <TableCell>{d.provider}</TableCell>
            <TableCell>
              <EnabledBadge enabled={d.enabled} />
            </TableCell>
            <TableCell>{d.lastSyncedAt ? formatDateTime(d.lastSyncedAt) : 'Never'}</TableCell>
            <TableCell>{d.totalUsers}</TableCell>
            <TableCell>{d.totalGroups}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Admins only (org:settings); members are told whom to ask, anyone else gets a 404. */
export default adminOnlyPage('org:settings', 'set up single sign-on and directory sync', async ({ actor, orgId }) => {
  const status = await getEnterpriseStatus(actor, orgId);
  const here = `/orgs/${encodeURIComponent(orgId)}/settings/sso`;
  return (
    <PageSection
      id="sso-heading"
      title="Single sign-on & directory"
      description="Let your people sign in through your identity provider and be provisioned from your directory. You set both up yourself in Scalekit's admin portal; this page shows what Scalekit has now."
    >
      {status.ok ? (
        <div className="flex flex-col gap-8">
          <section aria-labelledby="sso-connections-heading" className="flex flex-col gap-3">
            <h2 id="sso-connections-heading" className="text-lg font-semibold tracking-tight">
              SSO connections
            </h2>
            <ConnectionsTable connections={status.connections} />
          </section>
          <section aria-labelledby="directories-heading" className="flex flex-col gap-3">
            <h2 id="directories-heading" className="text-lg font-semibold tracking-tight">
              Directory sync
            </h2>
            <DirectoriesTable directories={status.directories} />
          </section>
        </div>
      ) : (
        <Alert variant="destructive" data-testid="sso-status-error">
          <AlertTitle>The single sign-on status could not be read</AlertTitle>
          <AlertDescription className="flex flex-col items-start gap-3">
            <span>{status.message}</span>
            <Button asChild variant="outline" size="sm">
              <Link href={here} prefetch={false}>
                <RotateCcwIcon aria-hidden="true" />
                Try again
              </Link>
            </Button>
          </AlertDescription>
        </Alert>
      )}
      <AdminPortal orgId={orgId} scalekitOrigin={new URL(getEnv().SCALEKIT_ENVIRONMENT_URL).origin} />
    </PageSection>
  );
});
