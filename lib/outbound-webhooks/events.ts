import type { AuditEvent } from '@/lib/generated/prisma/client';

/**
 * The public event types and how each is built from its audit row. The database trigger
 * (migration 20261204210500_outbound_webhooks, outbound_webhook_event_type) decides WHICH audit
 * actions become which type; this module decides what the receiver reads. Both lists must agree
 * (lib/outbound-webhooks/fan-out.int.test.ts checks every pair).
 */

export const WEBHOOK_EVENT_TYPES = [
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  'invitation.expired',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'request.created',
  'request.approved',
  'request.denied',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by "Send test event"; never derived from the audit log. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'invitation.created': 'An invitation was sent (form, bulk, API or directory).',
  'invitation.accepted': 'An invitee signed up and joined.',
  'invitation.revoked': 'An invitation was revoked before it was accepted.',
  'invitation.expired': 'An invitation passed its expiry without being accepted.',
  'member.joined': 'Someone became a member without a pending invitation.',
  'member.role_changed': 'A member’s role changed.',
  'member.removed': 'A member was removed, left, or deleted their account.',
  'request.created': 'Someone asked for an invitation; it waits for an admin.',
  'request.approved': 'An admin approved an invitation request.',
  'request.denied': 'An admin denied an invitation request.',
};

/** Audit action → public type; the same mapping as the trigger's SQL function. */
export const AUDIT_ACTION_EVENT: Record<string, WebhookEventType> = {
  'invitation.created': 'invitation.created',
  'invitation.accepted': 'invitation.accepted',
  'invitation.revoked': 'invitation.revoked',
  'invitation.expired': 'invitation.expired',
  'member.joined': 'member.joined',
  'member.role_changed': 'member.role_changed',
  'member.removed': 'member.removed',
  'member.left': 'member.removed',
  'member.account_deleted': 'member.removed',
  'request.created': 'request.created',
  'request.approved': 'request.approved',
  'request.denied': 'request.denied',
};

export interface WebhookEventPayload {
  id: string;
  type: string;
  /** When the change happened (the audit row's time), ISO 8601 UTC */
  timestamp: string;
  organization_id: string;
  data: Record<string, unknown>;
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** Copy only the named metadata keys that are present, renamed to snake_case where given. */
function pick(metadata: Json, keys: Record<string, string>): Json {
  const out: Json = {};
  for (const [from, to] of Object.entries(keys)) if (metadata[from] !== undefined && metadata[from] !== null) out[to] = metadata[from];
  return out;
}

const REMOVAL_REASON: Record<string, string> = {
  'member.removed': 'removed',
  'member.left': 'left',
  'member.account_deleted': 'account_deleted',
};

/**
 * The body for one audit row. Only fields chosen here leave Teamgate: never the request's IP or
 * user agent, never internal metadata (revoked API key names, claim ids).
 */
export function payloadFromAudit(audit: AuditEvent, type: string): WebhookEventPayload {
  const metadata = asObject(audit.metadata);
  const actor = { type: audit.actorType, id: audit.actorId, label: audit.actorLabel };
  const subject =
    audit.targetType === 'invitation_request' ? 'request' : audit.targetType === 'membership' ? 'membership' : audit.targetType;
  const target: Json = { email: audit.targetLabel };
  if (subject === 'request') target.request_id = audit.targetId;
  else target.membership_id = audit.targetId;

  let details: Json = {};
  switch (type) {
    case 'invitation.created':
      details = pick(metadata, { role: 'role', source: 'source', externalId: 'external_id' });
      break;
    case 'invitation.revoked':
    case 'invitation.accepted':
      details = pick(metadata, { role: 'role' });
      break;
    case 'invitation.expired':
      details = pick(metadata, { role: 'role', expiresAt: 'expired_at' });
      break;
    case 'member.joined':
      details = pick(metadata, { role: 'role' });
      break;
    case 'member.role_changed':
      details = pick(metadata, { from: 'previous_role', to: 'role' });
      break;
    case 'member.removed':
      details = { ...pick(metadata, { role: 'role', userId: 'user_id' }), reason: REMOVAL_REASON[audit.action] ?? 'removed' };
      break;
    case 'request.created':
      details = pick(metadata, { role: 'role', source: 'source', origin: 'origin', rule: 'rule' });
      break;
    case 'request.approved':
    case 'request.denied':
      details = pick(metadata, { role: 'role', note: 'note', membershipId: 'membership_id' });
      break;
  }
  const eventData: Json = { ...target, ...details, actor };
  return {
    id: `evt_${audit.id}`,
    type,
    timestamp: audit.createdAt.toISOString(),
    organization_id: audit.organizationId,
    data: eventData,
  };
}

export function testPayload(eventId: string, organizationId: string, endpointUrl: string, at: Date = new Date()): WebhookEventPayload {
  return {
    id: eventId,
    type: TEST_EVENT_TYPE,
    timestamp: at.toISOString(),
    organization_id: organizationId,
    data: { message: 'A test event from Teamgate: your endpoint received and can verify it.', endpoint_url: endpointUrl },
  };
}
