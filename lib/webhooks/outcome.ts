import { systemActor, type Actor } from '@/lib/auth/actor';
import type { Prisma } from '@/lib/generated/prisma/client';

/**
 * applied: the mirror changed. duplicate: this event id was applied before. stale: an event newer
 * than this one was already applied to the same entity. ignored: a documented event the app has
 * nothing to do for. unknown: a type Scalekit does not document (logged at warn and counted).
 */
export type WebhookOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'unknown';

/** Work that must wait for the transaction's commit (sessions are revoked only for a change that holds). */
export interface AfterCommit {
  revokeSessions: Array<{ userId: string; organizationId: string }>;
  revokeOrganizationSessions: string[];
}

/**
 * Applies a deletion event in the webhook's transaction. Nothing is read from Scalekit first (what
 * went is in the payload), and sessions to end are queued on `after` for once the change holds.
 */
export type DeletionHandler<Data> = (
  tx: Prisma.TransactionClient,
  data: Data,
  occurredAt: Date,
  after: AfterCommit,
) => Promise<WebhookOutcome>;

export function newAfterCommit(): AfterCommit {
  return { revokeSessions: [], revokeOrganizationSessions: [] };
}

/** Who the audit log names for a change Scalekit told us about. */
export function webhookActor(organizationId: string): Actor {
  return systemActor('Scalekit webhook', organizationId);
}
