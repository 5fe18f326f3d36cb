import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { MailXIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { revokedInvitation } from '@/lib/auth/dead-ends';
import { parseInvitationSearchParams, type PageSearchParams } from '@/lib/auth/login';

export const metadata: Metadata = { title: 'Invitation revoked', robots: { index: false } };

/**
 * An invitation link whose invitation was revoked (from /auth/login/initiate). The page checks
 * again rather than trusting the URL, so a crafted link cannot make it claim a revocation; for
 * anything else it goes back to the invitation link's usual route.
 */
export default async function InvitationRevokedPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const query = await searchParams;
  const parsed = parseInvitationSearchParams(query);
  if (!parsed.ok || !parsed.request.organizationId)
    redirect(`/login?${new URLSearchParams({ error: parsed.ok ? 'invitation_link_incomplete' : parsed.code }).toString()}`);
  const { loginHint, organizationId } = parsed.request;
  const revoked = await revokedInvitation(loginHint!, organizationId);
  if (!revoked)
    redirect(`/auth/login/initiate?${new URLSearchParams({ login_hint: loginHint!, organization_id: organizationId }).toString()}`);

  return (
    <div className="flex flex-1 items-center justify-center bg-muted/40 px-4 py-16">
      <div className="flex w-full max-w-md flex-col gap-5 rounded-xl border bg-card p-8 shadow-sm" data-testid="invitation-revoked">
        <div className="flex items-center gap-3">
          <MailXIcon className="size-5 text-muted-foreground" aria-hidden="true" />
          <h1 className="text-xl font-semibold tracking-tight">This invitation was revoked</h1>
        </div>
        <p className="text-sm">
          The invitation for <strong>{loginHint}</strong> was revoked by an admin of <strong>{revoked.organizationName}</strong>, so this
          link no longer works.
        </p>
        <p className="text-sm text-muted-foreground">
          If you still need access, ask an admin of {revoked.organizationName} to invite you again. A new invitation comes with a new link.
        </p>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Button asChild>
            <Link href="/login">Go to sign-in</Link>
          </Button>
          <Button asChild variant="outline">
            <Link href="/">Go home</Link>
          </Button>
        </div>
      </div>
    </div>
  );
}
