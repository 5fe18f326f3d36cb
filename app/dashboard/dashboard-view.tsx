import Link from 'next/link';
import { Building2Icon, FingerprintIcon, ShieldCheckIcon, UsersIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { describeAuthMethod } from '@/lib/auth/auth-method';
import type { SessionContext } from '@/lib/auth/guards';
import { can, describeAbilities, roleLabel } from '@/lib/auth/permissions';
import { DashboardHeading, SummaryCard } from './dashboard-cards';

export type DashboardData = Pick<SessionContext, 'session' | 'user' | 'organization' | 'membership' | 'memberships'>;

/** `roleName` gives a role's display name in an organization (lib/roles/catalogue.ts roleDisplayNames). */
export function DashboardView({
  ctx,
  roleName = (_org, role) => roleLabel(role),
}: {
  ctx: DashboardData;
  roleName?: (organizationId: string, role: string) => string;
}) {
  const manages = can(ctx.membership.permissions, 'members:invite') || can(ctx.membership.permissions, 'members:manage');
  const teamHref = `/orgs/${encodeURIComponent(ctx.organization.id)}/team`;

  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-8 px-4 py-10 sm:px-6">
      <DashboardHeading />
      <p className="-mt-6 text-sm" data-testid="signed-in-as">
        Signed in as <strong className="font-medium">{ctx.user.name || ctx.user.email}</strong>
        {ctx.user.name ? <span className="text-muted-foreground"> ({ctx.user.email})</span> : null}
      </p>
      <div className="grid gap-4 md:grid-cols-2 lg:grid-cols-4">
        <SummaryCard
          title="Your organization"
          description="The organization you are working in"
          icon={Building2Icon}
          testId="dashboard-org"
        >
          <p className="text-xl font-semibold">{ctx.organization.name}</p>
          <p className="font-mono text-xs text-muted-foreground">{ctx.organization.id}</p>
        </SummaryCard>
        <SummaryCard title="Your role" description="What you can do in this organization" icon={ShieldCheckIcon} testId="dashboard-role">
          <p className="text-xl font-semibold">{roleName(ctx.organization.id, ctx.membership.role)}</p>
          <p className="text-sm text-muted-foreground">{describeAbilities(ctx.membership.permissions)}</p>
        </SummaryCard>
        <SummaryCard
          title="How you signed in"
          description="The method you used for this session"
          icon={FingerprintIcon}
          testId="dashboard-auth-method"
        >
          <p className="text-xl font-semibold">{describeAuthMethod(ctx.session.authMethod)}</p>
          <p className="text-sm text-muted-foreground">
            Session ends {ctx.session.expiresAt.toLocaleDateString('en', { dateStyle: 'medium' })}.{' '}
            <Link href="/account" className="underline underline-offset-4">
              Manage sessions
            </Link>
          </p>
        </SummaryCard>
        <SummaryCard title="Team" description="Members and pending invitations" icon={UsersIcon} testId="dashboard-team">
          <Button asChild variant={manages ? 'default' : 'outline'} size="sm" className="w-fit">
            <Link href={teamHref}>{manages ? 'Manage team' : 'View team'}</Link>
          </Button>
          {ctx.memberships.length > 1 ? (
            <p className="text-sm text-muted-foreground">You belong to {ctx.memberships.length} organizations; switch in the header.</p>
          ) : null}
        </SummaryCard>
      </div>
      {ctx.memberships.length > 1 ? (
        <section aria-labelledby="your-orgs" className="flex flex-col gap-3">
          <h2 id="your-orgs" className="text-base font-semibold">
            Your organizations
          </h2>
          <ul className="flex flex-wrap gap-2">
            {ctx.memberships.map((m) => (
              <li key={m.organizationId}>
                <Badge variant={m.organizationId === ctx.organization.id ? 'default' : 'outline'}>
                  {m.organizationName} · {roleName(m.organizationId, m.role)}
                </Badge>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
