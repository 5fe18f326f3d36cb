import { listInvitationsQuery } from '@/lib/invitations/listing';
import { inviteInputSchema } from '@/lib/invitations/schemas';
import {
  invitationListSchema,
  invitationResponseSchema,
  inviteBatchRequestSchema,
  inviteOrBatchResultSchema,
  heldResultSchema,
  inviteResultSchema,
} from '../schemas';
import { defineOperation, type PathParameter } from '../registry';

/** The invitations API (app/api/invitations/**), docs/api.md#invitations. */

const AUTH_ERRORS = ['invalid_api_key', 'unauthenticated', 'forbidden'] as const;
const SCALEKIT_ERRORS = [
  'scalekit_rate_limited',
  'scalekit_error',
  'scalekit_misconfigured',
  'scalekit_unavailable',
  'scalekit_timeout',
] as const;
const REPLAYED = {
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
};
const ID: Record<string, PathParameter> = {
  id: { description: 'The invitation’s `id` (from a list or an invite answer).', schema: { type: 'string', maxLength: 64 } },
};

export const invitationOperations = [
  defineOperation({
    method: 'post',
    path: '/api/invitations',
    operationId: 'createInvitations',
    summary: 'Invite one person, or up to 100',
    description:
      'One invitation answers 201 (invited), 200 (already_invited: the live invitation is returned and nothing is sent; already_member) or 202 (held: an invitation rule holds it for an admin’s approval, docs/invitation-rules.md). A batch answers 200 with one result per item, in order; a bad item fails only itself.',
    tag: 'Invitations',
    auth: { kind: 'apiKey', scopes: ['invitations:write'], csrf: true },
    headerParameters: {
      'Idempotency-Key': {
        description:
          'Optional, 1–255 visible ASCII characters (a UUID). A retry with the same key and body within 24 hours gets the first answer again (`Idempotent-Replayed: true`) and invites nobody twice; the same key with another body is 422 idempotency_key_reused; while the first is still running, 409 in_progress. 5xx and 429 answers are not kept, so their retry runs again.',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
      },
    },
    body: {
      oneOf: [
        { schema: inviteInputSchema, description: 'One invitation' },
        { schema: inviteBatchRequestSchema, description: 'A batch' },
      ],
    },
    responses: {
      201: { description: 'Invited: the email is on its way.', json: inviteResultSchema, headers: REPLAYED },
      202: {
        description: 'Held for approval by an invitation rule: nothing was sent; an admin decides on the request.',
        json: heldResultSchema,
        headers: REPLAYED,
      },
      200: {
        description: 'One invitation that already existed (`already_invited`, `already_member`), or a batch’s results.',
        json: inviteOrBatchResultSchema,
        headers: REPLAYED,
      },
    },
    errors: [
      'validation_failed',
      'invalid_email',
      'invalid_role',
      'unknown_role',
      'invalid_json',
      'invalid_body',
      ...AUTH_ERRORS,
      'csrf_failed',
      'organization_not_found',
      'seat_limit_reached',
      'external_id_taken',
      'in_progress',
      'body_too_large',
      'unsupported_media_type',
      'domain_not_allowed',
      'idempotency_key_reused',
      'rule_refused',
      'rule_limit_reached',
      'rate_limited',
      ...SCALEKIT_ERRORS,
    ],
  }),
  defineOperation({
    method: 'get',
    path: '/api/invitations',
    operationId: 'listInvitations',
    summary: 'List invitations, newest first, with filters',
    description:
      'Without `status`: what is still open (pending, expired, failed). Filters combine (AND). Keyset-paginated: pass `nextCursor` as `cursor` with the same filters; it is null on the last page.',
    tag: 'Invitations',
    auth: { kind: 'apiKey', scopes: ['invitations:read'], csrf: false },
    query: listInvitationsQuery,
    responses: { 200: { description: 'One page of invitations.', json: invitationListSchema } },
    errors: ['validation_failed', ...AUTH_ERRORS],
  }),
  defineOperation({
    method: 'get',
    path: '/api/invitations/{id}',
    operationId: 'getInvitation',
    summary: 'One invitation, whatever it has become',
    description:
      'Pending, expired, failed, or accepted (status ACTIVE). 404 for an unknown id, another organization’s, a revoked one, or a member who was never invited.',
    tag: 'Invitations',
    auth: { kind: 'apiKey', scopes: ['invitations:read'], csrf: false },
    pathParameters: ID,
    responses: { 200: { description: 'The invitation.', json: invitationResponseSchema } },
    errors: [...AUTH_ERRORS, 'invitation_not_found'],
  }),
  defineOperation({
    method: 'post',
    path: '/api/invitations/{id}/resend',
    operationId: 'resendInvitation',
    summary: 'Send the invitation email again (new expiry)',
    description:
      'At most one email per invitation per minute: a retry within that minute is 429 resend_too_soon (Retry-After), so a retried request never sends a second email.',
    tag: 'Invitations',
    auth: { kind: 'apiKey', scopes: ['invitations:write'], csrf: true },
    pathParameters: ID,
    responses: { 200: { description: 'Sent; resentCount and lastSentAt are updated.', json: invitationResponseSchema } },
    errors: [
      ...AUTH_ERRORS,
      'csrf_failed',
      'invitation_not_found',
      'not_pending',
      'in_progress',
      'resend_too_soon',
      'rate_limited',
      ...SCALEKIT_ERRORS,
    ],
  }),
  defineOperation({
    method: 'delete',
    path: '/api/invitations/{id}',
    operationId: 'revokeInvitation',
    summary: 'Revoke an invitation',
    description:
      'Idempotent: revoking an invitation this organization already revoked answers 204 again, so a retry after a lost answer is safe.',
    tag: 'Invitations',
    auth: { kind: 'apiKey', scopes: ['invitations:write'], csrf: true },
    pathParameters: ID,
    responses: { 204: { description: 'Revoked (now or before); the link stops working.' } },
    errors: [...AUTH_ERRORS, 'csrf_failed', 'invitation_not_found', 'not_an_invitation', 'in_progress', ...SCALEKIT_ERRORS],
  }),
];
