import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { MailIcon, UserRoundIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { csrfTokenFor } from '@/lib/auth/csrf';
import { getSessionContext } from '@/lib/auth/guards';
import { parseInvitationSearchParams, type PageSearchParams } from '@/lib/auth/login';
import { db } from '@/lib/db';

export const metadata: Metadata = { title: 'Open invitation', robots: { index: false } };

/**
 * "You're signed in as X; this invitation is for Y." Reached from /auth/login/initiate when the
 * browser already has someone else's session: accepting silently into the wrong account (or
 * signing them out without asking) are both worse than asking.
 */
export default async function InvitationChoicePage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const query = await searchParams;
  const parsed = parseInvitationSearchParams(query);
  if (!parsed.ok) redirect(`/login?${new URLSearchParams({ error: parsed.code }).toString()}`);
  const invite = parsed.request;
  const initiate = `/auth/login/initiate?${new URLSearchParams({
    login_hint: invite.loginHint!,
    ...(invite.organizationId ? { organization_id: invite.organizationId } : {}),
  }).toString()}`;

  const ctx = await getSessionContext();
  if (!ctx || ctx.user.email.toLowerCase() === invite.loginHint) redirect(initiate);

  const [csrfToken, organization] = await Promise.all([
    csrfTokenFor(ctx.session.id),
    invite.organizationId
      ? db.organization.findUnique({ where: { id: invite.organizationId }, select: { name: true } })
      : Promise.resolve(null),
  ]);

  return (
    <div className="flex flex-1 items-center justify-center bg-muted/40 px-4 py-16">
      <div className="flex w-full max-w-md flex-col gap-5 rounded-xl border bg-card p-8 shadow-sm">
        <h1 className="text-xl font-semibold tracking-tight">This invitation is for someone else</h1>
        <dl className="grid gap-3 text-sm">
          <div className="flex items-center gap-3">
            <UserRoundIcon className="size-4 text-muted-foreground" aria-hidden="true" />
            <dt className="text-muted-foreground">You&apos;re signed in as</dt>
            <dd className="font-medium" data-testid="signed-in-email">
              {ctx.user.email}
            </dd>
          </div>
          <div className="flex items-center gap-3">
            <MailIcon className="size-4 text-muted-foreground" aria-hidden="true" />
            <dt className="text-muted-foreground">This invitation is for</dt>
            <dd className="font-medium" data-testid="invited-email">
              {invite.loginHint}
            </dd>
          </div>
        </dl>
        <p className="text-sm text-muted-foreground">
          {organization ? (
            <>
              To join <strong className="text-foreground">{organization.name}</strong> as {invite.loginHint}, sign out first.
            </>
          ) : (
            <>To accept it as {invite.loginHint}, sign out first.</>
          )}
        </p>
        <div className="flex flex-col gap-2">
          <form action="/api/auth/logout" method="post">
            <input type="hidden" name="csrf_token" value={csrfToken} />
            <input type="hidden" name="continue" value="invitation" />
            <input type="hidden" name="login_hint" value={invite.loginHint} />
            {invite.organizationId ? <input type="hidden" name="organization_id" value={invite.organizationId} /> : null}
            <Button type="submit" className="w-full">
              Sign out and continue
            </Button>
          </form>
          <Button asChild variant="ghost" className="w-full">
            <Link href="/dashboard">Stay signed in as {ctx.user.email}</Link>
          </Button>
        </div>
      </div>
    </div>
  );
}
