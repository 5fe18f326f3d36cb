import type { Metadata } from 'next';
import { adminOnlyPage } from '@/components/admins-only';
import { PageSection } from '@/components/page-section';
import { EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from '@/lib/outbound-webhooks/events';
import { listDeliveries, listEndpoints } from '@/lib/outbound-webhooks/service';
import { DeliveryLog } from './delivery-log';
import { WebhooksManager } from './webhooks-manager';

export const metadata: Metadata = { title: 'Webhooks' };

export default adminOnlyPage('org:settings', 'manage webhooks', async ({ actor, orgId, searchParams }) => {
  const endpoints = await listEndpoints(actor, orgId);
  const asked = typeof searchParams.endpoint === 'string' ? searchParams.endpoint : undefined;
  const selected = endpoints.find((e) => e.id === asked) ?? endpoints[0];
  const deliveries = selected ? await listDeliveries(actor, orgId, selected.id) : [];
  return (
    <PageSection
      id="webhooks-heading"
      title="Webhooks"
      description={
        <>
          Your CRM or HR system receives a signed HTTP POST for each event it subscribes to: invitations, members and invitation requests.
          Deliveries are retried with backoff, go out in order per endpoint, and an endpoint that keeps failing is disabled. See{' '}
          <code>docs/outbound-webhooks.md</code> for payloads and how to verify signatures.
        </>
      }
    >
      <WebhooksManager
        orgId={orgId}
        selectedId={selected?.id ?? null}
        eventTypes={WEBHOOK_EVENT_TYPES.map((type) => ({ type, description: EVENT_DESCRIPTIONS[type] }))}
        endpoints={endpoints.map((e) => ({
          id: e.id,
          url: e.url,
          description: e.description,
          eventTypes: e.eventTypes,
          enabled: e.enabled,
          disabledReason: e.disabledReason,
          disabledAt: e.disabledAt?.toISOString() ?? null,
          consecutiveFailures: e.consecutiveFailures,
          createdAt: e.createdAt.toISOString(),
        }))}
      />
      {selected ? (
        <DeliveryLog
          orgId={orgId}
          endpointId={selected.id}
          endpointUrl={selected.url}
          deliveries={deliveries.map((d) => ({
            id: d.id,
            eventId: d.eventId,
            type: d.type,
            status: d.status,
            attempts: d.attempts,
            lastResponseStatus: d.lastResponseStatus,
            lastError: d.lastError,
            lastDurationMs: d.lastDurationMs,
            nextAttemptAt: d.nextAttemptAt.toISOString(),
            createdAt: d.createdAt.toISOString(),
            lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
            replay: d.replayOfId !== null,
          }))}
        />
      ) : null}
    </PageSection>
  );
});
