import { redirect } from 'next/navigation';

/** /orgs/:orgId has no page of its own: the team is the organization's home. */
export default async function OrgIndexPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  redirect(`/orgs/${encodeURIComponent(orgId)}/team`);
}
