import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import type { Prisma, WebhookDelivery, WebhookEndpoint } from '@/lib/generated/prisma/client';
import { deliveryConfig } from './config';
import { testPayload, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './events';
import { openEndpointSecret, sealEndpointSecret } from './secret';
import { generateWebhookSecret } from './signing';
import { checkEndpointUrl, type UrlPolicy } from './url-policy';

/**
 * An organization's outbound webhook endpoints (docs/outbound-webhooks.md). Every function checks
 * `org:settings` for THIS organization first, validates before changing anything, and audits each
 * change in the same transaction. Secrets leave only through revealSecret/createEndpoint, to an
 * admin, and are never logged.
 */

const PERMISSION = 'org:settings';
export const MAX_ENDPOINTS_PER_ORG = 20;

export interface EndpointInput {
  url?: unknown;
  description?: unknown;
  /** Event types; empty or missing = all */
  eventTypes?: unknown;
}

const descriptionSchema = z
  .string({ error: 'The description must be text.' })
  .trim()
  .max(200, 'Keep the description under 200 characters.')
  .optional()
  .nullable();
const eventTypesSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `Choose event types among: ${WEBHOOK_EVENT_TYPES.join(', ')}.` }), {
    error: 'Choose the event types as a list.',
  })
  .max(WEBHOOK_EVENT_TYPES.length)
  .optional()
  .nullable();

function fieldError(field: string, message: string): AppError {
  return new AppError('validation_failed', message, { field });
}

function parseDescription(raw: unknown): string | null {
  const parsed = descriptionSchema.safeParse(raw ?? null);
  if (!parsed.success) throw fieldError('description', parsed.error.issues[0]!.message);
  return parsed.data || null;
}

function parseEventTypes(raw: unknown): WebhookEventType[] {
  const parsed = eventTypesSchema.safeParse(raw ?? null);
  if (!parsed.success) throw fieldError('eventTypes', parsed.error.issues[0]!.message);
  const chosen = new Set(parsed.data ?? []);
  // Every type chosen is the same as "all" (and keeps receiving types added later).
  if (chosen.size === WEBHOOK_EVENT_TYPES.length) return [];
  return WEBHOOK_EVENT_TYPES.filter((t) => chosen.has(t));
}

function policy(overrides?: Partial<UrlPolicy>): UrlPolicy {
  return { allowPrivate: deliveryConfig().allowPrivate, ...overrides };
}

async function loadEndpoint(organizationId: string, endpointId: unknown, client: Prisma.TransactionClient | typeof db = db) {
  const row =
    typeof endpointId === 'string' && endpointId.length <= 64
      ? await client.webhookEndpoint.findFirst({ where: { id: endpointId, organizationId } })
      : null;
  if (!row) throw new AppError('webhook_endpoint_not_found');
  return row;
}

function audited(
  actor: Actor,
  endpoint: WebhookEndpoint,
  action: Parameters<typeof recordAudit>[0]['action'],
  metadata?: Prisma.InputJsonObject,
) {
  return {
    actor,
    organizationId: endpoint.organizationId,
    action,
    target: { type: 'webhook_endpoint' as const, id: endpoint.id, label: endpoint.url },
    ...(metadata ? { metadata } : {}),
  };
}

export type EndpointSummary = Omit<WebhookEndpoint, 'secretEnc' | 'leaseOwner' | 'leaseUntil'>;

function summary(e: WebhookEndpoint): EndpointSummary {
  const copy: Partial<WebhookEndpoint> = { ...e };
  delete copy.secretEnc;
  delete copy.leaseOwner;
  delete copy.leaseUntil;
  return copy as EndpointSummary;
}

