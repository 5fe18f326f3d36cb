import Link from 'next/link';
import { LogInIcon } from 'lucide-react';
import { Brand } from '@/components/brand';
import { NavLinks, SignedInNav, type NavItem } from '@/components/nav-links';
import { OrgSwitcher } from '@/components/org-switcher';
import { UserMenu } from '@/components/user-menu';
import { Button } from '@/components/ui/button';
import type { HeaderInvitation, HeaderJoinSuggestion, HeaderOrg, HeaderUser, RequestJoinAction } from '@/components/header-types';

export type { HeaderInvitation, HeaderJoinSuggestion, HeaderOrg, HeaderUser } from '@/components/header-types';

export type SiteHeaderProps = {
  /** The signed-in user; absent means anonymous and the header offers "Sign in". */
  user?: HeaderUser | null;
  /** Organizations the user belongs to; the switcher shows when there is at least one. */
  orgs?: HeaderOrg[];
  /** Organizations waiting for the user to join (invited after they signed in). */
  invitations?: HeaderInvitation[];
  /** Organizations the user may ask to join (their verified domain is set to "ask to join"). */
  joinSuggestions?: HeaderJoinSuggestion[];
  requestJoinAction?: RequestJoinAction;
  activeOrgId?: string;
  /** Where the user menu posts to sign out. */
  signOutAction?: string;
  /** Where the org switcher posts { organizationId, returnTo }. */
  switchOrgAction?: string;
  /** The session's CSRF token for the sign-out and switch forms. */
  csrfToken?: string;
};

const anonymousNav: NavItem[] = [
  { href: '/#features', label: 'Features' },
  { href: '/dashboard', label: 'Dashboard' },
];

export function SiteHeader({
  user,
  orgs = [],
  invitations = [],
  joinSuggestions = [],
  requestJoinAction,
  activeOrgId,
  signOutAction = '/api/auth/logout',
  switchOrgAction = '/api/auth/switch-org',
  csrfToken,
}: SiteHeaderProps) {
  return (
    <header className="sticky top-0 z-40 border-b bg-background/80 backdrop-blur supports-[backdrop-filter]:bg-background/70 print:hidden">
      <a
        href="#main"
        className="sr-only rounded-md bg-primary px-3 py-2 text-sm text-primary-foreground focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-4 px-4 sm:px-6">
        <Brand className="shrink-0" />
        {user ? (
          <SignedInNav orgs={orgs} activeOrgId={activeOrgId} className="hidden sm:flex" />
        ) : (
          <NavLinks items={anonymousNav} className="hidden sm:flex" />
        )}
        <div className="ml-auto flex items-center gap-2" data-testid="header-account">
          {user ? (
            <>
              {orgs.length > 0 ? (
                <OrgSwitcher
                  orgs={orgs}
                  invitations={invitations}
                  joinSuggestions={joinSuggestions}
                  requestJoinAction={requestJoinAction}
                  activeOrgId={activeOrgId}
                  switchAction={switchOrgAction}
                  csrfToken={csrfToken}
                />
              ) : null}
              <UserMenu user={user} signOutAction={signOutAction} csrfToken={csrfToken} orgs={orgs} activeOrgId={activeOrgId} />
            </>
          ) : (
            <Button asChild size="sm">
              <Link href="/login">
                <LogInIcon aria-hidden="true" />
                Sign in
              </Link>
            </Button>
          )}
        </div>
      </div>
    </header>
  );
}
