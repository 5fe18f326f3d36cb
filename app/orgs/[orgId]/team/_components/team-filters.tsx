import Link from 'next/link';
import { SearchIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { INACTIVE_DAYS, MEMBER_SORTS, MEMBER_STATUS_FILTERS, MAX_QUERY_LENGTH, type MemberSort } from '@/lib/members/service';
import { nativeSelectClass } from '@/components/ui/native-select';

const STATUS_OPTIONS: Record<(typeof MEMBER_STATUS_FILTERS)[number], string> = {
  active: 'Active',
  pending: 'Pending',
  expired: 'Expired',
  inactive: 'Inactive',
};

const SORT_OPTIONS: Record<MemberSort, string> = {
  last_sign_in_desc: 'Last sign-in, most recent first',
  last_sign_in_asc: 'Last sign-in, longest ago first',
};

/** One filter: "any" first, then the options; the URL's value selected. */
function FilterSelect({
  id,
  name,
  label,
  any,
  value,
  options,
}: {
  id: string;
  name: string;
  label: string;
  any: string;
  value?: string;
  options: ReadonlyArray<{ value: string; label: string }>;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <select id={id} name={name} defaultValue={value ?? ''} className={nativeSelectClass}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Search and filters as a plain GET form: the state lives in the URL, so it survives reloads,
 * can be shared, and works before any JavaScript has loaded.
 */
export function TeamFilters({
  orgId,
  q,
  status,
  role,
  inactive,
  sort,
  roles,
}: {
  orgId: string;
  q?: string;
  status?: string;
  role?: string;
  inactive?: number;
  sort?: string;
  roles: ReadonlyArray<{ name: string; displayName: string }>;
}) {
  const filtered = Boolean(q || status || role || inactive || sort);
  // Each is a GET parameter of the same name; "any" (the empty value) leaves it out.
  const selects = [
    {
      id: 'team-status',
      name: 'status',
      label: 'Status',
      any: 'Any status',
      value: status,
      options: MEMBER_STATUS_FILTERS.map((s) => ({ value: s, label: STATUS_OPTIONS[s] })),
    },
    {
      id: 'team-role',
      name: 'role',
      label: 'Role',
      any: 'Any role',
      value: role,
      options: roles.map((r) => ({ value: r.name, label: r.displayName })),
    },
    {
      id: 'team-inactive',
      name: 'inactive',
      label: 'Activity',
      any: 'Any activity',
      value: inactive ? String(inactive) : undefined,
      options: INACTIVE_DAYS.map((d) => ({ value: String(d), label: `Inactive for ${d} days` })),
    },
    {
      id: 'team-sort',
      name: 'sort',
      label: 'Sort',
      any: 'Newest members first',
      value: sort,
      options: MEMBER_SORTS.map((s) => ({ value: s, label: SORT_OPTIONS[s] })),
    },
  ];
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
      {selects.map((select) => (
        <FilterSelect key={select.id} {...select} />
      ))}
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
