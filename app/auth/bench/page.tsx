import { notFound } from 'next/navigation';
import { DashboardView } from '@/app/dashboard/dashboard-view';
import { SiteHeader } from '@/components/site-header';
import { grantedPermissions } from '@/lib/auth/permissions';
import { sessionMembership } from '@/lib/auth/guards';
import { db } from '@/lib/db';

/*
 * The dashboard WITHOUT its protection, for bench/protected-throughput.ts only: the same view and
 * the same content queries (user + memberships) for a fixed seeded user, but no middleware check
 * and no session lookup. The difference in throughput against /dashboard is what protection
 * costs. It exists only when the server was started with TEAMGATE_BENCH=1; otherwise 404.
 * The layout shows the anonymous header here (no cookie), so the page renders the signed-in
 * header itself: otherwise the comparison would charge the account menu and org switcher to
 * "protection".
 */
export const dynamic = 'force-dynamic';

const BENCH_USER = 'usr_ada';
const BENCH_ORG = 'org_acme';

export default async function UnprotectedDashboardForBench() {
  if (process.env.TEAMGATE_BENCH !== '1') notFound();
  const [user, memberships] = await Promise.all([
    db.user.findUnique({ where: { id: BENCH_USER }, select: { id: true, email: true, name: true } }),
    db.membership.findMany({
      where: { userId: BENCH_USER, status: 'ACTIVE' },
      select: { id: true, organizationId: true, role: true, permissions: true, organization: { select: { name: true, logoSha256: true } } },
      orderBy: [{ organization: { name: 'asc' } }, { organizationId: 'asc' }],
    }),
  ]);
  const active = memberships.find((m) => m.organizationId === BENCH_ORG);
  if (!user || !active) notFound();
  const now = new Date();
  const orgs = memberships.map((m) => ({ id: m.organizationId, name: m.organization.name, role: m.role }));
  return (
    <>
      <SiteHeader user={{ name: user.name, email: user.email }} orgs={orgs} activeOrgId={BENCH_ORG} csrfToken="bench-no-session" />
      <DashboardView
        ctx={{
          session: {
            id: 'bench',
            userId: user.id,
            organizationId: BENCH_ORG,
            authMethod: 'otp',
            createdAt: now,
            expiresAt: new Date(now.getTime() + 86_400_000),
          },
          user,
          organization: { id: BENCH_ORG, name: active.organization.name },
          membership: { id: active.id, role: active.role, permissions: grantedPermissions(active.permissions), status: 'ACTIVE' },
          memberships: memberships.map(sessionMembership),
        }}
      />
    </>
  );
}
