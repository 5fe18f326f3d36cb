'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState, useTransition } from 'react';
import { AlertTriangleIcon, FolderSyncIcon, ListChecksIcon, Loader2Icon, RotateCcwIcon, UsersIcon, XIcon } from 'lucide-react';
import { FormField } from '@/components/form-field';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { Skeleton } from '@/components/ui/skeleton';
import type { BulkCounts } from '@/lib/invitations/bulk';
import type { DirectoryUserView } from '@/lib/directory-invite/service';
import type { BulkRowView } from '../../_components/bulk-types';
import { directoryOverviewAction, directoryUsersAction, previewDirectoryAction, type DirectoryOverviewView } from './actions';

/** What a preview hands back to the bulk page: the same shape as a CSV upload's. */
export interface DirectoryPreview {
  jobId: string;
  fileName: string | null;
  rows: BulkRowView[];
  counts: BulkCounts;
}

type Overview =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'none' } | { state: 'ready'; data: DirectoryOverviewView };

/** Wait this long after the last keystroke before searching the directory (each search pages through Scalekit). */
const SEARCH_DEBOUNCE_MS = 300;

const providerLabel: Record<string, string> = {
  OKTA: 'Okta',
  GOOGLE: 'Google Workspace',
  MICROSOFT_AD: 'Microsoft Entra ID',
  AUTH0: 'Auth0',
  ONELOGIN: 'OneLogin',
  JUMPCLOUD: 'JumpCloud',
  PING_IDENTITY: 'Ping Identity',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * "From directory": pick people and whole groups from the organization's connected directory,
 * then Preview. The picker only holds ids: the server reads the people behind them from Scalekit
 * again at preview time (a group becomes its members there), and the page then shows the same
 * checked rows as for a CSV.
 */
export function DirectoryPicker({ orgId, onPreviewed }: { orgId: string; onPreviewed: (preview: DirectoryPreview) => void }) {
  const [overview, setOverview] = useState<Overview>({ state: 'loading' });
  const [query, setQuery] = useState('');
  const [appliedQuery, setAppliedQuery] = useState('');
  const [groupId, setGroupId] = useState<string | null>(null);
  // The people listed, for the search and group they were loaded for (`key`): a different key means the list is loading.
  const [listed, setListed] = useState<{ key: string; users: DirectoryUserView[]; cursor: string | null; error: string | null } | null>(
    null,
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [retries, setRetries] = useState(0);
  const [pickedPeople, setPickedPeople] = useState<Map<string, DirectoryUserView>>(new Map());
  const [pickedGroups, setPickedGroups] = useState<Set<string>>(new Set());
  const [role, setRole] = useState('');
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [previewing, startPreview] = useTransition();
  // Answers to an older search arriving late must not replace the newer one's.
  const requestSeq = useRef(0);

  // Bumped by "Try again": reads the directory again.
  const [overviewRound, setOverviewRound] = useState(0);
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const result = await directoryOverviewAction(orgId);
      if (cancelled) return;
      if (!result.ok) setOverview({ state: 'error', message: result.error });
      else setOverview(result.overview ? { state: 'ready', data: result.overview } : { state: 'none' });
    };
    void load();
    return () => {
      cancelled = true;
    };
  }, [orgId, overviewRound]);

  function retryOverview() {
    setOverview({ state: 'loading' });
    setOverviewRound((n) => n + 1);
  }

  useEffect(() => {
    const t = setTimeout(() => setAppliedQuery(query.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [query]);

  const listKey = `${retries}\u0000${groupId ?? ''}\u0000${appliedQuery}`;
  const loadPeople = useCallback(
    async (key: string, from: string | null) => {
      const seq = ++requestSeq.current;
      const result = await directoryUsersAction({ orgId, query: appliedQuery, groupId, cursor: from });
      if (seq !== requestSeq.current) return;
      setLoadingMore(false);
      setListed((before) => {
        if (!result.ok) return { key, users: from ? (before?.users ?? []) : [], cursor: from, error: result.error };
        const users = from && before ? [...before.users, ...result.page.users] : result.page.users;
        return { key, users, cursor: result.page.nextCursor, error: null };
      });
    },
    [orgId, appliedQuery, groupId],
  );

  const ready = overview.state === 'ready';
  useEffect(() => {
    if (ready) void loadPeople(listKey, null);
  }, [ready, loadPeople, listKey]);

  function showMore(from: string) {
    setLoadingMore(true);
    void loadPeople(listKey, from);
  }

  const people = listed?.key === listKey ? listed.users : [];
  const cursor = listed?.key === listKey ? listed.cursor : null;
  const peopleError = listed?.key === listKey ? listed.error : null;
  const peopleState: 'loading' | 'ready' | 'error' = listed?.key !== listKey || loadingMore ? 'loading' : peopleError ? 'error' : 'ready';

  const groups = useMemo(() => (overview.state === 'ready' ? overview.data.groups : []), [overview]);
  const groupName = useMemo(() => new Map(groups.map((g) => [g.id, g.displayName])), [groups]);
  const visibleGroups = useMemo(() => {
    const q = appliedQuery.toLowerCase();
    return q ? groups.filter((g) => g.displayName.toLowerCase().includes(q)) : groups;
  }, [groups, appliedQuery]);
  const activeGroup = groups.find((g) => g.id === groupId) ?? null;

  if (overview.state === 'loading') {
    return (
      <div className="flex flex-col gap-3 rounded-lg border bg-card p-5" aria-busy="true" aria-label="Loading your directory">
        <Skeleton className="h-5 w-64" />
        <Skeleton className="h-9 w-full" />
        <div className="grid gap-3 md:grid-cols-[16rem_1fr]">
          <Skeleton className="h-48" />
          <Skeleton className="h-48" />
        </div>
      </div>
    );
  }
  if (overview.state === 'error') {
    return (
      <Alert variant="destructive" role="alert" data-testid="directory-error">
        <AlertTriangleIcon aria-hidden="true" />
        <AlertTitle>Your directory could not be read</AlertTitle>
        <AlertDescription className="flex flex-col items-start gap-3">
          <span>{overview.message}</span>
          <Button variant="outline" size="sm" onClick={retryOverview}>
            <RotateCcwIcon aria-hidden="true" />
            Try again
          </Button>
        </AlertDescription>
      </Alert>
    );
  }
  if (overview.state === 'none') {
    return (
      <div className="flex flex-col items-start gap-3 rounded-lg border border-dashed bg-card p-6" data-testid="directory-empty">
        <FolderSyncIcon className="size-6 text-muted-foreground" aria-hidden="true" />
        <h2 className="text-base font-semibold">No directory connected</h2>
        <p className="text-sm text-muted-foreground">
          Connect your directory in Settings → Single sign-on &amp; directory, then pick people and groups here. Until then, upload a CSV.
        </p>
        <Button asChild variant="outline" size="sm">
          <Link href={`/orgs/${encodeURIComponent(orgId)}/settings`}>Open Settings</Link>
        </Button>
      </div>
    );
  }

  const { directory, roles, moreGroups } = overview.data;
  const defaultRole = roles.find((r) => r.isDefault) ?? roles.find((r) => r.name === 'member');
  const inPickedGroup = (u: DirectoryUserView) => u.groupIds.find((g) => pickedGroups.has(g));
  const groupSeats = [...pickedGroups].reduce((n, id) => n + (groups.find((g) => g.id === id)?.totalUsers ?? 0), 0);
  const nothingPicked = pickedGroups.size === 0 && pickedPeople.size === 0;

  function togglePerson(user: DirectoryUserView, on: boolean) {
    setPickedPeople((before) => {
      const next = new Map(before);
      if (on) next.set(user.id, user);
      else next.delete(user.id);
      return next;
    });
  }

  function toggleGroup(id: string, on: boolean) {
    setPickedGroups((before) => {
      const next = new Set(before);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function clear() {
    setPickedGroups(new Set());
    setPickedPeople(new Map());
  }

  function preview() {
    setPreviewError(null);
    startPreview(async () => {
      const result = await previewDirectoryAction({
        orgId,
        userIds: [...pickedPeople.keys()],
        groupIds: [...pickedGroups],
        role: role || null,
      });
      if (!result.ok) {
        setPreviewError(result.error);
        return;
      }
      onPreviewed({ jobId: result.jobId, fileName: result.fileName, rows: result.rows, counts: result.counts });
    });
  }

  return (
    <div className="flex flex-col gap-4 rounded-lg border bg-card p-5" data-testid="directory-picker">
      <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
        <UsersIcon className="size-4" aria-hidden="true" />
        <span>
          <span className="font-medium text-foreground">{providerLabel[directory.provider] ?? (directory.name || 'Directory')}</span>:{' '}
          {plural(directory.totalUsers, 'person', 'people')} in {plural(directory.totalGroups, 'group')}
          {directory.lastSyncedAt ? (
            <>
              , last synced{' '}
              <time dateTime={directory.lastSyncedAt}>
                {new Date(directory.lastSyncedAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })}
              </time>
            </>
          ) : null}
          .
        </span>
      </p>

      <FormField id="directory-search" label="Search the directory" help="By name or email; groups are filtered by name.">
        <Input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or email" autoComplete="off" />
      </FormField>

      <div className="grid gap-4 md:grid-cols-[18rem_1fr]">
        <section aria-labelledby="directory-groups" className="flex flex-col gap-2">
          <h2 id="directory-groups" className="text-sm font-semibold">
            Groups
          </h2>
          <ul className="flex flex-col gap-1" aria-label="Directory groups">
            <li>
              <Button
                variant={groupId === null ? 'secondary' : 'ghost'}
                className="w-full justify-between"
                aria-pressed={groupId === null}
                onClick={() => setGroupId(null)}
              >
                Everyone <span className="text-xs text-muted-foreground">{directory.totalUsers}</span>
              </Button>
            </li>
            {visibleGroups.map((g) => (
              <li key={g.id}>
                <Button
                  variant={groupId === g.id ? 'secondary' : 'ghost'}
                  className="w-full justify-between"
                  aria-pressed={groupId === g.id}
                  aria-label={`${g.displayName}, ${plural(g.totalUsers, 'member')}${pickedGroups.has(g.id) ? ', all picked' : ''}`}
                  onClick={() => setGroupId(g.id)}
                  data-testid="directory-group"
                >
                  <span className="truncate">
                    {g.displayName}
                    {pickedGroups.has(g.id) ? <ListChecksIcon className="ml-1 inline size-4 text-success" aria-hidden="true" /> : null}
                  </span>
                  <span className="text-xs text-muted-foreground">{g.totalUsers}</span>
                </Button>
              </li>
            ))}
          </ul>
          {visibleGroups.length === 0 ? <p className="text-sm text-muted-foreground">No group matches “{appliedQuery}”.</p> : null}
          {moreGroups ? <p className="text-xs text-muted-foreground">Only the first groups are listed; search to find others.</p> : null}
        </section>

        <section aria-labelledby="directory-people" className="flex min-w-0 flex-col gap-2">
          <h2 id="directory-people" className="text-sm font-semibold">
            {activeGroup ? `People in ${activeGroup.displayName}` : 'People'}
            {appliedQuery ? ` matching “${appliedQuery}”` : ''}
          </h2>
          {activeGroup ? (
            <label className="flex items-center gap-2 rounded-md border bg-muted/40 px-3 py-2 text-sm font-medium">
              <input
                type="checkbox"
                checked={pickedGroups.has(activeGroup.id)}
                onChange={(e) => toggleGroup(activeGroup.id, e.target.checked)}
              />
              Select all {activeGroup.totalUsers} in this group
            </label>
          ) : null}
          {peopleState === 'error' ? (
            <Alert variant="destructive" role="alert">
              <AlertTriangleIcon aria-hidden="true" />
              <AlertTitle>The people could not be listed</AlertTitle>
              <AlertDescription className="flex flex-col items-start gap-2">
                <span>{peopleError}</span>
                <Button variant="outline" size="sm" onClick={() => setRetries((n) => n + 1)}>
                  <RotateCcwIcon aria-hidden="true" />
                  Try again
                </Button>
              </AlertDescription>
            </Alert>
          ) : null}
          <ul
            className="flex max-h-[28rem] flex-col divide-y overflow-auto rounded-md border"
            aria-label="Directory people"
            // Scrolls: reachable by keyboard even when every checkbox in it is disabled (a whole group picked).
            tabIndex={0}
            aria-busy={peopleState === 'loading'}
          >
            {people.map((u) => {
              const viaGroup = inPickedGroup(u);
              const checked = viaGroup !== undefined || pickedPeople.has(u.id);
              return (
                <li key={u.id} data-testid="directory-person">
                  <label className="flex cursor-pointer items-center gap-3 px-3 py-2 text-sm hover:bg-muted/50">
                    <input
                      type="checkbox"
                      checked={checked}
                      disabled={viaGroup !== undefined}
                      onChange={(e) => togglePerson(u, e.target.checked)}
                    />
                    <span className="flex min-w-0 flex-col">
                      <span className="truncate font-medium">{u.name ?? u.email}</span>
                      <span className="truncate text-xs text-muted-foreground">
                        {u.email || '(no email in the directory)'}
                        {viaGroup ? ` · picked with ${groupName.get(viaGroup) ?? 'a group'}` : ''}
                      </span>
                    </span>
                  </label>
                </li>
              );
            })}
            {peopleState === 'ready' && people.length === 0 ? (
              <li className="px-3 py-6 text-center text-sm text-muted-foreground">
                {appliedQuery ? `Nobody matches “${appliedQuery}”.` : 'Nobody here yet.'}
              </li>
            ) : null}
            {peopleState === 'loading' ? (
              <li className="flex items-center gap-2 px-3 py-3 text-sm text-muted-foreground" role="status">
                <Loader2Icon className="size-4 animate-spin" aria-hidden="true" />
                Loading people…
              </li>
            ) : null}
          </ul>
          {cursor && peopleState === 'ready' ? (
            <Button variant="outline" size="sm" className="w-fit" onClick={() => showMore(cursor)}>
              Show more
            </Button>
          ) : null}
        </section>
      </div>

      <div className="flex flex-col gap-3 border-t pt-4">
        <FormField
          id="directory-role"
          label="Role for everyone picked"
          help="Everyone in this selection is invited with this role; it is checked row by row in the preview."
          className="max-w-sm"
        >
          <NativeSelect value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">Default role{defaultRole ? ` (${defaultRole.displayName})` : ''}</option>
            {roles.map((r) => (
              <option key={r.name} value={r.name}>
                {r.displayName}
              </option>
            ))}
          </NativeSelect>
        </FormField>

        <p className="text-sm" aria-live="polite" data-testid="directory-selection">
          {nothingPicked ? (
            'Nobody picked yet: tick people, or a group’s “Select all”.'
          ) : (
            <>
              Picked:{' '}
              {[
                ...[...pickedGroups].map((id) => {
                  const g = groups.find((x) => x.id === id);
                  return `${g?.displayName ?? 'a group'} (${plural(g?.totalUsers ?? 0, 'person', 'people')})`;
                }),
                ...(pickedPeople.size ? [plural(pickedPeople.size, 'more person', 'more people')] : []),
              ].join(', ')}
              . About {plural(groupSeats + pickedPeople.size, 'invitation')}: people in several groups are counted once in the preview.
            </>
          )}
        </p>

        {previewError ? (
          <Alert variant="destructive" role="alert">
            <AlertTriangleIcon aria-hidden="true" />
            <AlertTitle>That selection cannot be used</AlertTitle>
            <AlertDescription>{previewError}</AlertDescription>
          </Alert>
        ) : null}

        <div className="flex flex-wrap items-center gap-2">
          <Button onClick={preview} disabled={nothingPicked || previewing}>
            {previewing ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <ListChecksIcon aria-hidden="true" />}
            {previewing ? 'Checking…' : 'Preview'}
          </Button>
          {!nothingPicked ? (
            <Button variant="ghost" onClick={clear} disabled={previewing}>
              <XIcon aria-hidden="true" />
              Clear selection
            </Button>
          ) : null}
        </div>
        <p className="text-xs text-muted-foreground">Nothing is sent until you review the rows and press Send.</p>
      </div>
    </div>
  );
}
