import type { Metadata } from 'next';
import { adminOnlyPage } from '@/components/admins-only';
import { PageSection } from '@/components/page-section';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { getDirectoryOverview } from '@/lib/directory/service';
import { organizationRoles } from '@/lib/roles/catalogue';
import { formatDateTime } from '../../team/format';
import { GroupRoleForm, JoinAsForm, SyncNowForm } from './directory-forms';

export const metadata: Metadata = { title: 'Directory sync' };

/** Settings → Directory: how directory (SCIM) users join, which role each group gives, and the last sync. */
export default adminOnlyPage('org:settings', 'change how the directory syncs', async ({ actor, orgId }) => {
  const [overview, roles] = await Promise.all([getDirectoryOverview(actor, orgId), organizationRoles(orgId)]);
  const last = overview.lastReconcileResult;
  return (
    <PageSection
      id="directory-heading"
      title="Directory sync"
      description="People your identity provider provisions through SCIM join this organization; people it deprovisions lose access at once. Every change is in the audit log as “directory”."
    >
      <JoinAsForm orgId={orgId} joinAs={overview.joinAs} />

      <section aria-labelledby="groups-heading" className="flex flex-col gap-3 border-t pt-6">
        <h2 id="groups-heading" className="text-lg font-semibold tracking-tight">
          Groups and roles
        </h2>
        <p className="max-w-xl text-sm text-muted-foreground">
          Members of a group get its role; someone in several groups gets the one that grants the most, and someone in none the default
          role. A change here applies to everyone in the group at once.
        </p>
        {overview.groups.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No directory groups yet. They appear when your directory sends them, or after a sync.
          </p>
        ) : (
          <Table aria-labelledby="groups-heading">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Group</TableHead>
                <TableHead scope="col">Active users</TableHead>
                <TableHead scope="col">Role</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {overview.groups.map((g) => (
                <TableRow key={g.id}>
                  <TableCell className="font-medium">{g.displayName}</TableCell>
                  <TableCell>{g.members}</TableCell>
                  <TableCell>
                    <GroupRoleForm orgId={orgId} group={g} roles={roles.map((r) => ({ name: r.name, displayName: r.displayName }))} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>

      <section aria-labelledby="sync-heading" className="flex flex-col gap-3 border-t pt-6">
        <h2 id="sync-heading" className="text-lg font-semibold tracking-tight">
          Last sync
        </h2>
        <p className="max-w-xl text-sm text-muted-foreground">
          A sync lists the whole directory from Scalekit and repairs what missed events left behind. It runs every hour.
        </p>
        {overview.lastReconcileAt && last ? (
          <p className="text-sm" data-testid="last-sync">
            {formatDateTime(overview.lastReconcileAt)}: {last.users} users in {last.groups} groups; {last.created} added, {last.invited}{' '}
            invited, {last.roleChanges} role changes, {last.removed} removed
            {last.failed ? `, ${last.failed} failed` : ''}.
            {last.error ? <span className="block text-destructive">{last.error}</span> : null}
          </p>
        ) : (
          <p className="text-sm text-muted-foreground">Not synced yet.</p>
        )}
        <SyncNowForm orgId={orgId} />
      </section>
    </PageSection>
  );
});
