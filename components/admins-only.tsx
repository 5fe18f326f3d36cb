import Link from 'next/link';
import { ShieldIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import type { ReactNode } from 'react';
import type { Actor } from '@/lib/auth/actor';
import { requirePermissionPage, type AdminsOnly } from '@/lib/auth/guards';
import type { Permission } from '@/lib/auth/permissions';

function adminLabel(admin: { name: string | null; email: string }): string {
  return admin.name ? `${admin.name} (${admin.email})` : admin.email;
}

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The default export of an /orgs/:orgId page for one permission: `render` runs for a member whose
 * role grants it (with the Actor its services take); another member gets AdminsOnlyNotice saying
 * only admins can `what`, and anyone else requirePermissionPage's 404.
 */
export function adminOnlyPage(
  permission: Permission,
  what: string,
  /** `segments`: every dynamic segment of the route (orgId and, below it, e.g. reviewId). */
  render: (page: { actor: Actor; orgId: string; searchParams: SearchParams; segments: Record<string, string> }) => Promise<ReactNode>,
) {
  return async function AdminOnlyPage({
    params,
    searchParams,
  }: {
    params: Promise<{ orgId: string } & Record<string, string>>;
    searchParams: Promise<SearchParams>;
  }) {
    const segments = await params;
    const { orgId } = segments;
    const gate = await requirePermissionPage(orgId, permission);
    if (gate.adminsOnly) return <AdminsOnlyNotice {...gate.adminsOnly} what={what} />;
    return render({ actor: gate.actor, orgId, searchParams: await searchParams, segments });
  };
}

/**
 * Shown instead of an admin-only page to a member of the organization: what happened and whom
 * to ask. The decision (and what may be shown) is the server's: requirePermissionPage.
 */
export function AdminsOnlyNotice({ organization, admins, what }: AdminsOnly & { what: string }) {
  const teamHref = `/orgs/${encodeURIComponent(organization.id)}/team`;
  return (
    <section
      aria-labelledby="admins-only-heading"
      className="flex max-w-xl flex-col gap-4 rounded-xl border bg-card p-6 shadow-sm"
      data-testid="admins-only"
    >
      <div className="flex items-center gap-3">
        <ShieldIcon className="size-5 text-muted-foreground" aria-hidden="true" />
        <h1 id="admins-only-heading" className="text-lg font-semibold tracking-tight">
          Only admins of {organization.name} can {what}
        </h1>
      </div>
      {admins.length > 0 ? (
        <div className="flex flex-col gap-2 text-sm">
          <p>Ask an admin if you need this done:</p>
          <ul className="list-disc pl-5" data-testid="admins-to-ask">
            {admins.map((admin) => (
              <li key={admin.email}>
                <a className="underline underline-offset-4" href={`mailto:${admin.email}`}>
                  {adminLabel(admin)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="text-sm">
          {organization.name} has no active admin right now. Ask whoever manages your organization&apos;s Teamgate account.
        </p>
      )}
      <div>
        <Button asChild variant="outline">
          <Link href={teamHref}>Back to the team</Link>
        </Button>
      </div>
    </section>
  );
}
