import { notFound } from 'next/navigation';
import { ForbiddenError } from '@/lib/errors/app-error';
import { actorFromContext, canIn, membershipIn, requireOrgMember } from '@/lib/auth/guards';
import { pendingRequestCount, requestsEnabled } from '@/lib/invitation-requests/service';
import type { Permission } from '@/lib/auth/permissions';
import { roleDisplayNames } from '@/lib/roles/catalogue';
import { OrgTabs, type OrgTab } from './org-tabs';

/**
 * Every page under /orgs/:orgId: the signed-in user must be an ACTIVE member of that
 * organization (re-checked against the database). Anyone else gets a 404, so an org id typed
 * into the URL does not even confirm the organization exists. A tab is shown to those whose role
 * grants its permission; the pages behind them check again.
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
  const membership = membershipIn(ctx, orgId)!;
  const roleName = (await roleDisplayNames([membership]))(orgId, membership.role);
  const name = membership.organizationName;
  const base = `/orgs/${encodeURIComponent(orgId)}`;
  // The Requests tab: for whoever decides them (with the pending count), and for members while the
  // organization takes requests (their own list). The page checks again.
  const [pending, requestsOn] = await Promise.all([pendingRequestCount(actorFromContext(ctx, orgId), orgId), requestsEnabled(orgId)]);
  const tabs: Array<OrgTab & { permission?: Permission }> = [
    { href: `${base}/team`, label: 'Team' },
    ...(pending !== null || requestsOn
      ? [{ href: `${base}/requests`, label: 'Requests', ...(pending ? { badge: { count: pending, srLabel: 'pending' } } : {}) }]
      : []),
    { href: `${base}/access-reviews`, label: 'Access reviews', permission: 'members:manage' },
    { href: `${base}/audit`, label: 'Audit log', permission: 'audit:read' },
    { href: `${base}/settings`, label: 'Settings', permission: 'org:settings' },
    { href: `${base}/settings/sso`, label: 'SSO & directory', permission: 'org:settings' },
    { href: `${base}/settings/api-keys`, label: 'API keys', permission: 'api_keys:manage' },
    { href: `${base}/settings/webhooks`, label: 'Webhooks', permission: 'org:settings' },
  ];
  const shown = tabs
    .filter((t) => !t.permission || canIn(ctx, orgId, t.permission))
    .map(({ href, label, badge }) => ({ href, label, ...(badge ? { badge } : {}) }));
  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-8 sm:px-6">
      {/* Not on paper: printed pages (the access review report) carry their own heading. */}
      <div className="flex flex-col gap-3 border-b print:hidden">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <p className="text-2xl font-semibold tracking-tight" data-testid="org-name">
            {name}
          </p>
          <span className="text-sm text-muted-foreground">Your role: {roleName}</span>
        </div>
        <OrgTabs tabs={shown} />
      </div>
      {children}
    </div>
  );
}
