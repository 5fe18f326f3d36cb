import Link from 'next/link';
import { SearchIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { MEMBER_STATUS_FILTERS, MAX_QUERY_LENGTH } from '@/lib/members/service';

const STATUS_OPTIONS: Record<(typeof MEMBER_STATUS_FILTERS)[number], string> = {
  active: 'Active',
  pending: 'Pending',
  expired: 'Expired',
  inactive: 'Inactive',
};

const selectClass =
  'h-9 rounded-md border border-input bg-card px-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

/**
 * Search and filters as a plain GET form: the state lives in the URL, so it survives reloads,
 * can be shared, and works before any JavaScript has loaded.
 */
export function TeamFilters({
  orgId,
  q,
  status,
  role,
  roles,
}: {
  orgId: string;
  q?: string;
  status?: string;
  role?: string;
  roles: ReadonlyArray<{ name: string; displayName: string }>;
}) {
  const filtered = Boolean(q || status || role);
  return (
    <form
      method="get"
      action={`/orgs/${encodeURIComponent(orgId)}/team`}
      role="search"
      aria-label="Filter members"
      className="flex flex-wrap items-end gap-3"
    >
      <div className="flex min-w-56 flex-1 flex-col gap-1.5">
        <Label htmlFor="team-q">Search</Label>
        <Input id="team-q" name="q" type="search" placeholder="Name or email" defaultValue={q} maxLength={MAX_QUERY_LENGTH} />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="team-status">Status</Label>
        <select id="team-status" name="status" defaultValue={status ?? ''} className={selectClass}>
          <option value="">Any status</option>
          {MEMBER_STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {STATUS_OPTIONS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="team-role">Role</Label>
        <select id="team-role" name="role" defaultValue={role ?? ''} className={selectClass}>
          <option value="">Any role</option>
          {roles.map((r) => (
            <option key={r.name} value={r.name}>
              {r.displayName}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary">
        <SearchIcon aria-hidden="true" />
        Apply
      </Button>
      {filtered ? (
        <Button asChild variant="ghost">
          <Link href={`/orgs/${encodeURIComponent(orgId)}/team`}>Clear</Link>
        </Button>
      ) : null}
    </form>
  );
}
