/**
 * lib/invitations' public API: everything outside this folder (routes, server actions, other
 * services, tests) imports from here, not from the files behind it.
 *
 *   invite.ts             the invite saga: claim a row → Scalekit → mirror, idempotent per address
 *   seats.ts              seats counted and claimed under the organization's lock
 *   scalekit-refusals.ts  which Scalekit failures are refusals about the input, and which changed nothing
 *   mirror.ts             writing Scalekit's answer into PostgreSQL (one transaction per batch)
 *   resend-revoke.ts      resend (with its cooldown) and revoke
 *   listing.ts            pending, expired and failed invitations, keyset-paginated
 *   status.ts             an invitation's status as of now
 *
 * The "batch steps" are for the bulk CSV runner (bulk.ts), which claims many rows in one
 * statement and writes them back in batches instead of inviting row by row.
 */

export {
  inviteMember,
  validateInvite,
  type HeldResult,
  type InviteOptions,
  type InviteOutcome,
  type InviteResult,
  type SentOutcome,
  type SentResult,
} from './invite';
export { RESEND_COOLDOWN_SECONDS, resendInvitation, revokeInvitation } from './resend-revoke';
export { listInvitations, type InvitationPage, type ListInvitationsOptions } from './listing';
export { effectiveStatus } from '@/lib/members/status';

// Batch steps (bulk.ts)
export { claimAndSend, claimMany, loadOrganization, sendToScalekit, type ClaimRef, type ManyClaims, type SentInvite } from './invite';
export { finishInvites, writeSentInvites } from './mirror';
