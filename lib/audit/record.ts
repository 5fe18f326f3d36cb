import { randomBytes } from 'node:crypto';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { Actor } from '@/lib/auth/actor';
import { db } from '@/lib/db';

/** Every action the audit log knows. Adding one here is how a new action becomes auditable. */
export const AUDIT_ACTIONS = [
  'invitation.created',
  'invitation.resent',
  'invitation.revoked',
  'invitation.accepted',
  'invitation.expired',
  'member.role_changed',
  'member.removed',
  'member.left',
  'member.account_deleted',
  'member.joined',
  'org.settings_changed',
  'org.renamed',
  'org.logo_changed',
  'org.logo_removed',
  'org.resynced',
  'org.admin_portal_opened',
  'org.rule_added',
  'org.rule_changed',
  'org.rule_removed',
  'org.domain_join_mode_changed',
  'api_key.created',
  'api_key.revoked',
  'bulk_invite.completed',
  'bulk_action.started',
  'bulk_action.completed',
  'access_review.started',
  'access_review.change_applied',
  'access_review.finished',
  'request.created',
  'request.approved',
  'request.denied',
  'request.cancelled',
  'webhook_endpoint.created',
  'webhook_endpoint.updated',
  'webhook_endpoint.enabled',
  'webhook_endpoint.disabled',
  'webhook_endpoint.secret_rotated',
  'webhook_endpoint.secret_revealed',
  'webhook_endpoint.deleted',
  'webhook_endpoint.test_sent',
  'webhook_delivery.replayed',
  'session.signed_in',
  'session.signed_out',
  'session.revoked_all',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  actor: Actor;
  organizationId: string;
  action: AuditAction;
  target?: {
    type:
      | 'membership'
      | 'user'
      | 'organization'
      | 'api_key'
      | 'bulk_invite'
      | 'bulk_action'
      | 'session'
      | 'access_review'
      | 'invitation_request'
      | 'invitation_rule'
      | 'webhook_endpoint';
    id?: string | null;
    label?: string | null;
  };
  metadata?: Prisma.InputJsonValue;
}

/** Who did it, as the log should show it: a person's email, an API key's name, or the system. */
export function actorFields(actor: Actor): { actorType: string; actorId: string | null; actorLabel: string | null } {
  switch (actor.kind) {
    case 'user':
      return { actorType: 'user', actorId: actor.userId, actorLabel: actor.email };
    case 'api_key':
      return { actorType: 'api_key', actorId: actor.apiKeyId, actorLabel: actor.label };
    case 'system':
      return { actorType: 'system', actorId: null, actorLabel: actor.label };
  }
}

/**
 * Append one audit event. Pass the transaction client when the event belongs
 * to a database change, so the change and its record commit together.
 */
export async function recordAudit(entry: AuditEntry, client: Pick<Prisma.TransactionClient, 'auditEvent'> = db): Promise<void> {
  await client.auditEvent.create({ data: auditData(entry) });
}

/**
 * Many events in one statement (bulk invitations, bulk role changes, key revocations); same
 * columns as recordAudit. One INSERT … SELECT FROM unnest(arrays), one array per column: Prisma's
 * createMany builds and maps every row's object, which cost bulk role changes more CPU than the
 * Scalekit calls themselves (docs/benchmarks.md).
 */
export async function recordAudits(entries: AuditEntry[], client: Pick<Prisma.TransactionClient, '$executeRaw'> = db): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map(auditData);
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key] ?? null);
  const metadata = rows.map((r) => (r.metadata === undefined ? null : JSON.stringify(r.metadata)));
  await client.$executeRaw`
    INSERT INTO "AuditEvent" ("id", "organizationId", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId",
      "targetLabel", "metadata", "ip", "userAgent", "requestId")
    SELECT id, "organizationId", "actorType", "actorId", "actorLabel", action, "targetType", "targetId", "targetLabel",
      metadata::jsonb, ip, "userAgent", "requestId"
    FROM unnest(${rows.map(() => auditEventId())}::text[], ${column('organizationId')}::text[], ${column('actorType')}::text[],
      ${column('actorId')}::text[], ${column('actorLabel')}::text[], ${column('action')}::text[], ${column('targetType')}::text[],
      ${column('targetId')}::text[], ${column('targetLabel')}::text[], ${metadata}::text[], ${column('ip')}::text[],
      ${column('userAgent')}::text[], ${column('requestId')}::text[])
      AS e(id, "organizationId", "actorType", "actorId", "actorLabel", action, "targetType", "targetId", "targetLabel",
        metadata, ip, "userAgent", "requestId")`;
}

let idCounter = 0;

/**
 * An id in the shape of Prisma's cuid() (the column's default for single inserts): "c", the time
 * in base 36, a counter, then randomness. Time-ordered like them, so the audit log's
 * (createdAt, id) order keeps events of one statement in the order they were given.
 */
function auditEventId(): string {
  idCounter = (idCounter + 1) % 36 ** 4;
  return `c${Date.now().toString(36).padStart(8, '0')}${idCounter.toString(36).padStart(4, '0')}${randomBytes(8).toString('hex').slice(0, 12)}`;
}

function auditData(entry: AuditEntry): Prisma.AuditEventUncheckedCreateInput {
  return {
    organizationId: entry.organizationId,
    ...actorFields(entry.actor),
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    targetLabel: entry.target?.label ?? null,
    metadata: entry.metadata,
    ip: entry.actor.request?.ip ?? null,
    userAgent: entry.actor.request?.userAgent?.slice(0, 512) ?? null,
    requestId: entry.actor.request?.requestId ?? null,
  };
}
