'use client';

import { useRef, useTransition } from 'react';
import { toast } from 'sonner';
import { BuildingIcon, ChevronsUpDownIcon, MailPlusIcon } from 'lucide-react';
import { OrgLogo } from '@/components/org-logo';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import type { HeaderInvitation, HeaderJoinSuggestion, HeaderOrg, RequestJoinAction } from '@/components/header-types';
import { useShownOrgId } from '@/components/page-org';

/**
 * Lists the user's organizations, and those that have invited them ("Join"), and posts the
 * chosen id to `switchAction` (fields: organizationId, returnTo). The server decides what
 * switching or joining means (and re-checks membership); this component only asks.
 */
export function OrgSwitcher({
  orgs,
  invitations = [],
  joinSuggestions = [],
  requestJoinAction,
  activeOrgId,
  switchAction,
  csrfToken,
}: {
  orgs: HeaderOrg[];
  invitations?: HeaderInvitation[];
  joinSuggestions?: HeaderJoinSuggestion[];
  requestJoinAction?: RequestJoinAction;
  activeOrgId?: string;
  switchAction: string;
  /** The session's CSRF token; the switch route refuses a post without it. */
  csrfToken?: string;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const orgInputRef = useRef<HTMLInputElement>(null);
  const returnToRef = useRef<HTMLInputElement>(null);
  // On /orgs/:orgId pages the switcher names the page's organization, never a different one.
  const shownId = useShownOrgId(orgs, activeOrgId);
  const active = orgs.find((org) => org.id === shownId) ?? orgs[0];

  const [requesting, startRequest] = useTransition();

  function requestToJoin(orgId: string) {
    if (!requestJoinAction) return;
    startRequest(async () => {
      const result = await requestJoinAction(orgId);
      if (result.ok) toast.success(result.message);
      else toast.error(result.error);
    });
  }

  function switchTo(orgId: string) {
    if (orgId === active?.id || !formRef.current || !orgInputRef.current || !returnToRef.current) return;
    orgInputRef.current.value = orgId;
    returnToRef.current.value = window.location.pathname + window.location.search;
    formRef.current.requestSubmit();
  }

  return (
    <>
      <form ref={formRef} action={switchAction} method="post" hidden>
        <input ref={orgInputRef} type="hidden" name="organizationId" />
        <input ref={returnToRef} type="hidden" name="returnTo" />
        {csrfToken ? <input type="hidden" name="csrf_token" value={csrfToken} /> : null}
      </form>
      {/* Not modal: a modal menu hides the rest of the page from assistive tech while its links stay focusable (axe aria-hidden-focus). */}
      <DropdownMenu modal={false}>
        <DropdownMenuTrigger
          // The visible name must be part of the accessible name (WCAG 2.5.3, label in name).
          aria-label={`Switch organization, current: ${active?.name ?? 'No organization'}`}
          className="flex h-8 max-w-48 cursor-pointer items-center gap-2 rounded-md border bg-card px-2.5 text-sm shadow-xs transition-colors hover:bg-muted"
        >
          <OrgLogo src={active?.logoUrl} />
          <span className="truncate font-medium">{active?.name ?? 'No organization'}</span>
          <ChevronsUpDownIcon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden="true" />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-64">
          <DropdownMenuLabel>Organizations</DropdownMenuLabel>
          <DropdownMenuRadioGroup value={active?.id} onValueChange={switchTo}>
            {orgs.map((org) => (
              <DropdownMenuRadioItem key={org.id} value={org.id}>
                <span className="flex min-w-0 flex-1 items-center justify-between gap-2">
                  <span className="flex min-w-0 items-center gap-2">
                    {org.logoUrl ? <OrgLogo src={org.logoUrl} /> : null}
                    <span className="truncate">{org.name}</span>
                  </span>
                  {org.role ? <span className="text-xs text-muted-foreground capitalize">{org.role}</span> : null}
                </span>
              </DropdownMenuRadioItem>
            ))}
          </DropdownMenuRadioGroup>
          {invitations.length > 0 ? (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuLabel>Invitations</DropdownMenuLabel>
              {invitations.map((invitation) => (
                <DropdownMenuItem key={invitation.id} onSelect={() => switchTo(invitation.id)}>
                  <MailPlusIcon className="size-4 text-muted-foreground" aria-hidden="true" />
                  <span className="truncate">Join {invitation.name}</span>
                </DropdownMenuItem>
              ))}
            </>
          ) : null}
          {joinSuggestions.length > 0 && requestJoinAction ? (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuLabel>Your company on Teamgate</DropdownMenuLabel>
              {joinSuggestions.map((suggestion) => (
                <DropdownMenuItem
                  key={suggestion.id}
                  disabled={suggestion.requested || requesting}
                  onSelect={() => requestToJoin(suggestion.id)}
                >
                  <BuildingIcon className="size-4 text-muted-foreground" aria-hidden="true" />
                  <span className="truncate">
                    {suggestion.requested ? `${suggestion.name}: request sent` : `Request to join ${suggestion.name}`}
                  </span>
                </DropdownMenuItem>
              ))}
            </>
          ) : null}
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}
