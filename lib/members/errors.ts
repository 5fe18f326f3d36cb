import { describeScalekitError } from '@/lib/scalekit/errors';

/**
 * A member operation that cannot be done, with what an API answers and what a person reads.
 * Thrown before anything changes (or after a rollback), so "nothing changed" holds.
 */
export class MemberError extends Error {
  constructor(
    readonly code:
      | 'invalid_input'
      | 'invalid_cursor'
      | 'not_found'
      | 'last_admin'
      | 'not_a_member'
      | 'not_synced'
      | 'unknown_role'
      | string,
    message: string,
    readonly status: number,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'MemberError';
  }
}

/** A Scalekit failure as a MemberError (status, code and message from describeScalekitError). */
export function memberErrorFromScalekit(error: unknown): MemberError {
  const failure = describeScalekitError(error);
  return new MemberError(failure.code, failure.message, failure.status, failure.retryable);
}
