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

const createBody = z.strictObject({
  email: z.unknown(),
  role: z.unknown().optional(),
  name: z.unknown().optional(),
  reason: z.unknown().optional(),
});
const decisionBody = z.strictObject({ note: z.unknown().optional() });

/** POST /api/invitation-requests: the fields are checked by the service, unknown ones refused here. */
export async function readCreateBody(request: Request): Promise<z.output<typeof createBody>> {
  const parsed = createBody.safeParse(await readJson(request));
  if (!parsed.success) throw validationError(parsed.error, 'The request body is not valid.');
  return parsed.data;
}

/** …/approve and …/deny: an optional note; an empty body is the same as none. */
export async function readDecisionBody(request: Request): Promise<{ note?: unknown }> {
  const length = request.headers.get('content-length');
  if (!request.headers.get('content-type') && (length === null || length === '0')) return {};
  const raw = await readJson(request);
  const parsed = decisionBody.safeParse(raw ?? {});
  if (!parsed.success) throw validationError(parsed.error, 'The request body is not valid.');
  return parsed.data;
}
