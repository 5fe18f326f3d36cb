'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { ExternalLinkIcon, Loader2Icon, XIcon } from 'lucide-react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { openAdminPortalAction } from './actions';

/** The admin portal's UI events that change what this page lists (developer-docs reference/ui-events.mdx). */
const STATUS_EVENTS = new Set([
  'ORGANIZATION_SSO_ENABLED',
  'ORGANIZATION_SSO_DISABLED',
  'ORGANIZATION_DIRECTORY_ENABLED',
  'ORGANIZATION_DIRECTORY_DISABLED',
]);
const ENDED_EVENTS = new Set(['PORTAL_SESSION_EXPIRY', 'PORTAL_LOAD_FAILURE']);

interface PortalEvent {
  event_type: string;
  message?: string;
}

function isPortalEvent(data: unknown): data is PortalEvent {
  return typeof data === 'object' && data !== null && typeof (data as { event_type?: unknown }).event_type === 'string';
}

/**
 * "Open admin portal": asks the server for a fresh single-use link on the click and embeds it, as
 * Scalekit documents (an iframe whose src is the link's location). The portal tells this window
 * what changed with postMessage; only messages from the Scalekit environment's origin and from this
 * iframe are read, and a change re-reads the status above from Scalekit (router.refresh).
 */
export function AdminPortal({ orgId, scalekitOrigin }: { orgId: string; scalekitOrigin: string }) {
  const router = useRouter();
  const frame = useRef<HTMLIFrameElement>(null);
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [opening, startOpening] = useTransition();

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      if (event.origin !== scalekitOrigin || event.source !== frame.current?.contentWindow) return;
      if (!isPortalEvent(event.data)) return;
      const { event_type: type, message } = event.data;
      if (STATUS_EVENTS.has(type)) {
        setNotice(typeof message === 'string' ? message : 'The admin portal saved a change.');
        router.refresh();
      } else if (ENDED_EVENTS.has(type)) {
        setSrc(null);
        setNotice('The admin portal session has ended. Open the admin portal again to continue.');
      }
    }
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [router, scalekitOrigin]);

  function open() {
    setError(null);
    setNotice(null);
    startOpening(async () => {
      const result = await openAdminPortalAction(orgId);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setSrc(result.location);
    });
  }

  function close() {
    setSrc(null);
    setNotice(null);
    router.refresh();
  }

  return (
    <section aria-labelledby="admin-portal-heading" className="flex flex-col gap-3 border-t pt-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex max-w-2xl flex-col gap-1">
          <h2 id="admin-portal-heading" className="text-lg font-semibold tracking-tight">
            Admin portal
          </h2>
          <p className="text-sm text-muted-foreground">
            Scalekit&apos;s self-serve portal, where you connect your identity provider (SAML or OIDC) and your directory (SCIM). Each
            opening uses a new single-use link that only you receive.
          </p>
        </div>
        {src ? (
          <Button variant="outline" onClick={close}>
            <XIcon aria-hidden="true" />
            Close admin portal
          </Button>
        ) : (
          <Button onClick={open} disabled={opening}>
            {opening ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <ExternalLinkIcon aria-hidden="true" />}
            Open admin portal
          </Button>
        )}
      </div>
      {error ? (
        <Alert variant="destructive" data-testid="admin-portal-error">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <p role="status" aria-live="polite" className="text-sm text-muted-foreground" data-testid="admin-portal-notice">
        {notice}
      </p>
      {src ? (
        <iframe
          ref={frame}
          src={src}
          title="Scalekit admin portal"
          // "Include allow="clipboard-write" for copy-paste functionality"; at least 600px high (_admin-portal.mdx).
          allow="clipboard-write"
          className="h-[720px] w-full rounded-lg border bg-white"
        />
      ) : null}
    </section>
  );
}
