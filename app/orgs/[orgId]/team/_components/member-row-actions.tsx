'use client';

import { useState, useTransition } from 'react';
import { MoreHorizontalIcon } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialogContent } from '@/components/confirm-dialog';
import { AlertDialog, AlertDialogAction } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import type { RoleOption } from '@/lib/roles/options';
import { changeRoleAction, removeMemberAction, resendInvitationAction, revokeInvitationAction } from '../actions';

type Kind = 'resend' | 'revoke' | 'role' | 'remove';

export interface RowActionTarget {
  id: string;
  email: string;
  role: string;
  /** pending/expired invitation, or a member */
  isInvitation: boolean;
  /** An invitation still being sent cannot be acted on yet */
  busy: boolean;
}

const COPY: Record<Kind, { title: string; confirm: string; destructive: boolean }> = {
  resend: { title: 'Resend the invitation?', confirm: 'Resend', destructive: false },
  revoke: { title: 'Revoke the invitation?', confirm: 'Revoke', destructive: true },
  role: { title: 'Change the role?', confirm: 'Change role', destructive: false },
  remove: { title: 'Remove this member?', confirm: 'Remove', destructive: true },
};

/** What the caller may do on rows: invitations (members:invite) and members (members:manage), and the roles they may give. */
export interface RowAbilities {
  invitations: boolean;
  members: boolean;
  roles: readonly RoleOption[];
}

/**
 * The menu on a team row, with what the caller's role allows. Every action asks for confirmation
 * first and runs as a server action that checks the caller again; the outcome is a toast, and the
 * page re-renders from the database (revalidatePath) rather than trusting local state.
 */
export function MemberRowActions({ orgId, target, can }: { orgId: string; target: RowActionTarget; can: RowAbilities }) {
  const [open, setOpen] = useState<Kind | null>(null);
  const [newRole, setNewRole] = useState<RoleOption | null>(null);
  const [pending, startTransition] = useTransition();
  const otherRoles = can.roles.filter((r) => r.name !== target.role);
  const available = target.isInvitation ? can.invitations : can.members;

  const descriptions: Record<Kind, string> = {
    resend: `${target.email} gets a new invitation email, and the invitation's expiry starts again.`,
    revoke: `${target.email} will no longer be able to join with this invitation. You can invite them again later.`,
    role: newRole ? `${target.email} gets the ${newRole.displayName} role. ${newRole.summary}` : '',
    remove: `${target.email} loses access to this organization at once and is signed out of it. Their account stays; you can invite them again later.`,
  };

  function confirm(kind: Kind) {
    startTransition(async () => {
      const result =
        kind === 'resend'
          ? await resendInvitationAction(orgId, target.id)
          : kind === 'revoke'
            ? await revokeInvitationAction(orgId, target.id)
            : kind === 'role'
              ? await changeRoleAction(orgId, target.id, newRole!.name)
              : await removeMemberAction(orgId, target.id);
      if (result.ok) toast.success(result.message);
      else toast.error(result.error);
      setOpen(null);
    });
  }

  if (!available) return null;
  return (
    <>
      {/* Not modal: a modal menu hides the rest of the page from assistive tech while its links stay focusable (axe aria-hidden-focus). */}
      <DropdownMenu modal={false}>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${target.email}`} disabled={target.busy || pending}>
            <MoreHorizontalIcon aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          {target.isInvitation ? (
            <>
              <DropdownMenuItem onSelect={() => setOpen('resend')}>Resend invitation</DropdownMenuItem>
              <DropdownMenuSeparator />
              <DropdownMenuItem onSelect={() => setOpen('revoke')} className="text-destructive">
                Revoke invitation
              </DropdownMenuItem>
            </>
          ) : (
            <>
              {otherRoles.map((role) => (
                <DropdownMenuItem
                  key={role.name}
                  onSelect={() => {
                    setNewRole(role);
                    setOpen('role');
                  }}
                >
                  Make {role.displayName}
                </DropdownMenuItem>
              ))}
              {otherRoles.length ? <DropdownMenuSeparator /> : null}
              <DropdownMenuItem onSelect={() => setOpen('remove')} className="text-destructive">
                Remove from organization
              </DropdownMenuItem>
            </>
          )}
        </DropdownMenuContent>
      </DropdownMenu>
      <AlertDialog open={open !== null} onOpenChange={(next) => (!next && !pending ? setOpen(null) : undefined)}>
        {open ? (
          <ConfirmDialogContent
            title={COPY[open].title}
            description={descriptions[open]}
            cancelDisabled={pending}
            confirm={
              <AlertDialogAction
                destructive={COPY[open].destructive}
                disabled={pending}
                onClick={(event) => {
                  // Keep the dialog open (and its buttons disabled) until the server answers.
                  event.preventDefault();
                  confirm(open);
                }}
              >
                {pending ? 'Working…' : COPY[open].confirm}
              </AlertDialogAction>
            }
          />
        ) : null}
      </AlertDialog>
    </>
  );
}
