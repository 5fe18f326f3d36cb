'use client';

import { useState, useTransition } from 'react';
import { CheckIcon, CopyIcon, KeyRoundIcon, Loader2Icon, PlusIcon } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialogContent } from '@/components/confirm-dialog';
import { FormField } from '@/components/form-field';
import { EmptyTableNotice, TableColumns } from '@/components/table-columns';
import { AlertDialog, AlertDialogAction, AlertDialogTrigger } from '@/components/ui/alert-dialog';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableRow } from '@/components/ui/table';
import { API_KEY_SCOPE_DESCRIPTIONS, API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, type ApiKeyScope } from '@/lib/auth/permissions';
import { createApiKeyAction, revokeApiKeyAction } from './actions';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

function when(iso: string | null, none = 'Never'): string {
  return iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : none;
}

/** A yyyy-mm-dd from the date field means "through that day" in the admin's own time zone. */
function endOfLocalDay(date: string): string | null {
  if (!date) return null;
  const end = new Date(`${date}T23:59:59.999`);
  return Number.isNaN(end.getTime()) ? date : end.toISOString();
}

const STATUS_BADGE = {
  active: <Badge variant="success">Active</Badge>,
  expired: <Badge variant="warning">Expired</Badge>,
  revoked: <Badge variant="destructive">Revoked</Badge>,
} as const;

