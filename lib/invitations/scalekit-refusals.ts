import { Code } from '@connectrpc/connect';
import {
  ScalekitBadRequestException,
  ScalekitConflictException,
  ScalekitNotFoundException,
  ScalekitServerException,
} from '@scalekit-sdk/node';
import { type Organization } from '@/lib/generated/prisma/client';
import { ScalekitCallError, scalekitErrorCode } from '@/lib/scalekit/errors';
import { AppError } from '@/lib/errors/app-error';
import { type InviteInput } from './schemas';
import { seatLimitError } from './seats';

/**
 * Reading Scalekit's refusals of an invitation. Scalekit documents its gRPC statuses (the SDK maps
 * them to its exception classes: InvalidArgument, FailedPrecondition and OutOfRange to
 * ScalekitBadRequestException, AlreadyExists and Aborted to ScalekitConflictException, NotFound to
 * ScalekitNotFoundException; lib/errors/base-exception.js) but none of the ErrorInfo strings the
 * emulator sends (SEAT_LIMIT_REACHED, INVALID_EMAIL, ...): they appear nowhere in Scalekit's
 * documents. So the decision is made from the status and what we know of the request, and the
 * string is only a hint that can sharpen it, never a condition for it.
 */

export function errorCodeOf(error: unknown): string | null {
  return scalekitErrorCode(error);
}

/** Failures after which Scalekit has not changed anything (it refused before acting). */
export function certainlyUnchanged(code: ScalekitCallError['code']): boolean {
  return code !== 'scalekit_timeout' && code !== 'scalekit_error';
}

/** The gRPC status behind an SDK exception (FailedPrecondition vs InvalidArgument, both HTTP 400). */
export function grpcStatusOf(error: unknown): Code | null {
  if (!(error instanceof ScalekitServerException)) return null;
  try {
    return error.grpcStatus;
  } catch {
    return null;
  }
}

/** Scalekit's code and message together, for hints only (lower-cased). */
function hintText(error: unknown): string {
  return `${errorCodeOf(error) ?? ''} ${error instanceof Error ? error.message : ''}`.toLowerCase();
}

const SEAT_HINT = /seat|user.?limit|max.?allowed|limit.?reached/;

/** Scalekit refusals that are really about the input or the org's limits; null when it is none of those. */
export function refusal(error: unknown, org: Organization, input: InviteInput): AppError | null {
  // The one resource an invitation names by id: Scalekit no longer has the organization.
  if (error instanceof ScalekitNotFoundException)
    return new AppError('organization_not_found', 'Scalekit does not know this organization.');
  const hint = hintText(error);
  if (error instanceof ScalekitConflictException) {
    // Called once the email is known not to be in the organization (invite.ts): the only other
    // unique field the request carries is the externalId.
    if (input.externalId) {
      return new AppError('external_id_taken', `Another user already has externalId "${input.externalId}".`, { field: 'externalId' });
    }
    return null;
  }
  if (!(error instanceof ScalekitBadRequestException)) return null;
  // A precondition, not the input: with a seat limit set, the documented reason to refuse a new
  // user ("new users provisioning to this organization are blocked until limits are increased",
  // developer-docs authenticate/fsa/user-management-settings.mdx).
  if (SEAT_HINT.test(hint) || (grpcStatusOf(error) === Code.FailedPrecondition && org.maxAllowedUsers)) {
    return seatLimitError(org, org.maxAllowedUsers);
  }
  if (/email/.test(hint)) return new AppError('invalid_email', `Scalekit rejected ${input.email} as an email address.`, { field: 'email' });
  if (/role/.test(hint)) return new AppError('invalid_role', `Scalekit does not know the role "${input.role}".`, { field: 'role' });
  return null;
}
