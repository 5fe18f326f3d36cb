/**
 * Every error code the app answers with, and the HTTP status it always comes with. The code is
 * the contract API clients (docs/api.md) and the UI key on, so a code keeps its status (the one
 * exception, the org switcher's 403 not_a_member, is passed explicitly where it is thrown); the
 * message is the default sentence, and a throw site may give a more precise one.
 */
export const ERROR_CODES = {
  // Request shape
  validation_failed: { status: 400, message: 'The request is not valid.' },
  invalid_request: { status: 400, message: 'The request is not valid.' },
  invalid_input: { status: 400, message: 'The request is not valid.' },
  invalid_cursor: { status: 400, message: 'That page link is not valid any more. Start again from the first page.' },
  invalid_json: { status: 400, message: 'The body is not valid JSON.' },
  unsupported_media_type: { status: 415, message: 'Send the body as JSON with "Content-Type: application/json".' },
  invalid_body: { status: 400, message: 'The request body could not be read.' },
  body_too_large: { status: 413, message: 'The request body is too large.' },

  // Who is asking
  unauthenticated: { status: 401, message: 'Sign in to continue: your session is missing, has ended or has expired.' },
  invalid_api_key: { status: 401, message: 'The API key is not valid or has been revoked.' },
  invalid_health_token: { status: 401, message: 'That health-check token is not valid.' },
  forbidden: { status: 403, message: 'You do not have permission to do that in this organization.' },
  csrf_failed: {
    status: 403,
    message: 'This request did not come from a Teamgate page of your current session. Reload the page and try again.',
  },
  rate_limited: { status: 429, message: 'Too many requests. Wait a moment and try again.' },

  // Things that are not there
  not_found: { status: 404, message: 'That was not found in this organization.' },
  organization_not_found: { status: 404, message: 'That organization does not exist.' },
  invitation_not_found: { status: 404, message: 'That invitation does not exist in this organization.' },
  api_key_not_found: { status: 404, message: 'That API key does not exist in this organization.' },
  job_not_found: { status: 404, message: 'That bulk invitation does not exist in this organization.' },

  // Invitations
  invalid_email: { status: 400, message: 'Enter a valid email address.' },
  invalid_role: { status: 400, message: 'A role name is 1 to 64 letters, digits or underscores, such as member.' },
  unknown_role: { status: 400, message: 'That role does not exist in this organization. Choose one of its roles.' },
  domain_not_allowed: { status: 422, message: 'That email domain is not allowed in this organization.' },
  seat_limit_reached: { status: 409, message: 'This organization has used all its seats.' },
  external_id_taken: { status: 409, message: 'Another user already has that externalId.' },
  not_pending: { status: 409, message: 'There is no pending invitation to resend.' },
  not_an_invitation: { status: 409, message: 'This is a member, not an invitation: remove the member instead.' },
  in_progress: { status: 409, message: 'This invitation is being sent right now. Try again in a moment.' },
  resend_too_soon: { status: 429, message: 'This invitation was sent a moment ago. Wait before sending it again.' },
  csv_invalid: { status: 400, message: 'The CSV file could not be read.' },
  csv_too_large: { status: 413, message: 'The CSV file is too large.' },
  csv_too_many_rows: { status: 400, message: 'The CSV file has too many rows.' },
  job_busy: { status: 409, message: 'This file is being sent right now. Wait for it to finish.' },

  // Members and settings
  last_admin: { status: 409, message: 'An organization needs at least one admin: a member whose role can manage members.' },
  not_a_member: { status: 409, message: 'This is an invitation, not a member: revoke it instead.' },
  session_ended: { status: 409, message: 'Your session has ended. Sign in again.' },
  not_synced: { status: 409, message: 'This member is still being synchronised. Try again in a moment.' },
  seat_limit_below_usage: { status: 400, message: 'The seat limit is below the seats in use.' },
  too_many_keys: { status: 409, message: 'This organization has as many active API keys as it may have.' },

  // Scalekit, as lib/scalekit/errors.ts classifies its failures
  scalekit_bad_request: { status: 400, message: 'Scalekit rejected the request as invalid.' },
  scalekit_conflict: { status: 409, message: 'That already exists in Scalekit.' },
  scalekit_not_found: { status: 404, message: 'Scalekit does not know that user or organization.' },
  scalekit_forbidden: { status: 403, message: 'Scalekit refused this action for this application.' },
  scalekit_rate_limited: {
    status: 429,
    message: 'Scalekit is rate-limiting requests right now. Nothing was changed; try again in a minute.',
  },
  scalekit_unavailable: { status: 503, message: 'Scalekit is unavailable right now. Nothing was changed; try again in a moment.' },
  scalekit_timeout: { status: 504, message: 'Scalekit did not answer in time. Try again; a retry will not create duplicates.' },
  scalekit_misconfigured: { status: 502, message: 'Teamgate could not authenticate to Scalekit.' },
  scalekit_error: { status: 502, message: 'Scalekit answered with an unexpected error. Try again; if it persists, contact support.' },

  // Webhooks
  invalid_signature: { status: 401, message: 'The webhook signature is not valid.' },
  invalid_payload: { status: 400, message: 'The webhook body could not be read.' },
  processing_failed: { status: 500, message: 'The event could not be applied; it will be retried.' },

  internal_error: { status: 500, message: 'Something went wrong on our side. Nothing was changed; try again.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
