import { defineOperation, type PathParameter } from '../registry';

/**
 * The organization CSV exports (app/api/orgs/[orgId]/**.csv): session only — a signed-in person
 * downloading from the app; API keys cannot call them. Their query strings are read by the
 * services (lib/members/export.ts, lib/audit/query.ts), not a zod schema, so they are described here.
 */

const ORG: Record<string, PathParameter> = { orgId: { description: 'The organization (`org_…`).', schema: { type: 'string' } } };
const csv = (what: string) => ({
  description: what,
  media: { type: 'text/csv', description: 'Streamed; Content-Disposition: attachment.' },
});

export const exportOperations = [
  defineOperation({
    method: 'get',
    path: '/api/orgs/{orgId}/members.csv',
    operationId: 'exportMembersCsv',
    summary: 'The team as CSV (the team page’s filters and order)',
    tag: 'Exports',
    auth: { kind: 'session' },
    pathParameters: ORG,
    queryParameters: {
      q: { description: 'Text in the name or email.', schema: { type: 'string', maxLength: 100 } },
      status: { description: 'Member status.', schema: { type: 'string', enum: ['active', 'pending', 'expired', 'inactive'] } },
      role: { description: 'A role name.', schema: { type: 'string' } },
      inactive: {
        description: 'Members whose last sign-in is at least this many days old.',
        schema: { type: 'string', enum: ['30', '60', '90'] },
      },
      sort: { description: 'Order by last sign-in.', schema: { type: 'string', enum: ['last_sign_in_desc', 'last_sign_in_asc'] } },
    },
    responses: { 200: csv('Every matching member.') },
    errors: ['invalid_input', 'unknown_role', 'unauthenticated', 'forbidden'],
  }),
  defineOperation({
    method: 'get',
    path: '/api/orgs/{orgId}/audit.csv',
    operationId: 'exportAuditCsv',
    summary: 'The audit log as CSV',
    tag: 'Exports',
    auth: { kind: 'session' },
    pathParameters: ORG,
    queryParameters: {
      action: { description: 'One audit action, e.g. invitation.created.', schema: { type: 'string' } },
      q: { description: 'Text in the actor or target.', schema: { type: 'string', maxLength: 100 } },
      from: { description: 'First day (YYYY-MM-DD).', schema: { type: 'string', format: 'date' } },
      to: { description: 'Last day (YYYY-MM-DD), after from.', schema: { type: 'string', format: 'date' } },
    },
    responses: { 200: csv('The matching audit events.') },
    errors: ['invalid_input', 'unauthenticated', 'forbidden'],
  }),
  defineOperation({
    method: 'get',
    path: '/api/orgs/{orgId}/bulk-actions.csv',
    operationId: 'exportBulkActionCsv',
    summary: 'One bulk member action’s rows and outcomes as CSV',
    tag: 'Exports',
    auth: { kind: 'session' },
    pathParameters: ORG,
    queryParameters: { id: { description: 'The bulk action’s id.', schema: { type: 'string' } } },
    responses: { 200: csv('The action’s rows.') },
    errors: ['unauthenticated', 'forbidden', 'bulk_action_not_found'],
  }),
  defineOperation({
    method: 'get',
    path: '/api/orgs/{orgId}/access-reviews/{reviewId}/evidence.csv',
    operationId: 'exportAccessReviewEvidenceCsv',
    summary: 'One access review as audit evidence (CSV)',
    tag: 'Exports',
    auth: { kind: 'session' },
    pathParameters: { ...ORG, reviewId: { description: 'The access review’s id.', schema: { type: 'string' } } },
    responses: { 200: csv('The review’s members, decisions and results.') },
    errors: ['unauthenticated', 'forbidden', 'review_not_found'],
  }),
  defineOperation({
    method: 'get',
    path: '/api/orgs/{orgId}/logo',
    operationId: 'getOrganizationLogo',
    summary: 'The organization’s logo, for its members',
    tag: 'Exports',
    auth: { kind: 'session' },
    pathParameters: ORG,
    queryParameters: { v: { description: 'The logo’s version hash (cache busting).', schema: { type: 'string' } } },
    responses: {
      200: { description: 'The image.', media: { type: 'image/*' } },
      304: { description: 'Not modified (If-None-Match).' },
    },
    errors: ['unauthenticated', 'forbidden', 'not_found'],
  }),
];
