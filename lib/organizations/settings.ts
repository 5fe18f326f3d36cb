import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors/app-error';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { errorForLog, log } from '@/lib/log';
import { countSeats, type SeatUsage } from '@/lib/members/service';
import { parseDomainList } from '@/lib/organizations/domains';
import { describeScalekitError } from '@/lib/scalekit/errors';
import { getScalekit } from '@/lib/scalekit/client';

/**
 * Organization settings an admin controls: the seat limit (Scalekit's user-management setting
 * max_allowed_users, which Scalekit enforces on every new membership; mirrored here so the team
 * page can show it without a call) and the allowed email domains for invitations (the app's own
 * rule, kept only in PostgreSQL).
 */

export const MAX_SEAT_LIMIT = 100_000;

export interface OrganizationSettings {
  id: string;
  name: string;
  /** SHA-256 of the uploaded logo (lib/organizations/logo.ts), null when there is none */
  logoSha256: string | null;
  maxAllowedUsers: number | null;
  allowedEmailDomains: string[];
  /** Members who cannot invite may ask admins to (lib/invitation-requests) */
  membersMayRequest: boolean;
  syncedAt: Date | null;
  seats: SeatUsage;
}

export interface SettingsInput {
  /** null = unlimited */
  maxAllowedUsers: number | null;
  /** Domain names, or the text an admin typed */
  allowedEmailDomains: string | string[];
  /** Left out: unchanged */
  membersMayRequest?: boolean;
}

export async function getOrganizationSettings(actor: Actor, organizationId: string): Promise<OrganizationSettings> {
  assertCan(actor, organizationId, 'org:settings');
  const org = await db.organization.findUnique({ where: { id: organizationId } });
  if (!org) throw new AppError('not_found', 'This organization is not known to Teamgate.');
  return {
    id: org.id,
    name: org.name,
    logoSha256: org.logoSha256,
    maxAllowedUsers: org.maxAllowedUsers,
    allowedEmailDomains: org.allowedEmailDomains,
    membersMayRequest: org.membersMayRequest,
    syncedAt: org.syncedAt,
    seats: await countSeats(organizationId),
  };
}

function validateSeatLimit(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SEAT_LIMIT) {
    throw new AppError(
      'invalid_input',
      `The seat limit must be a whole number from 1 to ${MAX_SEAT_LIMIT.toLocaleString('en-US')}, or empty for no limit.`,
      { field: 'maxAllowedUsers' },
    );
  }
  return value;
}

/**
 * Change the seat limit and/or the allowed domains. The limit goes to Scalekit first (it is the
 * one that enforces it); only when Scalekit accepted it is the mirror updated and the change
 * audited. A limit below the seats already in use is refused: it would leave the organization
 * over its limit with no way to tell which seat is the extra one.
 */
export async function updateOrganizationSettings(
  actor: Actor,
  organizationId: string,
  input: SettingsInput,
): Promise<{ settings: OrganizationSettings; changed: boolean }> {
  assertCan(actor, organizationId, 'org:settings');
  const maxAllowedUsers = validateSeatLimit(input.maxAllowedUsers);
  const domains = parseDomainList(input.allowedEmailDomains);
  if (!domains.ok) throw new AppError('invalid_input', domains.message, { field: 'allowedEmailDomains' });

  const org = await db.organization.findUnique({ where: { id: organizationId } });
  if (!org) throw new AppError('not_found', 'This organization is not known to Teamgate.');

  const limitChanged = org.maxAllowedUsers !== maxAllowedUsers;
  const domainsChanged = JSON.stringify(org.allowedEmailDomains) !== JSON.stringify(domains.domains);
  const requests = input.membersMayRequest ?? org.membersMayRequest;
  const requestsChanged = requests !== org.membersMayRequest;
  if (!limitChanged && !domainsChanged && !requestsChanged)
    return { settings: await getOrganizationSettings(actor, organizationId), changed: false };

  if (limitChanged && maxAllowedUsers !== null) {
    const seats = await countSeats(organizationId);
    if (maxAllowedUsers < seats.used) {
      throw new AppError(
        'seat_limit_below_usage',
        `${seats.used} seats are in use (members and pending invitations). Set a limit of at least ${seats.used}, or remove people first.`,
        { field: 'maxAllowedUsers' },
      );
    }
  }

  if (limitChanged) {
    try {
      // The SDK sends no max_allowed_users for null, which Scalekit reads as "no limit".
      await getScalekit().organization.upsertUserManagementSettings(organizationId, { maxAllowedUsers });
    } catch (error) {
      log.warn({ err: errorForLog(error), organizationId }, 'scalekit upsertUserManagementSettings failed');
      const failure = describeScalekitError(error);
      throw new AppError(failure.code, failure.message, { field: 'maxAllowedUsers', retryable: failure.retryable });
    }
  }

  await db.$transaction(async (tx) => {
    await tx.organization.update({
      where: { id: organizationId },
      data: { maxAllowedUsers, allowedEmailDomains: domains.domains, membersMayRequest: requests },
    });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'org.settings_changed',
        target: { type: 'organization', id: organizationId, label: org.name },
        metadata: {
          ...(limitChanged ? { maxAllowedUsers: { from: org.maxAllowedUsers, to: maxAllowedUsers } } : {}),
          ...(domainsChanged ? { allowedEmailDomains: { from: org.allowedEmailDomains, to: domains.domains } } : {}),
          ...(requestsChanged ? { membersMayRequest: { from: org.membersMayRequest, to: requests } } : {}),
        },
      },
      tx,
    );
  });
  return { settings: await getOrganizationSettings(actor, organizationId), changed: true };
}
