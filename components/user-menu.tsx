'use client';

import Link from 'next/link';
import { LayoutDashboardIcon, LogOutIcon, MonitorSmartphoneIcon, UsersIcon } from 'lucide-react';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import type { HeaderOrg, HeaderUser } from '@/components/header-types';
import { teamHref, useShownOrgId } from '@/components/page-org';

function initials(user: HeaderUser): string {
  const source = user.name?.trim() || user.email;
  const words = source.split(/[\s@._-]+/).filter(Boolean);
  const letters = words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : source.slice(0, 2);
  return letters.toUpperCase();
}

export function UserMenu({
  user,
  signOutAction,
  csrfToken,
  orgs = [],
  activeOrgId,
}: {
  user: HeaderUser;
  signOutAction: string;
  /** The session's CSRF token; the sign-out route refuses a post without it. */
  csrfToken?: string;
  orgs?: HeaderOrg[];
  activeOrgId?: string;
}) {
  const team = teamHref(useShownOrgId(orgs, activeOrgId));
  return (
    // Not modal, as the org switcher: a modal menu hides the page from assistive tech while its links stay focusable.
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger className="flex size-8 cursor-pointer items-center justify-center rounded-full bg-accent text-xs font-semibold text-accent-foreground ring-1 ring-border transition-shadow hover:ring-primary/40">
        {/* The name comes from the hidden text, not aria-label: a label that does not contain the
            visible initials fails WCAG 2.5.3 (label in name) for speech-input users. */}
        <span aria-hidden="true">{initials(user)}</span>
        <span className="sr-only">Account menu for {user.name || user.email}</span>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="flex flex-col gap-0.5">
          {user.name ? <span className="truncate text-sm font-medium text-foreground">{user.name}</span> : null}
          <span className="truncate font-normal">{user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/dashboard">
            <LayoutDashboardIcon aria-hidden="true" />
            Dashboard
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link href={team}>
            <UsersIcon aria-hidden="true" />
            Team
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link href="/account">
            <MonitorSmartphoneIcon aria-hidden="true" />
            Account &amp; sessions
          </Link>
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        {/* POST, not a link: a GET logout could be triggered by any <img> on another site. */}
        <form action={signOutAction} method="post">
          {csrfToken ? <input type="hidden" name="csrf_token" value={csrfToken} /> : null}
          <DropdownMenuItem asChild>
            <button type="submit" className="w-full">
              <LogOutIcon aria-hidden="true" />
              Sign out
            </button>
          </DropdownMenuItem>
        </form>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
