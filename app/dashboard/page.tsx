import type { Metadata } from 'next';
import { requireSession } from '@/lib/auth/guards';
import { roleDisplayNames } from '@/lib/roles/catalogue';
import { DashboardView } from './dashboard-view';

export const metadata: Metadata = { title: 'Dashboard' };

/** Every value shown comes from the database for this request (requireSession), never from the cookie. */
export default async function DashboardPage() {
  const ctx = await requireSession('/dashboard');
  return <DashboardView ctx={ctx} roleName={await roleDisplayNames(ctx.memberships)} />;
}