export async function listEndpoints(actor: Actor, organizationId: string): Promise<EndpointSummary[]> {
  assertCan(actor, organizationId, PERMISSION);
  const rows = await db.webhookEndpoint.findMany({ where: { organizationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return rows.map(summary);
}

/** Add an endpoint. Returns its secret once, for the admin to copy (it can be revealed again later). */
export async function createEndpoint(
  actor: Actor,
  organizationId: string,
  input: EndpointInput,
  options: { urlPolicy?: Partial<UrlPolicy> } = {},
): Promise<{ endpoint: EndpointSummary; secret: string }> {
  assertCan(actor, organizationId, PERMISSION);
  const description = parseDescription(input.description);
  const eventTypes = parseEventTypes(input.eventTypes);
  const url = await checkEndpointUrl(input.url, policy(options.urlPolicy));
  const secret = generateWebhookSecret();
  const id = `whe_${randomBytes(12).toString('hex')}`;
  const endpoint = await db.$transaction(async (tx) => {
    // Counted under the organization's row lock, so two parallel creates cannot both pass the cap.
    await tx.$executeRaw`SELECT 1 FROM "Organization" WHERE "id" = ${organizationId} FOR UPDATE`;
    if ((await tx.webhookEndpoint.count({ where: { organizationId } })) >= MAX_ENDPOINTS_PER_ORG) {
      throw new AppError(
        'validation_failed',
        `An organization can have at most ${MAX_ENDPOINTS_PER_ORG} webhook endpoints. Delete one first.`,
      );
    }
    const created = await tx.webhookEndpoint.create({
      data: {
        id,
        organizationId,
        url: url.toString(),
        description,
        eventTypes,
        secretEnc: await sealEndpointSecret(id, secret),
        createdByUserId: actor.kind === 'user' ? actor.userId : null,
        createdByLabel: actor.kind === 'user' ? actor.email : actor.label,
      },
    });
    await recordAudit(audited(actor, created, 'webhook_endpoint.created', { eventTypes: eventTypes.length ? eventTypes : 'all' }), tx);
    return created;
  });
  return { endpoint: summary(endpoint), secret };
}

/** Change description and event types (the URL too, checked again). */
export async function updateEndpoint(
  actor: Actor,
  organizationId: string,
  endpointId: unknown,
  input: EndpointInput,
  options: { urlPolicy?: Partial<UrlPolicy> } = {},
): Promise<EndpointSummary> {
  assertCan(actor, organizationId, PERMISSION);
  const current = await loadEndpoint(organizationId, endpointId);
  const description = input.description === undefined ? current.description : parseDescription(input.description);
  const eventTypes = input.eventTypes === undefined ? current.eventTypes : parseEventTypes(input.eventTypes);
  const url = input.url === undefined ? current.url : (await checkEndpointUrl(input.url, policy(options.urlPolicy))).toString();
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.update({ where: { id: current.id }, data: { description, eventTypes, url } });
    await recordAudit(
      audited(actor, row, 'webhook_endpoint.updated', {
        ...(url !== current.url ? { url: { from: current.url, to: url } } : {}),
        eventTypes: eventTypes.length ? eventTypes : 'all',
      }),
      tx,
    );
    return row;
  });
  return summary(updated);
}

/** Turn delivery on or off. Re-enabling resets the failure count; pending deliveries resume in order. */
export async function setEndpointEnabled(
  actor: Actor,
  organizationId: string,
  endpointId: unknown,
  enabled: boolean,
): Promise<EndpointSummary> {
  assertCan(actor, organizationId, PERMISSION);
  const current = await loadEndpoint(organizationId, endpointId);
  if (current.enabled === enabled) return summary(current);
  const who = actor.kind === 'user' ? actor.email : actor.label;
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: enabled
        ? { enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0 }
        : { enabled: false, disabledAt: new Date(), disabledReason: `Disabled by ${who}.` },
    });
    if (enabled) {
      // Deliveries waiting out a long backoff go at once: the admin has just fixed the receiver.
      await tx.webhookDelivery.updateMany({ where: { endpointId: current.id, status: 'PENDING' }, data: { nextAttemptAt: new Date() } });
    }
    await recordAudit(audited(actor, row, enabled ? 'webhook_endpoint.enabled' : 'webhook_endpoint.disabled'), tx);
    return row;
  });
  return summary(updated);
}