/** Create (the secret shown once, with a copy button), list and revoke the organization's keys. */
export function ApiKeysManager({ orgId, keys }: { orgId: string; keys: ApiKeyRow[] }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>([...DEFAULT_API_KEY_SCOPES]);
  const [expiresOn, setExpiresOn] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [scopesError, setScopesError] = useState<string | null>(null);
  const [expiryError, setExpiryError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ secret: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [creating, startCreate] = useTransition();
  const [revoking, startRevoke] = useTransition();

  function toggleScope(scope: ApiKeyScope, on: boolean) {
    setScopes((current) => API_KEY_SCOPES.filter((s) => (s === scope ? on : current.includes(s))));
  }

  function create(event: React.FormEvent) {
    event.preventDefault();
    setNameError(null);
    setScopesError(null);
    setExpiryError(null);
    startCreate(async () => {
      const result = await createApiKeyAction(orgId, { name, scopes, expiresAt: endOfLocalDay(expiresOn) });
      if (!result.ok) {
        const fields = result.fieldErrors ?? {};
        if (fields.scopes) setScopesError(fields.scopes);
        else if (fields.expiresAt) setExpiryError(fields.expiresAt);
        else setNameError(fields.name ?? result.error);
        toast.error(result.error);
        return;
      }
      setCreated({ secret: result.secret, name: name.trim() });
      setCopied(false);
      setName('');
      setScopes([...DEFAULT_API_KEY_SCOPES]);
      setExpiresOn('');
      toast.success(result.message);
    });
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied(true);
      toast.success('Key copied to the clipboard.');
    } catch {
      toast.error('Copying was blocked by the browser; select the key and copy it by hand.');
    }
  }

  function revoke(key: ApiKeyRow) {
    startRevoke(async () => {
      const result = await revokeApiKeyAction(orgId, key.id);
      if (result.ok) toast.success(result.message);
      else toast.error(result.error);
    });
  }

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={create} className="flex flex-col gap-4 rounded-lg border bg-card p-5" noValidate>
        <FormField
          id="api-key-name"
          label="New key name"
          help="Name it after the system that uses it. A key is never an admin: it can do only what its scopes allow."
          error={nameError}
        >
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} placeholder="HR sync" className="max-w-sm" />
        </FormField>
        <fieldset className="flex flex-col gap-2" aria-describedby={scopesError ? 'api-key-scopes-error' : undefined}>
          <legend className="mb-1 text-sm font-medium">Scopes</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-0.5"
                name="scopes"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(e) => toggleScope(scope, e.target.checked)}
              />
              <span>
                <code className="font-mono text-xs">{scope}</code>
                <span className="block text-xs text-muted-foreground">{API_KEY_SCOPE_DESCRIPTIONS[scope]}</span>
              </span>
            </label>
          ))}
          {scopesError ? (
            <p id="api-key-scopes-error" className="text-xs text-destructive">
              {scopesError}
            </p>
          ) : null}
        </fieldset>
        <FormField
          id="api-key-expires"
          label="Expires (optional)"
          help="The key works through the end of that day. Leave empty for a key that does not expire."
          error={expiryError}
        >
          <Input type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} className="max-w-48" />
        </FormField>
        <div>
          <Button type="submit" disabled={creating}>
            {creating ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <PlusIcon aria-hidden="true" />}
            Create key
          </Button>
        </div>
      </form>

      {created ? (
        <Alert variant="info" data-testid="new-api-key">
          <KeyRoundIcon aria-hidden="true" />
          <AlertTitle>Copy the key for &ldquo;{created.name}&rdquo; now</AlertTitle>
          <AlertDescription className="flex flex-col gap-2">
            <span>This is the only time it is shown. Teamgate stores only a hash of it.</span>
            <div className="flex flex-wrap items-center gap-2">
              <code className="rounded bg-muted px-2 py-1 font-mono text-xs break-all select-all" data-testid="api-key-secret">
                {created.secret}
              </code>
              <Button type="button" size="sm" variant="outline" onClick={() => void copy()}>
                {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
                {copied ? 'Copied' : 'Copy'}
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setCreated(null)}>
                Done
              </Button>
            </div>
            <span className="text-xs">
              Use it as <code>Authorization: Bearer &lt;key&gt;</code> with <code>POST /api/invitations</code>.
            </span>
          </AlertDescription>
        </Alert>
      ) : null}

      {keys.length === 0 ? (
        <EmptyTableNotice testId="api-keys-empty">No API keys yet. Create one for each system that sends invitations.</EmptyTableNotice>
      ) : (
        <Table aria-label="API keys">
          <TableColumns columns={['Name', 'Key', 'Scopes', 'Created', 'Expires', 'Last used', 'Status']} actions="w-24" />
          <TableBody>
            {keys.map((key) => (
              <TableRow key={key.id} data-testid="api-key-row">
                <TableCell className="font-medium">{key.name}</TableCell>
                <TableCell>
                  <code className="font-mono text-xs">{key.prefix}…</code>
                </TableCell>
                <TableCell>
                  <div className="flex flex-wrap gap-1" data-testid="api-key-scopes">
                    {key.scopes.length ? (
                      key.scopes.map((scope) => (
                        <Badge key={scope} variant="secondary" className="font-mono">
                          {scope}
                        </Badge>
                      ))
                    ) : (
                      <span className="text-xs text-muted-foreground">None</span>
                    )}
                  </div>
                </TableCell>
                <TableCell>{when(key.createdAt)}</TableCell>
                <TableCell data-testid="api-key-expires">{when(key.expiresAt)}</TableCell>
                <TableCell>{when(key.lastUsedAt)}</TableCell>
                <TableCell data-testid="api-key-status">{STATUS_BADGE[key.status]}</TableCell>
                <TableCell>
                  {key.status === 'revoked' ? null : (
                    <AlertDialog>
                      <AlertDialogTrigger asChild>
                        <Button variant="outline" size="sm" disabled={revoking} aria-label={`Revoke ${key.name}`}>
                          Revoke
                        </Button>
                      </AlertDialogTrigger>
                      <ConfirmDialogContent
                        title={<>Revoke &ldquo;{key.name}&rdquo;?</>}
                        description="Every request with this key is refused from now on. This cannot be undone; create a new key to replace it."
                        confirm={<AlertDialogAction onClick={() => revoke(key)}>Revoke key</AlertDialogAction>}
                      />
                    </AlertDialog>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
