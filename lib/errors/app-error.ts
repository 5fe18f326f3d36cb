import { ERROR_CODES, type ErrorCode } from './codes';

export interface AppErrorOptions {
  /** The one form field to highlight (its message is this error's). */
  field?: string;
  /** Every field's message, when several are wrong at once (takes precedence over `field`). */
  fields?: Record<string, string>;
  /** Seconds until a retry can succeed: sent as Retry-After. */
  retryAfter?: number;
  /** Whether trying again later may succeed (nothing was changed). */
  retryable?: boolean;
  cause?: unknown;
  /** Machine-readable facts about the refusal for API clients (e.g. the invitation rule's id), sent as error.details. */
  details?: Record<string, string | number | boolean>;
  /**
   * Only for a code that historically answers differently in one place (the org switcher's
   * not_a_member is a 403, a member operation's a 409); everything else takes the registry's.
   */
  status?: number;
}

/**
 * The app's one error a caller can act on: a registered code (lib/errors/codes.ts) that fixes the
 * HTTP status, a sentence a person can read, and optionally the form fields it concerns and when
 * to retry. Thrown before anything changes (or after a rollback), so "nothing changed" holds.
 * Route handlers answer it with problemJson(), server actions with toActionResult()
 * (lib/errors/respond.ts); anything that is not an AppError is logged and answered with a
 * generic 500.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  readonly fields?: Record<string, string>;
  readonly retryAfter?: number;
  readonly retryable: boolean;
  readonly details?: Record<string, string | number | boolean>;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    const text = message ?? ERROR_CODES[code].message;
    super(text, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code].status;
    const fields = options.fields ?? (options.field ? { [options.field]: text } : undefined);
    if (fields) this.fields = fields;
    if (options.field) this.field = options.field;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    this.retryable = options.retryable ?? false;
    if (options.details) this.details = options.details;
  }
}

/** No usable session or credential. */
export class UnauthenticatedError extends AppError {
  override name = 'UnauthenticatedError';
  constructor(message?: string) {
    super('unauthenticated', message);
  }
}

/** A request the actor may not make. */
export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  constructor(message?: string) {
    super('forbidden', message);
  }
}
