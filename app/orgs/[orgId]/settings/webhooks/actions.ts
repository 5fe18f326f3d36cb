'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { jobSender } from '@/lib/jobs/sender';
import { errorForLog, log } from '@/lib/log';
import { nudgeDispatcher } from '@/lib/outbound-webhooks/dispatch';
import {
  createEndpoint,
  deleteEndpoint,
  replayDelivery,
  revealSecret,
  rotateSecret,
  sendTestEvent,
  setEndpointEnabled,
} from '@/lib/outbound-webhooks/service';
import { adminAction, orgIdSchema, rowIdSchema, type ActionResult } from '../../admin-action';

/**
 * Settings → Webhooks. Thin: parse, guard (org:settings), lib/outbound-webhooks, revalidate.
 * Secrets are returned only by create, reveal and rotate, to the admin who asked, never logged.
 */

const endpointId = rowIdSchema('That webhook endpoint does not exist in this organization.');
const deliveryId = rowIdSchema('That webhook delivery does not exist for this endpoint.');

function refresh(orgId: string) {
  revalidatePath(`/orgs/${orgId}/settings/webhooks`);
  revalidatePath(`/orgs/${orgId}/audit`);
}

/** Start delivering now instead of at the next minute's tick; if the queue is unreachable, the tick still comes. */
async function nudge() {
  try {
    await nudgeDispatcher(await jobSender());
  } catch (error) {
    log.warn({ err: errorForLog(error) }, 'could not nudge the webhook dispatcher');
  }
}

export interface CreateEndpointInput {
  url: string;
  description: string;
  /** Empty: every event type */
  eventTypes: string[];
}

const create = adminAction('org:settings', z.object({ orgId: orgIdSchema, input: z.unknown() }), async ({ orgId, input }, actor) => {
  const body: Partial<Record<keyof CreateEndpointInput, unknown>> = input && typeof input === 'object' ? input : {};
  const { endpoint, secret } = await createEndpoint(actor, orgId, {
    url: body.url,
    description: body.description,
    eventTypes: body.eventTypes,
  });
  refresh(orgId);
  await nudge();
  return { message: `Endpoint added. Events go to ${endpoint.url} from now on.`, secret, endpointId: endpoint.id };
});

export async function createEndpointAction(
  orgId: string,
  input: CreateEndpointInput,
): Promise<ActionResult<{ secret: string; endpointId: string }>> {
  return create({ orgId, input });
}

const reveal = adminAction('org:settings', z.object({ orgId: orgIdSchema, endpointId }), async ({ orgId, endpointId: id }, actor) => ({
  message: 'Secret shown. Keep it in your receiver’s configuration, not in code.',
  secret: await revealSecret(actor, orgId, id),
}));

export async function revealSecretAction(orgId: string, endpointId: string): Promise<ActionResult<{ secret: string }>> {
  return reveal({ orgId, endpointId });
}

const rotate = adminAction('org:settings', z.object({ orgId: orgIdSchema, endpointId }), async ({ orgId, endpointId: id }, actor) => {
  const secret = await rotateSecret(actor, orgId, id);
  refresh(orgId);
  return { message: 'New secret in use: deliveries from now on are signed with it only. Update your receiver.', secret };
});

export async function rotateSecretAction(orgId: string, endpointId: string): Promise<ActionResult<{ secret: string }>> {
  return rotate({ orgId, endpointId });
}

const test = adminAction('org:settings', z.object({ orgId: orgIdSchema, endpointId }), async ({ orgId, endpointId: id }, actor) => {
  await sendTestEvent(actor, orgId, id);
  refresh(orgId);
  await nudge();
  return { message: 'Test event queued. It appears in the delivery log in a moment.' };
});

export async function sendTestEventAction(orgId: string, endpointId: string): Promise<ActionResult> {
  return test({ orgId, endpointId });
}

const toggle = adminAction(
  'org:settings',
  z.object({ orgId: orgIdSchema, endpointId, enabled: z.boolean({ error: 'Say whether to enable or disable.' }) }),
  async ({ orgId, endpointId: id, enabled }, actor) => {
    await setEndpointEnabled(actor, orgId, id, enabled);
    refresh(orgId);
    if (enabled) await nudge();
    return {
      message: enabled ? 'Endpoint enabled. Waiting events go out now, in order.' : 'Endpoint disabled. It receives nothing until enabled.',
    };
  },
);

export async function setEndpointEnabledAction(orgId: string, endpointId: string, enabled: boolean): Promise<ActionResult> {
  return toggle({ orgId, endpointId, enabled });
}

const remove = adminAction('org:settings', z.object({ orgId: orgIdSchema, endpointId }), async ({ orgId, endpointId: id }, actor) => {
  const endpoint = await deleteEndpoint(actor, orgId, id);
  refresh(orgId);
  return { message: `Endpoint ${endpoint.url} deleted, with its delivery log.` };
});

export async function deleteEndpointAction(orgId: string, endpointId: string): Promise<ActionResult> {
  return remove({ orgId, endpointId });
}

const replay = adminAction(
  'org:settings',
  z.object({ orgId: orgIdSchema, endpointId, deliveryId }),
  async ({ orgId, endpointId: id, deliveryId: did }, actor) => {
    const delivery = await replayDelivery(actor, orgId, id, did);
    refresh(orgId);
    await nudge();
    return { message: `${delivery.type} queued again (same event id ${delivery.eventId}).` };
  },
);

export async function replayDeliveryAction(orgId: string, endpointId: string, deliveryId: string): Promise<ActionResult> {
  return replay({ orgId, endpointId, deliveryId });
}
