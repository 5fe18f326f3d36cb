import type { Prisma } from '@/lib/generated/prisma/client';
import type { Actor } from '@/lib/auth/actor';
import { db } from '@/lib/db';

/** Every action the audit log knows. Adding one here is how a new action becomes auditable. */
export const AUDIT_ACTIONS = [
  'invitation.created',
  'invitation.resent',
  'invitation.revoked',
  'invitation.accepted',
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
  'api_key.created',
  'api_key.revoked',
  'bulk_invite.completed',
  'bulk_action.started',
  'bulk_action.completed',
  'access_review.started',
  'access_review.change_applied',
  'access_review.finished',
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
    type: 'membership' | 'user' | 'organization' | 'api_key' | 'bulk_invite' | 'bulk_action' | 'session' | 'access_review';
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

/** Many events in one insert (bulk invitations); same columns as recordAudit. */
export async function recordAudits(entries: AuditEntry[], client: Pick<Prisma.TransactionClient, 'auditEvent'> = db): Promise<void> {
  if (entries.length) await client.auditEvent.createMany({ data: entries.map(auditData) });
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
