import { notFound } from 'next/navigation';
import { ForbiddenError } from '@/lib/errors/app-error';
import { requireOrgMember, roleIn } from '@/lib/auth/guards';
import { ROLE_LABELS } from '@/lib/auth/permissions';
import { OrgTabs, type OrgTab } from './org-tabs';

/**
 * Every page under /orgs/:orgId: the signed-in user must be an ACTIVE member of that
 * organization (re-checked against the database). Anyone else gets a 404, so an org id typed
 * into the URL does not even confirm the organization exists. Admin-only tabs are shown to
 * admins; the pages behind them check again.
 */
export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  let ctx;
  try {
    ctx = await requireOrgMember(orgId);
  } catch (error) {
    if (error instanceof ForbiddenError) notFound();
    throw error;
  }
  const role = roleIn(ctx, orgId)!;
  const name = ctx.memberships.find((m) => m.organizationId === orgId)?.organizationName ?? orgId;
  const base = `/orgs/${encodeURIComponent(orgId)}`;
  const tabs: OrgTab[] = [
    { href: `${base}/team`, label: 'Team' },
    ...(role === 'admin'
      ? [
          { href: `${base}/audit`, label: 'Audit log' },
          { href: `${base}/settings`, label: 'Settings' },
          { href: `${base}/settings/api-keys`, label: 'API keys' },
        ]
      : []),
  ];
  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-8 sm:px-6">
      <div className="flex flex-col gap-3 border-b">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <p className="text-2xl font-semibold tracking-tight" data-testid="org-name">
            {name}
          </p>
          <span className="text-sm text-muted-foreground">
            You are {role === 'admin' ? 'an' : 'a'} {ROLE_LABELS[role].toLowerCase()}
          </span>
        </div>
        <OrgTabs tabs={tabs} />
      </div>
      {children}
    </div>
  );
}
