import {
  ScalekitBadRequestException,
  ScalekitConflictException,
  ScalekitForbiddenException,
  ScalekitGatewayTimeoutException,
  ScalekitNotFoundException,
  ScalekitServerException,
  ScalekitServiceUnavailableException,
  ScalekitTooManyRequestsException,
  ScalekitUnauthorizedException,
} from '@scalekit-sdk/node';
import { AppError } from '@/lib/errors/app-error';
import { errorForLog, log } from '@/lib/log';

/** What the app tells a person (and an API client) when a Scalekit call fails. */
export interface ScalekitFailure {
  /** HTTP status for our own API responses */
  status: number;
  /** Stable machine-readable code for our API */
  code:
    | 'scalekit_bad_request'
    | 'scalekit_conflict'
    | 'scalekit_not_found'
    | 'scalekit_forbidden'
    | 'scalekit_rate_limited'
    | 'scalekit_unavailable'
    | 'scalekit_timeout'
    | 'scalekit_misconfigured'
    | 'scalekit_error';
  /** Scalekit's ErrorInfo code when it sent one (e.g. SEAT_LIMIT_REACHED) */
  errorCode: string | null;
  /** A sentence a person can act on; never contains tokens or secrets */
  message: string;
  /** Whether trying again later may succeed (nothing was changed) */
  retryable: boolean;
}

/**
 * A Scalekit call failed (unavailable, rate-limited, timed out, …): an AppError whose code and
 * message come from describeScalekitError, so it never carries a token. It keeps what callers
 * need to decide whether to stop or retry (retryable) and Scalekit's own code.
 */
export class ScalekitCallError extends AppError {
  override name = 'ScalekitCallError';
  override readonly code: ScalekitFailure['code'];
  readonly errorCode: string | null;
  constructor(readonly failure: ScalekitFailure) {
    super(failure.code, failure.message, { retryable: failure.retryable });
    this.code = failure.code;
    this.errorCode = failure.errorCode;
  }

  static from(error: unknown): ScalekitCallError {
    return error instanceof ScalekitCallError ? error : new ScalekitCallError(describeScalekitError(error));
  }
}

/**
 * Every Scalekit failure the app handles passes through here, so this is where it is logged:
 * outages, timeouts, throttling and bad credentials at warn (someone should look), refusals
 * about the input at debug. The line carries the request id (lib/log.ts), never the error text
 * unscrubbed.
 */
export function describeScalekitError(error: unknown): ScalekitFailure {
  const failure = classify(error);
  if (error != null) {
    const level = failure.retryable || failure.code === 'scalekit_misconfigured' ? 'warn' : 'debug';
    log[level]({ scalekit: { code: failure.code, errorCode: failure.errorCode }, err: errorForLog(error) }, 'Scalekit call failed');
  }
  return failure;
}

type FailureCase = Omit<ScalekitFailure, 'errorCode' | 'message'> & {
  matches(error: unknown): boolean;
  message: string | ((errorCode: string | null) => string);
};

const isA =
  (type: abstract new (...args: never[]) => unknown) =>
  (error: unknown): boolean =>
    error instanceof type;

/** How each Scalekit failure is told, in order: the first case that matches wins. */
const FAILURE_CASES: FailureCase[] = [
  {
    matches: isA(ScalekitTooManyRequestsException),
    status: 429,
    code: 'scalekit_rate_limited',
    retryable: true,
    message: 'Scalekit is rate-limiting requests right now. Nothing was changed; try again in a minute.',
  },
  {
    matches: isA(ScalekitServiceUnavailableException),
    status: 503,
    code: 'scalekit_unavailable',
    retryable: true,
    message: 'Scalekit is unavailable right now. Nothing was changed; try again in a moment.',
  },
  {
    matches: (error) => error instanceof ScalekitGatewayTimeoutException || isTimeout(error),
    status: 504,
    code: 'scalekit_timeout',
    retryable: true,
    message: 'Scalekit did not answer in time. Try again; a retry will not create duplicates.',
  },
  {
    matches: isA(ScalekitConflictException),
    status: 409,
    code: 'scalekit_conflict',
    retryable: false,
    message: 'That already exists in Scalekit.',
  },
  {
    matches: isA(ScalekitNotFoundException),
    status: 404,
    code: 'scalekit_not_found',
    retryable: false,
    message: 'Scalekit does not know that user or organization (it may have been removed).',
  },
  {
    matches: isA(ScalekitBadRequestException),
    status: 400,
    code: 'scalekit_bad_request',
    retryable: false,
    message: badRequestMessage,
  },
  {
    matches: isA(ScalekitForbiddenException),
    status: 403,
    code: 'scalekit_forbidden',
    retryable: false,
    message: 'Scalekit refused this action for this application.',
  },
  {
    matches: (error) => error instanceof ScalekitUnauthorizedException || isAxios401(error),
    status: 502,
    code: 'scalekit_misconfigured',
    retryable: false,
    message: 'Teamgate could not authenticate to Scalekit: check SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET.',
  },
  {
    matches: isConnectionRefused,
    status: 503,
    code: 'scalekit_unavailable',
    retryable: true,
    message: 'Scalekit cannot be reached right now. Nothing was changed; try again in a moment.',
  },
];

/** Anything else Scalekit (or the way to it) answered. */
const UNEXPECTED_FAILURE: FailureCase = {
  matches: () => true,
  status: 502,
  code: 'scalekit_error',
  retryable: true,
  message: 'Scalekit answered with an unexpected error. Try again; if it persists, contact support.',
};

function classify(error: unknown): ScalekitFailure {
  const errorCode = error instanceof ScalekitServerException ? safeErrorCode(error) : null;
  const { status, code, retryable, message } = FAILURE_CASES.find((c) => c.matches(error)) ?? UNEXPECTED_FAILURE;
  return { status, code, errorCode, retryable, message: typeof message === 'string' ? message : message(errorCode) };
}

function badRequestMessage(errorCode: string | null): string {
  switch (errorCode) {
    case 'SEAT_LIMIT_REACHED':
      return 'This organization has used all its seats. Raise the seat limit or remove someone first.';
    case 'INVALID_EMAIL':
      return 'Scalekit rejected that email address.';
    case 'INVALID_ROLE':
      return 'Scalekit does not know that role.';
    default:
      return 'Scalekit rejected the request as invalid.';
  }
}

/** Scalekit's ErrorInfo code (e.g. SEAT_LIMIT_REACHED) without describing or logging the failure. */
export function scalekitErrorCode(error: unknown): string | null {
  return error instanceof ScalekitServerException ? safeErrorCode(error) : null;
}

function safeErrorCode(error: ScalekitServerException): string | null {
  try {
    return error.errorCode ?? null;
  } catch {
    return null;
  }
}

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /deadline|timed? ?out/i.test(String((error as Error)?.message ?? ''));
}

function isAxios401(error: unknown): boolean {
  return (error as { response?: { status?: number } })?.response?.status === 401;
}

function isConnectionRefused(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as Error)?.message ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|socket hang up/i.test(text);
}
