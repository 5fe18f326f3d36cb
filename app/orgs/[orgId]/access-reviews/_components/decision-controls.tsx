'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import type { RoleOption } from '@/lib/roles/options';
import { decideAccessReviewAction } from '../actions';

type Decision = '' | 'KEEP' | 'CHANGE_ROLE' | 'REMOVE';

export interface DecisionRow {
  id: string;
  email: string;
  role: string;
  decision: Decision;
  newRole: string | null;
  note: string | null;
}

/**
 * The reviewer's choice on one member, saved on the server as soon as it is complete (a role
 * change once its role is picked; the note when the field is left), so leaving the page and
 * coming back keeps it. What was saved is said in a live region, and a refusal in its words.
 */
export function DecisionControls({
  orgId,
  reviewId,
  row,
  roles,
}: {
  orgId: string;
  reviewId: string;
  row: DecisionRow;
  roles: RoleOption[];
}) {
  const [decision, setDecision] = useState<Decision>(row.decision);
  const [role, setRole] = useState(row.newRole ?? '');
  const [note, setNote] = useState(row.note ?? '');
  const [savedNote, setSavedNote] = useState(row.note ?? '');
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const otherRoles = roles.filter((r) => r.name !== row.role);

  function save(next: { decision: Decision; role: string; note: string }) {
    if (!next.decision) return;
    if (next.decision === 'CHANGE_ROLE' && !next.role) {
      setStatus({ text: 'Choose the new role to save this decision.', error: false });
      return;
    }
    startTransition(async () => {
      const result = await decideAccessReviewAction({
        orgId,
        reviewId,
        itemId: row.id,
        decision: next.decision,
        role: next.decision === 'CHANGE_ROLE' ? next.role : null,
        note: next.note,
      });
      if (result.ok) {
        setSavedNote(next.note);
        setStatus({ text: 'Saved', error: false });
        // The page's counts and the Finish button follow the saved decisions.
        router.refresh();
      } else setStatus({ text: result.error, error: true });
    });
  }

  const base = `decision-${row.id}`;
  return (
    <div className="flex min-w-56 flex-col gap-2" data-testid="decision-controls">
      <div className="flex flex-wrap gap-2">
        <NativeSelect
          id={`${base}-choice`}
          aria-label={`Decision for ${row.email}`}
          value={decision}
          disabled={pending}
          onChange={(event) => {
            const next = event.target.value as Decision;
            setDecision(next);
            save({ decision: next, role, note });
          }}
        >
          <option value="" disabled>
            Choose…
          </option>
          <option value="KEEP">Keep</option>
          <option value="CHANGE_ROLE">Change role</option>
          <option value="REMOVE">Remove</option>
        </NativeSelect>
        {decision === 'CHANGE_ROLE' ? (
          <NativeSelect
            id={`${base}-role`}
            aria-label={`New role for ${row.email}`}
            value={role}
            disabled={pending}
            onChange={(event) => {
              setRole(event.target.value);
              save({ decision, role: event.target.value, note });
            }}
          >
            <option value="" disabled>
              New role…
            </option>
            {otherRoles.map((r) => (
              <option key={r.name} value={r.name}>
                {r.displayName}
              </option>
            ))}
          </NativeSelect>
        ) : null}
      </div>
      <Input
        id={`${base}-note`}
        aria-label={`Note for ${row.email}`}
        placeholder="Note (optional)"
        value={note}
        maxLength={500}
        disabled={pending}
        onChange={(event) => setNote(event.target.value)}
        onBlur={() => {
          if (note !== savedNote && decision) save({ decision, role, note });
        }}
      />
      <p
        role="status"
        aria-live="polite"
        className={status?.error ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}
        data-testid="decision-status"
      >
        {pending ? 'Saving…' : (status?.text ?? '')}
      </p>
    </div>
  );
}
