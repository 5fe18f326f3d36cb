import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '@/lib/errors/codes';
import { API_BATCH_MAX, inviteBatchSchema, inviteInputSchema } from '@/lib/invitations/schemas';

/**
 * The zod schemas of what the public API answers, and the request schemas it publishes. Requests
 * are the routes' own parsers (lib/invitations/schemas.ts, lib/invitations/listing.ts), never
 * copies; responses are declared here, once, and the contract test
 * (lib/openapi/contract.int.test.ts) checks every real answer against them, so a field added to
 * lib/invitations/http.ts without a line here fails a test instead of drifting silently.
 *
 * `registry` names the shared schemas: each becomes `#/components/schemas/<id>` and is referenced,
 * not inlined, wherever it appears.
 */

export interface SchemaMeta {
  id: string;
  description?: string;
}

/** Schemas read in their input form: what a client sends. */
export const requestSchemas = z.registry<SchemaMeta>();
/** Schemas read in their output form: what the server answers. */
export const responseSchemas = z.registry<SchemaMeta>();

const instant = z.iso.datetime();

const MEMBERSHIP_STATUSES = ['ACTIVE', 'INACTIVE', 'PENDING_INVITE', 'INVITE_EXPIRED'] as const;
const SYNC_STATES = ['SYNCED', 'SENDING', 'FAILED'] as const;

/** lib/invitations/http.ts invitationJson: `basic` for every caller, the last three for `full` (docs/api.md "Who sees what"). */
export const invitationSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.string(),
  status: z.enum(MEMBERSHIP_STATUSES),
  syncState: z.enum(SYNC_STATES),
  userId: z.string().nullable(),
  inviterEmail: z.string().nullable(),
  invitedAt: instant.nullable(),
  expiresAt: instant.nullable(),
  resentCount: z.int().min(0),
  lastSentAt: instant.nullable(),
  createdAt: instant,
  syncError: z.string().nullable().optional(),
  externalId: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
responseSchemas.add(invitationSchema, {
  id: 'Invitation',
  description:
    'An invitation. externalId, metadata and syncError are present only for admins and keys with invitations:read; absent (not null) otherwise.',
});

/** lib/errors/respond.ts errorBody, inside `{ error }` (problemJson). */
export const errorBodySchema = z.strictObject({
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  message: z.string().min(1),
  fields: z.record(z.string(), z.string()).optional(),
  /** An invitation rule's refusal names the rule (lib/invitation-rules/apply.ts) */
  details: z.strictObject({ ruleId: z.string() }).optional(),
});
responseSchemas.add(errorBodySchema, {
  id: 'ErrorBody',
  description: 'What went wrong: a stable code, a sentence a person can act on, and for validation each bad field.',
});

export const problemSchema = z.strictObject({ error: errorBodySchema });
responseSchemas.add(problemSchema, { id: 'Problem', description: 'Every JSON error (lib/errors/respond.ts).' });

export const invitationResponseSchema = z.strictObject({ invitation: invitationSchema });
responseSchemas.add(invitationResponseSchema, { id: 'InvitationResponse' });

export const inviteOutcomeSchema = z.enum(['invited', 'already_invited', 'already_member']);

export const inviteResultSchema = z.strictObject({ outcome: inviteOutcomeSchema, invitation: invitationSchema });
responseSchemas.add(inviteResultSchema, { id: 'InviteResult' });

/** app/api/invitations/route.ts heldJson: an invitation rule held it; an admin decides on the request (docs/invitation-rules.md). */
const heldFields = {
  status: z.literal('held'),
  outcome: z.literal('held'),
  request: z.strictObject({ id: z.string(), email: z.string(), role: z.string(), status: z.literal('PENDING') }),
  rule: z.strictObject({ id: z.string(), description: z.string() }),
};
export const heldResultSchema = z.strictObject(heldFields);
responseSchemas.add(heldResultSchema, {
  id: 'HeldInvitation',
  description:
    'Not sent: an invitation rule holds it for an admin’s approval. `request` is the invitation request it opened, `rule` the rule (its id and sentence).',
});

export const inviteBatchResultSchema = z.strictObject({
  results: z.array(
    z.union([
      z.strictObject({ index: z.int().min(0), ok: z.literal(true), outcome: inviteOutcomeSchema, invitation: invitationSchema }),
      z.strictObject({ index: z.int().min(0), ok: z.literal(true), ...heldFields }),
      z.strictObject({ index: z.int().min(0), ok: z.literal(false), status: z.int(), error: errorBodySchema }),
    ]),
  ),
  summary: z.strictObject({
    invited: z.int().min(0),
    already_invited: z.int().min(0),
    already_member: z.int().min(0),
    held: z.int().min(0),
    failed: z.int().min(0),
  }),
});
responseSchemas.add(inviteBatchResultSchema, { id: 'InviteBatchResult' });

/** POST /api/invitations answers 200 with either shape: an existing single invitation, or a batch's results. */
export const inviteOrBatchResultSchema = z.union([inviteResultSchema, inviteBatchResultSchema]);
responseSchemas.add(inviteOrBatchResultSchema, { id: 'InviteOrBatchResult' });

export const invitationListSchema = z.strictObject({
  invitations: z.array(invitationSchema),
  nextCursor: z.string().nullable(),
});
responseSchemas.add(invitationListSchema, { id: 'InvitationList' });

const dependencyHealthSchema = z.strictObject({ ok: z.boolean(), latencyMs: z.number().min(0), error: z.string().optional() });

/** lib/health/check.ts HealthReport. */
export const healthReportSchema = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  scope: z.enum(['basic', 'detailed']),
  checks: z.strictObject({ database: dependencyHealthSchema, scalekit: dependencyHealthSchema.optional() }),
  checkedAt: instant,
});
responseSchemas.add(healthReportSchema, { id: 'HealthReport' });

requestSchemas.add(inviteInputSchema, { id: 'InviteInput', description: 'One invitation (lib/invitations/schemas.ts inviteInputSchema).' });

/**
 * The route parses `{ invitations: [...] }` with inviteBatchSchema and then each item on its own
 * (one bad item fails only itself), so the published items are InviteInput: what an item must be
 * to succeed. The envelope's limits are the route's own.
 */
export const inviteBatchRequestSchema = inviteBatchSchema.extend({
  invitations: z.array(inviteInputSchema).min(1).max(API_BATCH_MAX),
});
requestSchemas.add(inviteBatchRequestSchema, { id: 'InviteBatch', description: `Up to ${API_BATCH_MAX} invitations in one call.` });
