import { z } from 'zod';
import { createRequestBody, decisionBody, listRequestsQuery } from '@/lib/invitation-requests/http';
import { defineOperation, type PathParameter } from '../registry';
import { invitationSchema, requestSchemas, responseSchemas } from '../schemas';

/** The invitation-requests API (app/api/invitation-requests/**), docs/api.md#invitation-requests. */

const instant = z.iso.datetime();

/** lib/invitation-requests/http.ts requestJson. */
export const invitationRequestSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.string(),
  reason: z.string().nullable(),
  status: z.enum(['PENDING', 'APPROVED', 'DENIED', 'CANCELLED']),
  source: z.enum(['MEMBER', 'RULE', 'DOMAIN']),
  origin: z.string(),
  requestedBy: z.string().nullable(),
  rule: z.strictObject({ id: z.string().nullable(), description: z.string().nullable() }).nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: instant.nullable(),
  invitationId: z.string().nullable(),
  createdAt: instant,
});
responseSchemas.add(invitationRequestSchema, {
  id: 'InvitationRequest',
  description:
    'A request for an invitation: from a member (MEMBER), held by an invitation rule (RULE), or asked from a verified domain (DOMAIN).',
});
const requestListSchema = z.strictObject({ requests: z.array(invitationRequestSchema), nextCursor: z.string().nullable() });
responseSchemas.add(requestListSchema, { id: 'InvitationRequestList' });
const openedSchema = z.strictObject({ created: z.boolean(), request: invitationRequestSchema });
const approvedSchema = z.strictObject({
  outcome: z.enum(['invited', 'already_invited', 'already_member']),
  request: invitationRequestSchema,
  invitation: invitationSchema,
});
const deniedSchema = z.strictObject({ request: invitationRequestSchema });
responseSchemas.add(openedSchema, { id: 'InvitationRequestOpened' });
responseSchemas.add(approvedSchema, { id: 'InvitationRequestApproved' });
responseSchemas.add(deniedSchema, { id: 'InvitationRequestDenied' });
requestSchemas.add(createRequestBody, { id: 'InvitationRequestInput' });
requestSchemas.add(decisionBody, { id: 'InvitationRequestDecision' });

const AUTH_ERRORS = ['invalid_api_key', 'unauthenticated', 'forbidden'] as const;
const SCALEKIT_ERRORS = [
  'scalekit_rate_limited',
  'scalekit_error',
  'scalekit_misconfigured',
  'scalekit_unavailable',
  'scalekit_timeout',
] as const;
const ID: Record<string, PathParameter> = {
  id: { description: 'The request’s `id`.', schema: { type: 'string', maxLength: 64 } },
};
const AUTH = { kind: 'apiKey', scopes: ['invitations:write'], csrf: true } as const;

export const invitationRequestOperations = [
  defineOperation({
    method: 'get',
    path: '/api/invitation-requests',
    operationId: 'listInvitationRequests',
    summary: 'List invitation requests, newest first',
    description: 'People: those whose role may invite. Keyset-paginated: pass `nextCursor` as `cursor`.',
    tag: 'Invitation requests',
    auth: { kind: 'apiKey', scopes: ['invitations:write'], csrf: false },
    query: listRequestsQuery,
    responses: { 200: { description: 'One page of requests.', json: requestListSchema } },
    errors: ['validation_failed', 'invalid_cursor', ...AUTH_ERRORS],
  }),
  defineOperation({
    method: 'post',
    path: '/api/invitation-requests',
    operationId: 'createInvitationRequest',
    summary: 'Ask for someone to be invited',
    description:
      'Any active member (session) or a key with invitations:write, while the organization takes requests. 200 with created false when a request for the address is already pending.',
    tag: 'Invitation requests',
    auth: AUTH,
    body: { schema: createRequestBody },
    responses: {
      201: { description: 'Opened; the inviters are told by email.', json: openedSchema },
      200: { description: 'A request for this address was already pending: returned unchanged.', json: openedSchema },
    },
    errors: [
      'validation_failed',
      'invalid_email',
      'invalid_role',
      'unknown_role',
      'invalid_json',
      'invalid_body',
      'body_too_large',
      'unsupported_media_type',
      ...AUTH_ERRORS,
      'csrf_failed',
      'requests_disabled',
      'already_member',
      'already_invited',
      'domain_not_allowed',
      'organization_not_found',
      'rate_limited',
    ],
  }),
  defineOperation({
    method: 'post',
    path: '/api/invitation-requests/{id}/approve',
    operationId: 'approveInvitationRequest',
    summary: 'Approve: invite the person through the normal pipeline',
    description: 'Safe to retry: a failed or repeated approval never sends a second invitation; a decided request is 409 request_decided.',
    tag: 'Invitation requests',
    auth: AUTH,
    pathParameters: ID,
    body: { schema: decisionBody },
    responses: { 200: { description: 'Approved; the invitation it sent (or found).', json: approvedSchema } },
    errors: [
      'validation_failed',
      'invalid_json',
      'unsupported_media_type',
      ...AUTH_ERRORS,
      'csrf_failed',
      'request_not_found',
      'request_decided',
      'not_found',
      'unknown_role',
      'domain_not_allowed',
      'seat_limit_reached',
      'in_progress',
      'rule_refused',
      'rule_limit_reached',
      'rate_limited',
      ...SCALEKIT_ERRORS,
    ],
  }),
  defineOperation({
    method: 'post',
    path: '/api/invitation-requests/{id}/deny',
    operationId: 'denyInvitationRequest',
    summary: 'Deny, with an optional note',
    tag: 'Invitation requests',
    auth: AUTH,
    pathParameters: ID,
    body: { schema: decisionBody },
    responses: { 200: { description: 'Denied; the member who asked is told.', json: deniedSchema } },
    errors: [
      'validation_failed',
      'invalid_json',
      'unsupported_media_type',
      ...AUTH_ERRORS,
      'csrf_failed',
      'request_not_found',
      'request_decided',
    ],
  }),
];
