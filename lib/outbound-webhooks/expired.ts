import { recordAudits } from '@/lib/audit/record';
import { systemActor } from '@/lib/auth/actor';
import { db } from '@/lib/db';

/**
 * Invitations pass their expiry silently (Scalekit sends no event for it), so a scheduled job
 * (`invitations.announce-expired`, lib/jobs/registry.ts) records `invitation.expired` for each
 * pending invitation whose expiresAt has passed — which the outbound webhooks then publish.
 *
 * Idempotent and safe in two workers at once: one UPDATE marks the rows (expiryAnnounced =
 * expiresAt) and returns only those it changed, and their audit rows are written in the same
 * transaction. A concurrent run blocks on the row locks, re-checks the condition and skips them.
 * A resend gives the invitation a new expiresAt, so its next expiry is announced again.
 */

export interface AnnounceResult {
  announced: number;
  more: boolean;
}

export async function announceExpiredInvitations({ batchSize = 500 }: { batchSize?: number } = {}): Promise<AnnounceResult> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ id: string; organizationId: string; email: string; role: string; expiresAt: Date }>>`
      UPDATE "Membership" m SET "expiryAnnounced" = m."expiresAt"
      WHERE m."id" IN (
        SELECT "id" FROM "Membership"
        WHERE "status" IN ('PENDING_INVITE', 'INVITE_EXPIRED') AND "syncState" = 'SYNCED'
          AND "expiresAt" IS NOT NULL AND "expiresAt" <= now()
          AND ("expiryAnnounced" IS NULL OR "expiryAnnounced" <> "expiresAt")
        ORDER BY "expiresAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING m."id", m."organizationId", m."email", m."role", m."expiresAt"`;
    rows.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
    await recordAudits(
      rows.map((r) => ({
        actor: systemActor('invitation expiry', r.organizationId),
        organizationId: r.organizationId,
        action: 'invitation.expired' as const,
        target: { type: 'membership' as const, id: r.id, label: r.email },
        metadata: { role: r.role, expiresAt: r.expiresAt.toISOString() },
      })),
      tx,
    );
    return { announced: rows.length, more: rows.length === batchSize };
  });
}