export async function revealSecret(actor: Actor, organizationId: string, endpointId: unknown): Promise<string> {
  assertCan(actor, organizationId, PERMISSION);
  const current = await loadEndpoint(organizationId, endpointId);
  const secret = await openEndpointSecret(current.id, current.secretEnc);
  // Not a change, but whoever saw a signing secret can forge events: the log says who did.
  await recordAudit(audited(actor, current, 'webhook_endpoint.secret_revealed'));
  return secret;
}

/** A new secret from now on: deliveries after this are signed with it only. */
export async function rotateSecret(actor: Actor, organizationId: string, endpointId: unknown): Promise<string> {
  assertCan(actor, organizationId, PERMISSION);
  const current = await loadEndpoint(organizationId, endpointId);
  const secret = generateWebhookSecret();
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.update({ where: { id: current.id }, data: { secretEnc: await sealEndpointSecret(current.id, secret) } });
    await recordAudit(audited(actor, current, 'webhook_endpoint.secret_rotated'), tx);
  });
  return secret;
}

export async function deleteEndpoint(actor: Actor, organizationId: string, endpointId: unknown): Promise<EndpointSummary> {
  assertCan(actor, organizationId, PERMISSION);
  const current = await loadEndpoint(organizationId, endpointId);
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: current.id } });
    await recordAudit(audited(actor, current, 'webhook_endpoint.deleted'), tx);
  });
  return summary(current);
}

/** Queue a `webhook.test` event for this endpoint (after whatever it is already sending). */
export async function sendTestEvent(actor: Actor, organizationId: string, endpointId: unknown): Promise<WebhookDelivery> {
  assertCan(actor, organizationId, PERMISSION);
  const current = await loadEndpoint(organizationId, endpointId);
  const eventId = `evt_test_${randomBytes(12).toString('hex')}`;
  return db.$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.create({
      data: {
        endpointId: current.id,
        organizationId,
        eventId,
        type: 'webhook.test',
        payload: JSON.stringify(testPayload(eventId, organizationId, current.url)),
      },
    });
    await recordAudit(audited(actor, current, 'webhook_endpoint.test_sent', { eventId }), tx);
    return delivery;
  });
}

/**
 * Send a delivery again, whatever its outcome: a new row at the end of the endpoint's queue with
 * the same event id and body (receivers that dedupe on webhook-id will see a duplicate they
 * already handled — that is the point of replaying to one that lost it). Audited.
 */
export async function replayDelivery(
  actor: Actor,
  organizationId: string,
  endpointId: unknown,
  deliveryId: unknown,
): Promise<WebhookDelivery> {
  assertCan(actor, organizationId, PERMISSION);
  const endpoint = await loadEndpoint(organizationId, endpointId);
  const original =
    typeof deliveryId === 'string' && deliveryId.length <= 64
      ? await db.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId: endpoint.id } })
      : null;
  if (!original) throw new AppError('webhook_delivery_not_found');
  return db.$transaction(async (tx) => {
    const replay = await tx.webhookDelivery.create({
      data: {
        endpointId: endpoint.id,
        organizationId,
        eventId: original.eventId,
        auditEventId: original.auditEventId,
        type: original.type,
        payload: original.payload,
        replayOfId: original.id,
      },
    });
    await recordAudit(
      audited(actor, endpoint, 'webhook_delivery.replayed', { deliveryId: original.id, eventId: original.eventId, type: original.type }),
      tx,
    );
    return replay;
  });
}

export type DeliveryRow = Omit<WebhookDelivery, 'payload'>;

/** The newest deliveries of one endpoint (the delivery log). */
export async function listDeliveries(
  actor: Actor,
  organizationId: string,
  endpointId: unknown,
  { take = 50 } = {},
): Promise<DeliveryRow[]> {
  assertCan(actor, organizationId, PERMISSION);
  const endpoint = await loadEndpoint(organizationId, endpointId);
  return db.webhookDelivery.findMany({
    where: { endpointId: endpoint.id },
    orderBy: { seq: 'desc' },
    take: Math.min(Math.max(1, take), 200),
    omit: { payload: true },
  });
}
