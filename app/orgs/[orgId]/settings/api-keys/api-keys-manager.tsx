'use client';

import { useState, useTransition } from 'react';
import { CheckIcon, CopyIcon, KeyRoundIcon, Loader2Icon, PlusIcon } from 'lucide-react';
import { toast } from 'sonner';
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from '@/components/ui/alert-dialog';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { createApiKeyAction, revokeApiKeyAction } from './actions';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : 'Never';
}

/** Create (the secret shown once, with a copy button), list and revoke the organization's keys. */
export function ApiKeysManager({ orgId, keys }: { orgId: string; keys: ApiKeyRow[] }) {
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ secret: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [creating, startCreate] = useTransition();
  const [revoking, startRevoke] = useTransition();

  function create(event: React.FormEvent) {
    event.preventDefault();
    setNameError(null);
    startCreate(async () => {
      const result = await createApiKeyAction(orgId, name);
      if (!result.ok) {
        setNameError(result.fieldErrors?.name ?? result.error);
        toast.error(result.error);
        return;
      }
      setCreated({ secret: result.secret, name: name.trim() });
      setCopied(false);
      setName('');
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
      <form onSubmit={create} className="flex flex-col gap-3 rounded-lg border bg-card p-5" noValidate>
        <div className="flex flex-col gap-2">
          <Label htmlFor="api-key-name">New key name</Label>
          <div className="flex flex-wrap gap-2">
            <Input
              id="api-key-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={60}
              placeholder="HR sync"
              className="max-w-sm"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? 'api-key-name-error' : 'api-key-name-help'}
            />
            <Button type="submit" disabled={creating}>
              {creating ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <PlusIcon aria-hidden="true" />}
              Create key
            </Button>
          </div>
          {nameError ? (
            <p id="api-key-name-error" className="text-xs text-destructive">
              {nameError}
            </p>
          ) : (
            <p id="api-key-name-help" className="text-xs text-muted-foreground">
              A key acts as an admin of this organization for the invitations API. Name it after the system that uses it.
            </p>
          )}
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
        <div className="rounded-lg border border-dashed px-6 py-10 text-center text-sm text-muted-foreground" data-testid="api-keys-empty">
          No API keys yet. Create one for each system that sends invitations.
        </div>
      ) : (
        <Table aria-label="API keys">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Key</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="w-24"><span className="sr-only">Actions</span></TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.map((key) => (
              <TableRow key={key.id} data-testid="api-key-row">
                <TableCell className="font-medium">{key.name}</TableCell>
                <TableCell><code className="font-mono text-xs">{key.prefix}…</code></TableCell>
                <TableCell>{when(key.createdAt)}</TableCell>
                <TableCell>{when(key.lastUsedAt)}</TableCell>
                <TableCell>{key.revokedAt ? <Badge variant="destructive">Revoked</Badge> : <Badge variant="success">Active</Badge>}</TableCell>
                <TableCell>
                  {key.revokedAt ? null : (
                    <AlertDialog>
                      <AlertDialogTrigger asChild>
                        <Button variant="outline" size="sm" disabled={revoking} aria-label={`Revoke ${key.name}`}>
                          Revoke
                        </Button>
                      </AlertDialogTrigger>
                      <AlertDialogContent>
                        <AlertDialogHeader>
                          <AlertDialogTitle>Revoke &ldquo;{key.name}&rdquo;?</AlertDialogTitle>
                          <AlertDialogDescription>Every request with this key is refused from now on. This cannot be undone; create a new key to replace it.</AlertDialogDescription>
                        </AlertDialogHeader>
                        <AlertDialogFooter>
                          <AlertDialogCancel>Cancel</AlertDialogCancel>
                          <AlertDialogAction onClick={() => revoke(key)}>Revoke key</AlertDialogAction>
                        </AlertDialogFooter>
                      </AlertDialogContent>
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
