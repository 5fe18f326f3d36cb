import { ScalekitBadRequestException, ScalekitConflictException, ScalekitNotFoundException } from '@scalekit-sdk/node';
import { type Organization } from '@/lib/generated/prisma/client';
import { ScalekitCallError, scalekitErrorCode } from '@/lib/scalekit/errors';
import { AppError } from '@/lib/errors/app-error';
import { type InviteInput } from './schemas';
import { seatLimitError } from './seats';

export function errorCodeOf(error: unknown): string | null {
  return scalekitErrorCode(error);
}

/** Failures after which Scalekit has not changed anything (it refused before acting). */
export function certainlyUnchanged(code: ScalekitCallError['code']): boolean {
  return code !== 'scalekit_timeout' && code !== 'scalekit_error';
}

/** Scalekit refusals that are really about the input or the org's limits. */
export function refusal(error: unknown, org: Organization, input: InviteInput): AppError | null {
  const code = errorCodeOf(error);
  if (error instanceof ScalekitBadRequestException && code === 'SEAT_LIMIT_REACHED') return seatLimitError(org, org.maxAllowedUsers);
  if (error instanceof ScalekitBadRequestException && code === 'INVALID_EMAIL') {
    return new AppError('invalid_email', `Scalekit rejected ${input.email} as an email address.`, { field: 'email' });
  }
  if (error instanceof ScalekitBadRequestException && code === 'INVALID_ROLE') {
    return new AppError('invalid_role', `Scalekit does not know the role "${input.role}".`, { field: 'role' });
  }
  if (error instanceof ScalekitConflictException && code === 'EXTERNAL_ID_ALREADY_EXISTS') {
    return new AppError('external_id_taken', `Another user already has externalId "${input.externalId}".`, { field: 'externalId' });
  }
  if (error instanceof ScalekitNotFoundException && code === 'ORGANIZATION_NOT_FOUND') {
    return new AppError('organization_not_found', 'Scalekit does not know this organization.');
  }
  return null;
}
