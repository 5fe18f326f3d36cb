import { ScalekitNotFoundException } from '@scalekit-sdk/node';
import type { Prisma } from '@/lib/generated/prisma/client';
import { getScalekit } from '@/lib/scalekit/client';
import { lockIfNewer, organizationVersionKey, writeEntityVersion } from '@/lib/webhooks/entity-versions';
import type { DeletionHandler, WebhookOutcome } from '@/lib/webhooks/outcome';
import type { OrganizationEventData } from '@/lib/webhooks/payloads';

/**
 * organization.created|updated|deleted. The payload is the organization itself
 * (OrganizationEventData: id, display_name, external_id, ...); the seat limit is a user-management
 * setting that no event carries, so it is read from Scalekit on arrival. Out of order safe like
 * memberships: an event older than the newest applied (or than the deletion) is skipped.
 */

/** The seat limit Scalekit holds now; `gone` when the organization no longer exists there. */
export type OrganizationSnapshot = { gone: true } | { gone: false; maxAllowedUsers: number | null };

export async function readOrganizationSnapshot(organizationId: string): Promise<OrganizationSnapshot> {
  try {
    const settings = await getScalekit().organization.getOrganizationUserManagementSetting(organizationId);
    return { gone: false, maxAllowedUsers: settings.settings?.maxAllowedUsers ?? null };
  } catch (error) {
    if (error instanceof ScalekitNotFoundException) return { gone: true };
    throw error;
  }
}

export async function applyOrganizationUpsert(
  tx: Prisma.TransactionClient,
  data: OrganizationEventData,
  snapshot: OrganizationSnapshot,
  occurredAt: Date,
): Promise<WebhookOutcome> {
  // Deleted since: its organization.deleted is on the way (or applied) and settles it.
  if (snapshot.gone) return 'ignored';
  const key = organizationVersionKey(data.id);
  if (!(await lockIfNewer(tx, key, occurredAt))) return 'stale';
  const fields = { name: data.display_name || data.id, externalId: data.external_id, maxAllowedUsers: snapshot.maxAllowedUsers };
  // A membership event for the same new organization may insert the row at the same moment.
  await tx.organization.createMany({ data: [{ id: data.id, ...fields }], skipDuplicates: true });
  await tx.organization.update({ where: { id: data.id }, data: fields });
  await writeEntityVersion(tx, key, { at: occurredAt, deleted: false });
  return 'applied';
}

/**
 * Scalekit deleted the organization: nobody may act in it any more. Its memberships go, its API
 * keys are revoked and every session in it ends after commit. The row itself stays, so the audit
 * log and past API-key records keep what they point at.
 */
export const applyOrganizationDeleted: DeletionHandler<OrganizationEventData> = async (tx, data, occurredAt, after) => {
  const key = organizationVersionKey(data.id);
  if (!(await lockIfNewer(tx, key, occurredAt))) return 'stale';
  await writeEntityVersion(tx, key, { at: occurredAt, deleted: true });
  const org = await tx.organization.findUnique({ where: { id: data.id }, select: { id: true } });
  if (!org) return 'ignored';
  await tx.membership.deleteMany({ where: { organizationId: data.id } });
  await tx.apiKey.updateMany({ where: { organizationId: data.id, revokedAt: null }, data: { revokedAt: occurredAt } });
  after.revokeOrganizationSessions.push(data.id);
  return 'applied';
};
