import { errorForLog, log } from '@/lib/log';
import { AppError } from './app-error';
import type { ErrorCode } from './codes';

/**
 * The one way an error leaves the app: as JSON from a route handler (problemJson) or as an
 * ActionResult from a server action (toActionResult). Both keep the body shape API clients rely
 * on, `{ error: { code, message, fields? } }`; an error that is not an AppError is a bug or an
 * outage, so it is logged (scrubbed) and answered with a sentence that reveals nothing.
 */

export type ActionResult<T = Record<never, never>> =
  ({ ok: true; message: string } & T) | { ok: false; error: string; code?: string; fieldErrors?: Record<string, string> };

const GENERIC_ACTION_MESSAGE = 'Something went wrong on our side. Reload the page to see the current state, then try again.';

/** Unknown errors become internal_error, after being logged with `context`. */
export function asAppError(error: unknown, context: Record<string, unknown> = {}, what = 'request failed'): AppError {
  if (error instanceof AppError) return error;
  log.error({ err: errorForLog(error), ...context }, what);
  return new AppError('internal_error');
}

/** The 401s a caller answers by sending credentials (a webhook's bad signature is not one). */
const BEARER_CHALLENGE = new Set<ErrorCode>(['unauthenticated', 'invalid_api_key', 'invalid_health_token']);

/** Our own limits know their window; for Scalekit's 429/503 a short pause is the honest guess. */
function retryAfterOf(error: AppError): number | undefined {
  if (error.retryAfter) return error.retryAfter;
  if (error.status === 429) return 30;
  if (error.status === 503) return 5;
  return undefined;
}

export interface ProblemOptions {
  /** Extra headers, e.g. the RateLimit-* of a refused budget. */
  headers?: Record<string, string>;
  /** Log context for an unknown error. */
  context?: Record<string, unknown>;
  /** The 500 sentence for an unknown error, when the endpoint has a better one. */
  internalMessage?: string;
}

/** The JSON body of an error, for responses and for a batch's per-item results. */
export function errorBody(error: AppError): {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
  details?: Record<string, string | number | boolean>;
} {
  return {
    code: error.code,
    message: error.message,
    ...(error.fields ? { fields: error.fields } : {}),
    ...(error.details ? { details: error.details } : {}),
  };
}

/** A route handler's error response: never cached, Retry-After when a retry has a time, a Bearer challenge on 401. */
export function problemJson(error: unknown, options: ProblemOptions = {}): Response {
  let e = asAppError(error, options.context);
  if (e.code === 'internal_error' && !(error instanceof AppError) && options.internalMessage)
    e = new AppError('internal_error', options.internalMessage);
  const retryAfter = retryAfterOf(e);
  const headers: Record<string, string> = {
    ...(retryAfter ? { 'Retry-After': String(retryAfter) } : {}),
    ...(BEARER_CHALLENGE.has(e.code) ? { 'WWW-Authenticate': 'Bearer' } : {}),
    ...options.headers,
    'Cache-Control': 'no-store',
  };
  return Response.json({ error: errorBody(e) }, { status: e.status, headers });
}

/** A server action's error result: the message, and every field's message for the form. */
export function toActionResult(
  error: unknown,
  context: Record<string, unknown> = {},
): { ok: false; error: string; code?: string; fieldErrors?: Record<string, string> } {
  const e = asAppError(error, context, 'server action failed');
  if (e.code === 'internal_error' && !(error instanceof AppError)) return { ok: false, error: GENERIC_ACTION_MESSAGE, code: e.code };
  // A 5xx still has a sentence worth showing (Scalekit down, …), but no field is to blame.
  return { ok: false, error: e.message, code: e.code, ...(e.fields && e.status < 500 ? { fieldErrors: e.fields } : {}) };
}
