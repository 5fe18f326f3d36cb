'use client';

import { useEffect, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import type { InactiveDays, MemberStatusFilter } from '@/lib/members/service';
import type { RoleOption } from '@/lib/roles/options';
import { previewBulkAction } from '../bulk-actions';
import { MEMBER_CHECKBOX } from './bulk-selection';
import type { RowAbilities } from './member-row-actions';

type Kind = 'CHANGE_ROLE' | 'REMOVE' | 'RESEND' | 'REVOKE';

function checkboxes(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>(`input[${MEMBER_CHECKBOX}]`)];
}

/**
 * Select rows (or everyone matching the filters) and pick what to do with them; "Review" makes
 * the server preview it row by row (lib/members/bulk-actions.ts) and opens that preview. Nothing
 * changes before the admin confirms there. The choices offered follow the caller's abilities; the
 * server checks them again.
 */
export function BulkActionBar({
  orgId,
  matching,
  filters,
  can,
}: {
  orgId: string;
  /** How many people match the current filters (all pages) */
  matching: number;
  filters: { q?: string; status?: MemberStatusFilter; role?: string; inactiveDays?: InactiveDays };
  can: RowAbilities;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<string[]>([]);
  const [onPage, setOnPage] = useState(0);
  const [allMatching, setAllMatching] = useState(false);
  const kinds: Array<{ value: Kind; label: string }> = [
    ...(can.members
      ? [
          { value: 'CHANGE_ROLE' as const, label: 'Change role' },
          { value: 'REMOVE' as const, label: 'Remove from the organization' },
        ]
      : []),
    ...(can.invitations
      ? [
          { value: 'RESEND' as const, label: 'Resend invitations' },
          { value: 'REVOKE' as const, label: 'Revoke invitations' },
        ]
      : []),
  ];
  const [kind, setKind] = useState<Kind>(kinds[0]!.value);
  const [role, setRole] = useState(can.roles[0]?.name ?? '');
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const read = () => {
      const boxes = checkboxes();
      setOnPage(boxes.length);
      setSelected(boxes.filter((b) => b.checked).map((b) => b.value));
    };
    read();
    const onChange = (event: Event) => {
      if ((event.target as HTMLElement).hasAttribute?.(MEMBER_CHECKBOX)) {
        setAllMatching(false);
        read();
      }
    };
    document.addEventListener('change', onChange);
    return () => document.removeEventListener('change', onChange);
  }, []);

  function selectPage(checked: boolean) {
    for (const box of checkboxes()) box.checked = checked;
    setAllMatching(false);
    setSelected(checked ? checkboxes().map((b) => b.value) : []);
  }

  const count = allMatching ? matching : selected.length;
  const pageChecked = onPage > 0 && selected.length === onPage;

  function review() {
    startTransition(async () => {
      const result = await previewBulkAction({
        orgId,
        kind,
        role: kind === 'CHANGE_ROLE' ? role : undefined,
        selection: allMatching ? { filter: filters } : { membershipIds: selected },
      });
      if (result.ok) router.push(`/orgs/${encodeURIComponent(orgId)}/team/actions/${encodeURIComponent(result.actionId)}`);
      else toast.error(result.error);
    });
  }

  return (
    <div className="flex flex-wrap items-end gap-3 rounded-lg border bg-muted/30 px-3 py-2" data-testid="bulk-action-bar">
      <div className="flex h-9 items-center gap-2">
        <input
          id="bulk-select-page"
          type="checkbox"
          className="size-4 cursor-pointer accent-primary"
          checked={pageChecked || allMatching}
          onChange={(e) => selectPage(e.target.checked)}
        />
        <Label htmlFor="bulk-select-page" className="cursor-pointer font-normal">
          Select this page
        </Label>
      </div>
      <p className="flex h-9 items-center text-sm" aria-live="polite" data-testid="bulk-selected">
        {count === 0 ? 'Nobody selected' : allMatching ? `All ${matching} matching selected` : `${count} selected`}
      </p>
      {pageChecked && !allMatching && matching > onPage ? (
        <Button type="button" variant="link" className="h-9 px-0" onClick={() => setAllMatching(true)}>
          Select all {matching} matching
        </Button>
      ) : null}
      {allMatching ? (
        <Button type="button" variant="link" className="h-9 px-0" onClick={() => selectPage(false)}>
          Clear selection
        </Button>
      ) : null}
      <div className="ml-auto flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="bulk-kind">With the selected</Label>
          <NativeSelect id="bulk-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </NativeSelect>
        </div>
        {kind === 'CHANGE_ROLE' ? (
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="bulk-role">New role</Label>
            <NativeSelect id="bulk-role" value={role} onChange={(e) => setRole(e.target.value)}>
              {can.roles.map((r: RoleOption) => (
                <option key={r.name} value={r.name}>
                  {r.displayName}
                </option>
              ))}
            </NativeSelect>
          </div>
        ) : null}
        <Button type="button" onClick={review} disabled={count === 0 || pending}>
          {pending ? 'Checking…' : 'Review changes'}
        </Button>
      </div>
    </div>
  );
}
