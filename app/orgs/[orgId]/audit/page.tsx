import type { Metadata } from 'next';
import Link from 'next/link';
import { DownloadIcon } from 'lucide-react';
import { FormField } from '@/components/form-field';
import { PageSection } from '@/components/page-section';
import { PagerLinks } from '@/components/pager-links';
import { EmptyTableNotice, TableColumns } from '@/components/table-columns';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableRow } from '@/components/ui/table';
import { adminOnlyPage } from '@/components/admins-only';
import { AppError } from '@/lib/errors/app-error';
import { auditFiltersFromSearchParams, listAuditEvents, type AuditPage } from '@/lib/audit/query';
import { AUDIT_ACTIONS } from '@/lib/audit/record';
import { nativeSelectClass } from '@/components/ui/native-select';

export const metadata: Metadata = { title: 'Audit log' };

const timeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

function describeChange(metadata: unknown): string | null {
  if (!metadata || typeof metadata !== 'object') return null;
  const m = metadata as Record<string, unknown>;
  if (typeof m.from === 'string' && typeof m.to === 'string') return `${m.from} → ${m.to}`;
  return null;
}

export default adminOnlyPage('audit:read', 'see the audit log', async ({ actor, orgId, searchParams: raw }) => {
  const query = new URLSearchParams();
  for (const key of ['action', 'q', 'from', 'to', 'cursor']) {
    const v = raw[key];
    const value = Array.isArray(v) ? v[0] : v;
    if (value) query.set(key, value.slice(0, 200));
  }
  const base = `/orgs/${encodeURIComponent(orgId)}/audit`;
  const filterQuery = new URLSearchParams(query);
  filterQuery.delete('cursor');
  const hrefWith = (cursor: string) => {
    const p = new URLSearchParams(filterQuery);
    p.set('cursor', cursor);
    return `${base}?${p}`;
  };

  let page: AuditPage | null = null;
  let problem: string | null = null;
  try {
    page = await listAuditEvents(actor, orgId, { ...auditFiltersFromSearchParams(query), cursor: query.get('cursor') ?? undefined });
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 400) throw error;
    problem = error.message;
  }

  return (
    <PageSection
      id="audit-heading"
      title="Audit log"
      description="Who invited, resent, revoked, removed or changed whom, when and from where. Times in UTC."
      actions={
        <Button asChild variant="outline">
          <a href={`/api/orgs/${encodeURIComponent(orgId)}/audit.csv${filterQuery.size ? `?${filterQuery}` : ''}`} download>
            <DownloadIcon aria-hidden="true" />
            Export CSV
          </a>
        </Button>
      }
    >
      <form method="get" action={base} role="search" aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3">
        <FormField id="audit-q" label="Person" className="min-w-48 flex-1 gap-1.5">
          <Input name="q" type="search" placeholder="Actor or target email" defaultValue={filterQuery.get('q') ?? ''} maxLength={100} />
        </FormField>
        <FormField id="audit-action" label="Action" className="gap-1.5">
          <select name="action" defaultValue={filterQuery.get('action') ?? ''} className={nativeSelectClass}>
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="audit-from" label="From" className="gap-1.5">
          <Input name="from" type="date" defaultValue={filterQuery.get('from') ?? ''} />
        </FormField>
        <FormField id="audit-to" label="To" className="gap-1.5">
          <Input name="to" type="date" defaultValue={filterQuery.get('to') ?? ''} />
        </FormField>
        <Button type="submit" variant="secondary">
          Apply
        </Button>
      </form>

      {problem ? (
        <Alert variant="destructive">
          <AlertTitle>Those filters could not be used</AlertTitle>
          <AlertDescription>
            {problem}{' '}
            <Link className="underline" href={base}>
              Show everything
            </Link>
          </AlertDescription>
        </Alert>
      ) : page && page.rows.length === 0 ? (
        <EmptyTableNotice testId="audit-empty">No events match.</EmptyTableNotice>
      ) : page ? (
        <>
          <Table aria-label="Audit events">
            <TableColumns columns={['When', 'Who', 'Action', 'Target', 'Details', 'IP']} />
            <TableBody>
              {page.rows.map((row) => (
                <TableRow key={row.id} data-testid="audit-row" data-action={row.action}>
                  <TableCell className="whitespace-nowrap">
                    <time dateTime={row.createdAt.toISOString()}>{timeFormat.format(row.createdAt)}</time>
                  </TableCell>
                  <TableCell>{row.actorLabel ?? row.actorType}</TableCell>
                  <TableCell>
                    <code className="text-xs">{row.action}</code>
                  </TableCell>
                  <TableCell>{row.targetLabel ?? '—'}</TableCell>
                  <TableCell className="text-muted-foreground">{describeChange(row.metadata) ?? '—'}</TableCell>
                  <TableCell className="text-muted-foreground">{row.ip ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <nav aria-label="Pages" className="flex justify-end gap-2">
            <PagerLinks
              prevHref={page.prevCursor ? hrefWith(page.prevCursor) : null}
              nextHref={page.nextCursor ? hrefWith(page.nextCursor) : null}
            />
          </nav>
        </>
      ) : null}
    </PageSection>
  );
});
