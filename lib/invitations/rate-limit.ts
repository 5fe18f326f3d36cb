import type { Actor } from '@/lib/auth/actor';
import { rateLimits, reserveRateLimits, type RateLimitCheck, type Reservation } from '@/lib/rate-limit/limiter';
import { AppError } from '@/lib/errors/app-error';

/**
 * Invitation budgets: per sender (a person or an API key) and per organization, counted in
 * PostgreSQL so every app instance shares them. Kept in the service layer so the form, the API
 * and bulk CSV draw on the same budget. A stolen admin session or API key cannot turn Scalekit
 * into a spam cannon, and one busy org cannot exhaust the app's Scalekit quota for the others.
 */

function senderKey(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.userId}`;
    case 'api_key':
      return `key:${actor.apiKeyId}`;
    case 'system':
      return `system:${actor.label}`;
  }
}

/**
 * Up to `wanted` invitations' worth of budget; `granted` may be lower (0 when exhausted). `extra`:
 * the organization's daily-limit invitation rules (lib/invitation-rules/apply.ts), reserved in the
 * same transaction so a refusal by one budget uses up none of the others.
 */
export function reserveInvites(actor: Actor, organizationId: string, wanted: number, extra: RateLimitCheck[] = []): Promise<Reservation> {
  const limits = rateLimits();
  return reserveRateLimits(
    [{ rule: limits.invitesPerAdmin, subject: senderKey(actor) }, { rule: limits.invitesPerOrg, subject: organizationId }, ...extra],
    wanted,
  );
}

function inHowLong(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** The refusal a person reads (form, bulk page) and an API client gets as 429 + Retry-After. */
export function inviteRateLimitError(reservation: Reservation, orgName: string): AppError {
  const limits = rateLimits();
  const wait = inHowLong(reservation.retryAfterSeconds);
  const message =
    reservation.limitedBy?.name === limits.invitesPerOrg.name
      ? `${orgName} has sent its ${limits.invitesPerOrg.limit} invitations for this hour. Nothing more was sent; try again in ${wait}.`
      : `You have sent ${limits.invitesPerAdmin.limit} invitations this hour, the most allowed. Nothing more was sent; try again in ${wait}.`;
  return new AppError('rate_limited', message, { retryAfter: reservation.retryAfterSeconds });
}
