'use client';

import { useState, useTransition } from 'react';
import Link from 'next/link';
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
import {
  createEndpointAction,
  deleteEndpointAction,
  revealSecretAction,
  rotateSecretAction,
  sendTestEventAction,
  setEndpointEnabledAction,
} from './actions';

export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  consecutiveFailures: number;
  createdAt: string;
}

function when(iso: string): string {
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Add endpoints (the secret shown at once), list them, and act on each: test, secret, enable/disable, delete. */
export function WebhooksManager({
  orgId,
  endpoints,
  eventTypes,
  selectedId,
}: {
  orgId: string;
  endpoints: EndpointRow[];
  eventTypes: Array<{ type: string; description: string }>;
  selectedId: string | null;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [shown, setShown] = useState<{ endpointUrl: string; secret: string; why: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [creating, startCreate] = useTransition();
  const [busy, startBusy] = useTransition();

  function create(event: React.FormEvent) {
    event.preventDefault();
    setErrors({});
    startCreate(async () => {
      const result = await createEndpointAction(orgId, { url, description, eventTypes: chosen });
      if (!result.ok) {
        const fields = result.fieldErrors ?? {};
        setErrors(Object.keys(fields).length ? fields : { url: result.error });
        toast.error(result.error);
        return;
      }
      setShown({ endpointUrl: url.trim(), secret: result.secret, why: 'New endpoint' });
      setCopied(false);
      setUrl('');
      setDescription('');
      setChosen([]);
      toast.success(result.message);
    });
  }

  function act(
    run: () => Promise<{ ok: true; message: string; secret?: string } | { ok: false; error: string }>,
    endpoint?: EndpointRow,
    why?: string,
  ) {
    startBusy(async () => {
      const result = await run();
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      if (result.secret && endpoint && why) {
        setShown({ endpointUrl: endpoint.url, secret: result.secret, why });
        setCopied(false);
      }
      toast.success(result.message);
    });
  }

  async function copy() {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.secret);
      setCopied(true);
      toast.success('Secret copied to the clipboard.');
    } catch {
      toast.error('Copying was blocked by the browser; select the secret and copy it by hand.');
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={create} className="flex flex-col gap-4 rounded-lg border bg-card p-5" noValidate aria-label="Add an endpoint">
        <FormField
          id="webhook-url"
          label="Endpoint URL"
          help="An https:// URL of your system that accepts POST requests."
          error={errors.url}
        >
          <Input
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://crm.example.com/teamgate-events"
            className="max-w-xl"
          />
        </FormField>
        <FormField
          id="webhook-description"
          label="Description (optional)"
          help="Which system this is, for your colleagues."
          error={errors.description}
        >
          <Input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={200}
            placeholder="HR system"
            className="max-w-xl"
          />
        </FormField>
        <fieldset className="flex flex-col gap-2" aria-describedby={errors.eventTypes ? 'webhook-events-error' : 'webhook-events-help'}>
          <legend className="mb-1 text-sm font-medium">Events</legend>
          <p id="webhook-events-help" className="text-xs text-muted-foreground">
            None ticked: every event, including types added later.
          </p>
          <div className="grid gap-2 sm:grid-cols-2">
            {eventTypes.map(({ type, description: what }) => (
              <label key={type} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-0.5"
                  name="eventTypes"
                  value={type}
                  checked={chosen.includes(type)}
                  onChange={(e) => setChosen((c) => (e.target.checked ? [...c, type] : c.filter((t) => t !== type)))}
                />
                <span>
                  <code className="font-mono text-xs">{type}</code>
                  <span className="block text-xs text-muted-foreground">{what}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.eventTypes ? (
            <p id="webhook-events-error" className="text-xs text-destructive">
              {errors.eventTypes}
            </p>
          ) : null}
        </fieldset>
        <div>
          <Button type="submit" disabled={creating}>
            {creating ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <PlusIcon aria-hidden="true" />}
            Add endpoint
          </Button>
        </div>
      </form>

      {shown ? (
        <Alert variant="info" data-testid="webhook-secret">
          <KeyRoundIcon aria-hidden="true" />
          <AlertTitle>
            {shown.why}: signing secret for {shown.endpointUrl}
          </AlertTitle>
          <AlertDescription className="flex flex-col gap-2">
            <span>Your receiver verifies each delivery&rsquo;s webhook-signature header with it. Admins can reveal it again here.</span>
            <div className="flex flex-wrap items-center gap-2">
              <code className="rounded bg-muted px-2 py-1 font-mono text-xs break-all select-all" data-testid="webhook-secret-value">
                {shown.secret}
              </code>
              <Button type="button" size="sm" variant="outline" onClick={() => void copy()}>
                {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
                {copied ? 'Copied' : 'Copy'}
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setShown(null)}>
                Hide
              </Button>
            </div>
          </AlertDescription>
        </Alert>
      ) : null}

      {endpoints.length === 0 ? (
        <EmptyTableNotice testId="webhooks-empty">
          No endpoints yet. Add one for each system that should hear about changes.
        </EmptyTableNotice>
      ) : (
        <Table aria-label="Webhook endpoints">
          <TableColumns columns={['Endpoint', 'Events', 'Status', 'Added']} actions="w-96" />
          <TableBody>
            {endpoints.map((e) => (
              <TableRow key={e.id} data-testid="webhook-endpoint-row" data-selected={e.id === selectedId ? 'true' : undefined}>
                <TableCell className="max-w-72">
                  <div className="font-mono text-xs break-all">{e.url}</div>
                  {e.description ? <div className="text-xs text-muted-foreground">{e.description}</div> : null}
                </TableCell>
                <TableCell>
                  {e.eventTypes.length ? (
                    <div className="flex max-w-64 flex-wrap gap-1">
                      {e.eventTypes.map((t) => (
                        <Badge key={t} variant="secondary" className="font-mono">
                          {t}
                        </Badge>
                      ))}
                    </div>
                  ) : (
                    <span className="text-sm">All events</span>
                  )}
                </TableCell>
                <TableCell data-testid="webhook-endpoint-status">
                  {e.enabled ? (
                    <Badge variant="success">Enabled</Badge>
                  ) : (
                    <div className="flex max-w-64 flex-col gap-1">
                      <Badge variant="destructive">Disabled</Badge>
                      {e.disabledReason ? <span className="text-xs text-muted-foreground">{e.disabledReason}</span> : null}
                    </div>
                  )}
                </TableCell>
                <TableCell>{when(e.createdAt)}</TableCell>
                <TableCell>
                  <div className="flex flex-wrap gap-2">
                    <Button asChild variant="outline" size="sm">
                      <Link
                        href={`/orgs/${encodeURIComponent(orgId)}/settings/webhooks?endpoint=${encodeURIComponent(e.id)}`}
                        aria-label={`Delivery log of ${e.url}`}
                        aria-current={e.id === selectedId ? 'page' : undefined}
                      >
                        Deliveries
                      </Link>
                    </Button>
                    <Button
                      variant="outline"
                      size="sm"
                      disabled={busy}
                      onClick={() => act(() => sendTestEventAction(orgId, e.id))}
                      aria-label={`Send a test event to ${e.url}`}
                    >
                      Send test
                    </Button>
                    <Button
                      variant="outline"
                      size="sm"
                      disabled={busy}
                      onClick={() => act(() => revealSecretAction(orgId, e.id), e, 'Current')}
                      aria-label={`Reveal the secret of ${e.url}`}
                    >
                      Reveal secret
                    </Button>
                    <AlertDialog>
                      <AlertDialogTrigger asChild>
                        <Button variant="outline" size="sm" disabled={busy} aria-label={`Rotate the secret of ${e.url}`}>
                          Rotate secret
                        </Button>
                      </AlertDialogTrigger>
                      <ConfirmDialogContent
                        title="Rotate the signing secret?"
                        description="Deliveries from now on are signed with a new secret only: your receiver rejects them until you give it the new one."
                        confirm={
                          <AlertDialogAction onClick={() => act(() => rotateSecretAction(orgId, e.id), e, 'Rotated')}>
                            Rotate secret
                          </AlertDialogAction>
                        }
                      />
                    </AlertDialog>
                    <Button
                      variant="outline"
                      size="sm"
                      disabled={busy}
                      onClick={() => act(() => setEndpointEnabledAction(orgId, e.id, !e.enabled))}
                      aria-label={`${e.enabled ? 'Disable' : 'Enable'} ${e.url}`}
                    >
                      {e.enabled ? 'Disable' : 'Enable'}
                    </Button>
                    <AlertDialog>
                      <AlertDialogTrigger asChild>
                        <Button variant="outline" size="sm" disabled={busy} aria-label={`Delete ${e.url}`}>
                          Delete
                        </Button>
                      </AlertDialogTrigger>
                      <ConfirmDialogContent
                        title="Delete this endpoint?"
                        description="It stops receiving events at once, and its delivery log is deleted with it. Events still waiting are not sent."
                        confirm={
                          <AlertDialogAction onClick={() => act(() => deleteEndpointAction(orgId, e.id))}>
                            Delete endpoint
                          </AlertDialogAction>
                        }
                      />
                    </AlertDialog>
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
