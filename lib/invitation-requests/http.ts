import { z } from 'zod';
import { validationError } from '@/lib/errors/zod';
import type { InvitationRequest } from '@/lib/generated/prisma/client';
import { readJson } from '@/lib/invitations/http';

/** An invitation request as the API answers it (docs/api.md, /api/invitation-requests). */
export function requestJson(r: InvitationRequest) {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    reason: r.reason,
    status: r.status,
    source: r.source,
    origin: r.origin,
    requestedBy: r.requestedByLabel,
    rule: r.ruleId || r.ruleDescription ? { id: r.ruleId, description: r.ruleDescription } : null,
    decidedBy: r.decidedByLabel,
    decisionNote: r.decisionNote,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    /** The invitation approval created (GET /api/invitations lists it by this id) */
    invitationId: r.membershipId,
    createdAt: r.createdAt.toISOString(),
  };
}

/** POST /api/invitation-requests' body as the route parses it (the service then checks each field as the invite form does). */
export const createRequestBody = z.strictObject({
  email: z.string().describe('The person to invite'),
  role: z.string().optional().describe('One of the organization’s roles (default member)'),
  name: z.string().optional(),
  reason: z.string().optional().describe('Why; at most 500 characters, shown to the admins'),
});
/** …/approve and …/deny: an optional note for the member who asked. */
export const decisionBody = z.strictObject({
  note: z.string().optional().describe('At most 500 characters, shown to the member who asked'),
});

const STATUS_MESSAGE = 'status must be PENDING, APPROVED, DENIED, CANCELLED or DECIDED.';
const LIMIT_MESSAGE = 'limit must be a number from 1 to 100.';

/** GET /api/invitation-requests' query string. */
export const listRequestsQuery = z
  .object({
    status: z.enum(['PENDING', 'APPROVED', 'DENIED', 'CANCELLED', 'DECIDED'], { error: STATUS_MESSAGE }).optional(),
    cursor: z.string().max(200, 'The cursor is not valid.').optional(),
    limit: z.coerce.number({ error: LIMIT_MESSAGE }).int(LIMIT_MESSAGE).min(1, LIMIT_MESSAGE).max(100, LIMIT_MESSAGE).optional(),
  })
  .strict();

/** POST /api/invitation-requests: the fields are checked by the service, unknown ones refused here. */
export async function readCreateBody(request: Request): Promise<z.output<typeof createRequestBody>> {
  const parsed = createRequestBody.safeParse(await readJson(request));
  if (!parsed.success) throw validationError(parsed.error, 'The request body is not valid.');
  return parsed.data;
}

/** …/approve and …/deny: an optional note; an empty body is the same as none. */
export async function readDecisionBody(request: Request): Promise<{ note?: string }> {
  const length = request.headers.get('content-length');
  if (!request.headers.get('content-type') && (length === null || length === '0')) return {};
  const raw = await readJson(request);
  const parsed = decisionBody.safeParse(raw ?? {});
  if (!parsed.success) throw validationError(parsed.error, 'The request body is not valid.');
  return parsed.data;
}
