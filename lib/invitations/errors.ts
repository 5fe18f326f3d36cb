import { describeScalekitError, type ScalekitFailure } from '@/lib/scalekit/errors';

/** Machine-readable reasons an invitation request is refused before or by Scalekit. */
export type InvitationErrorCode =
  | 'validation_failed'
  | 'invalid_email'
  | 'invalid_role'
  | 'domain_not_allowed'
  | 'seat_limit_reached'
  | 'external_id_taken'
  | 'organization_not_found'
  | 'invitation_not_found'
  | 'not_pending'
  | 'not_an_invitation'
  | 'in_progress'
  | 'csv_invalid'
  | 'csv_too_large'
  | 'csv_too_many_rows'
  | 'job_not_found'
  | 'job_busy'
  | 'rate_limited'
  | 'resend_too_soon';

/**
 * A refusal the caller can act on (bad input, a domain outside the org's list,
 * no seat left, …). `status` is what the API answers; `field` names the form
 * field to highlight. Nothing has been changed when this is thrown.
 */
export class InvitationError extends Error {
  override readonly name = 'InvitationError';
  constructor(
    readonly code: InvitationErrorCode,
    message: string,
    readonly status: number,
    readonly field?: string,
    readonly fields?: Record<string, string>,
    /** For 'rate_limited' and 'resend_too_soon': when a retry can succeed (the Retry-After value) */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * A Scalekit call failed (unavailable, rate-limited, timed out, …). The
 * message comes from describeScalekitError, so it never carries a token.
 */
export class ScalekitCallError extends Error {
  override readonly name = 'ScalekitCallError';
  readonly status: number;
  readonly code: ScalekitFailure['code'];
  readonly retryable: boolean;
  readonly errorCode: string | null;
  constructor(readonly failure: ScalekitFailure) {
    super(failure.message);
    this.status = failure.status;
    this.code = failure.code;
    this.retryable = failure.retryable;
    this.errorCode = failure.errorCode;
  }

  static from(error: unknown): ScalekitCallError {
    return error instanceof ScalekitCallError ? error : new ScalekitCallError(describeScalekitError(error));
  }
}
