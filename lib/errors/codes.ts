/** One row of the table: the HTTP status a code always comes with, and its default message. */
function http(status: number, message: string): { status: number; message: string } {
  return { status, message };
}

/**
 * Every error code the app answers with, and the HTTP status it always comes with. The code is
 * the contract API clients (docs/api.md) and the UI key on, so a code keeps its status (the one
 * exception, the org switcher's 403 not_a_member, is passed explicitly where it is thrown); the
 * message is the default sentence, and a throw site may give a more precise one.
 */
export const ERROR_CODES = {
  // Request shape
  validation_failed: http(400, 'The request is not valid.'),
  invalid_request: http(400, 'The request is not valid.'),
  invalid_input: http(400, 'The request is not valid.'),
  invalid_cursor: http(400, 'That page link is not valid any more. Start again from the first page.'),
  invalid_json: http(400, 'The body is not valid JSON.'),
  unsupported_media_type: http(415, 'Send the body as JSON with "Content-Type: application/json".'),
  invalid_body: http(400, 'The request body could not be read.'),
  body_too_large: http(413, 'The request body is too large.'),

  // Who is asking
  unauthenticated: http(401, 'Sign in to continue: your session is missing, has ended or has expired.'),
  invalid_api_key: http(401, 'The API key is not valid or has been revoked.'),
  invalid_health_token: http(401, 'That health-check token is not valid.'),
  forbidden: http(403, 'You do not have permission to do that in this organization.'),
  csrf_failed: http(403, 'This request did not come from a Teamgate page of your current session. Reload the page and try again.'),
  rate_limited: http(429, 'Too many requests. Wait a moment and try again.'),

  // Things that are not there
  not_found: http(404, 'That was not found in this organization.'),
  organization_not_found: http(404, 'That organization does not exist.'),
  invitation_not_found: http(404, 'That invitation does not exist in this organization.'),
  api_key_not_found: http(404, 'That API key does not exist in this organization.'),
  job_not_found: http(404, 'That bulk invitation does not exist in this organization.'),
  webhook_endpoint_not_found: http(404, 'That webhook endpoint does not exist in this organization.'),
  webhook_delivery_not_found: http(404, 'That webhook delivery does not exist for this endpoint.'),
  webhook_url_not_allowed: http(422, 'That webhook URL is not allowed: use an https:// URL of a public server.'),

  // Invitations
  invalid_email: http(400, 'Enter a valid email address.'),
  invalid_role: http(400, 'A role name is 1 to 64 letters, digits or underscores, such as member.'),
  unknown_role: http(400, 'That role does not exist in this organization. Choose one of its roles.'),
  domain_not_allowed: http(422, 'That email domain is not allowed in this organization.'),
  seat_limit_reached: http(409, 'This organization has used all its seats.'),
  external_id_taken: http(409, 'Another user already has that externalId.'),
  not_pending: http(409, 'There is no pending invitation to resend.'),
  not_an_invitation: http(409, 'This is a member, not an invitation: remove the member instead.'),
  in_progress: http(409, 'This invitation is being sent right now. Try again in a moment.'),
  idempotency_key_reused: http(422, 'This Idempotency-Key was already used with a different request. Use a new key for a new request.'),
  resend_too_soon: http(429, 'This invitation was sent a moment ago. Wait before sending it again.'),
  csv_invalid: http(400, 'The CSV file could not be read.'),
  csv_too_large: http(413, 'The CSV file is too large.'),
  csv_too_many_rows: http(400, 'The CSV file has too many rows.'),
  rule_refused: http(422, 'An invitation rule of this organization does not allow this invitation.'),
  rule_limit_reached: http(429, 'An invitation rule of this organization allows no more invitations today.'),
  job_busy: http(409, 'This file is being sent right now. Wait for it to finish.'),
  bulk_action_not_found: http(404, 'That bulk action does not exist in this organization.'),
  bulk_action_started: http(409, 'This bulk action has already started.'),
  bulk_action_discarded: http(409, 'This bulk action was discarded. Select the people again.'),

  // Invitation requests (lib/invitation-requests/service.ts)
  requests_disabled: http(403, 'This organization does not take invitation requests. Ask an admin to invite the person.'),
  request_not_found: http(404, 'That invitation request does not exist in this organization.'),
  request_decided: http(409, 'That invitation request has already been decided.'),
  already_member: http(409, 'That person is already a member of this organization.'),
  already_invited: http(409, 'That person already has a pending invitation.'),

  // Members and settings
  last_admin: http(409, 'An organization needs at least one admin: a member whose role can manage members.'),
  not_a_member: http(409, 'This is an invitation, not a member: revoke it instead.'),
  session_ended: http(409, 'Your session has ended. Sign in again.'),
  domain_not_verified: http(409, 'That domain is not verified at Scalekit yet.'),
  not_synced: http(409, 'This member is still being synchronised. Try again in a moment.'),
  seat_limit_below_usage: http(400, 'The seat limit is below the seats in use.'),
  too_many_keys: http(409, 'This organization has as many active API keys as it may have.'),
  logo_too_large: http(413, 'The logo is too large.'),
  logo_unsupported_type: http(415, 'The logo must be a PNG, JPEG or WebP image.'),
  confirmation_mismatch: http(400, 'The confirmation you typed does not match.'),

  // Access reviews (lib/access-reviews/service.ts)
  review_not_found: http(404, 'That access review does not exist in this organization.'),
  review_in_progress: http(409, 'An access review of this organization is already in progress. Finish it before starting another.'),
  review_finished: http(409, 'This access review is finished: its decisions can no longer change.'),
  review_incomplete: http(409, 'Every member needs a decision before the review can be finished.'),
  review_busy: http(409, 'This access review is being finished right now. Wait a moment and reload.'),
  decision_applied: http(409, 'That decision has already been applied and can no longer change.'),

  // Invite from directory (lib/directory-invite/service.ts)
  directory_not_connected: http(409, 'This organization has no connected directory. Connect one in Settings → Single sign-on & directory.'),
  directory_selection_invalid: http(
    400,
    'Some of the people or groups you picked are not in the directory. Reload the list and pick again.',
  ),
  directory_selection_empty: http(400, 'Pick at least one person or group from the directory.'),
  directory_selection_too_large: http(400, 'That selection has more people than one bulk invitation may hold.'),

  // Scalekit, as lib/scalekit/errors.ts classifies its failures
  scalekit_bad_request: http(400, 'Scalekit rejected the request as invalid.'),
  scalekit_conflict: http(409, 'That already exists in Scalekit.'),
  scalekit_not_found: http(404, 'Scalekit does not know that user or organization.'),
  scalekit_forbidden: http(403, 'Scalekit refused this action for this application.'),
  scalekit_rate_limited: http(429, 'Scalekit is rate-limiting requests right now. Nothing was changed; try again in a minute.'),
  scalekit_unavailable: http(503, 'Scalekit is unavailable right now. Nothing was changed; try again in a moment.'),
  scalekit_timeout: http(504, 'Scalekit did not answer in time. Try again; a retry will not create duplicates.'),
  scalekit_misconfigured: http(502, 'Teamgate could not authenticate to Scalekit.'),
  scalekit_error: http(502, 'Scalekit answered with an unexpected error. Try again; if it persists, contact support.'),

  // Webhooks
  invalid_signature: http(401, 'The webhook signature is not valid.'),
  invalid_payload: http(400, 'The webhook body could not be read.'),
  processing_failed: http(500, 'The event could not be applied; it will be retried.'),

  internal_error: http(500, 'Something went wrong on our side. Nothing was changed; try again.'),
};

export type ErrorCode = keyof typeof ERROR_CODES;

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
