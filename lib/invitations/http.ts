import type { Membership } from '@/lib/generated/prisma/client';
import { ApiKeyError } from '@/lib/api-keys/service';
import type { Actor } from '@/lib/auth/actor';
import { actorCan, ForbiddenError } from '@/lib/auth/authorize';
import { readBodyText } from '@/lib/http/read-body';
import { errorForLog, log } from '@/lib/log';
import { effectiveStatus } from '@/lib/members/status';
import { InvitationError, ScalekitCallError } from './errors';

/**
 * JSON for the invitations API: the public shape of an invitation and the
 * one error format, { error: { code, message, fields? } }, with the status
 * that says what kind of failure it was. Unknown errors are logged (scrubbed)
 * and answered with a generic 500 that reveals nothing.
 */

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * How much of an invitation the caller may see. `full` adds externalId, metadata and syncError:
 * what an integration attached and what went wrong at Scalekit — for admins, and for keys with
 * invitations:read (the integration set those fields itself). A plain member gets `basic`: who
 * is invited, as what, and how far along; never another system's data or internal errors.
 */
export type InvitationView = 'full' | 'basic';

export function invitationViewFor(actor: Actor): InvitationView {
  return actorCan(actor, 'invitations:details') ? 'full' : 'basic';
}

/** The view is required, so no route can forget to decide it. */
export function invitationJson(m: Membership, view: InvitationView) {
  const basic = {
    id: m.id,
    email: m.email,
    name: m.name,
    role: m.role,
    status: effectiveStatus(m),
    syncState: m.syncState,
    userId: m.userId,
    inviterEmail: m.inviterEmail,
    invitedAt: m.invitedAt?.toISOString() ?? null,
    expiresAt: m.expiresAt?.toISOString() ?? null,
    resentCount: m.resentCount,
    lastSentAt: m.lastSentAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  };
  if (view === 'basic') return basic;
  return { ...basic, syncError: m.syncError, externalId: m.externalId, metadata: m.metadata ?? {} };
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function errorJson(status: number, code: string, message: string, fields?: Record<string, string>, headers: Record<string, string> = {}): Response {
  return jsonResponse({ error: { code, message, ...(fields ? { fields } : {}) } }, status, headers);
}

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
  retryable?: boolean;
  retryAfterSeconds?: number;
}

/** Any error from the services, as an API error. */
export function describeError(error: unknown): ErrorBody {
  if (error instanceof InvitationError) {
    const fields = error.fields ?? (error.field ? { [error.field]: error.message } : undefined);
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      ...(fields ? { fields } : {}),
      ...(error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  if (error instanceof ScalekitCallError) return { status: error.status, code: error.code, message: error.message, retryable: error.retryable };
  if (error instanceof ApiKeyError) return { status: error.status, code: error.code, message: error.message, ...(error.field ? { fields: { [error.field]: error.message } } : {}) };
  if (error instanceof ForbiddenError) return { status: 403, code: 'forbidden', message: error.message };
  log.error({ err: errorForLog(error) }, 'invitations API failed');
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side. Nothing was changed; try again.' };
}

export function errorResponse(error: unknown): Response {
  const e = describeError(error);
  // Our own limits know their window; for Scalekit's 429/503 a short pause is the honest guess.
  const retryAfter = e.retryAfterSeconds ?? (e.status === 429 ? 30 : e.status === 503 ? 5 : undefined);
  const headers: Record<string, string> = retryAfter ? { 'Retry-After': String(retryAfter) } : {};
  return errorJson(e.status, e.code, e.message, e.fields, headers);
}

export const MAX_JSON_BYTES = 256_000;

/** The request body as JSON, or an error response saying what is wrong with it. */
export async function readJson(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return { ok: false, response: errorJson(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".') };
  }
  // Counted while streaming, so a chunked body without Content-Length stops at the limit too.
  const read = await readBodyText(request, MAX_JSON_BYTES);
  if (!read.ok) return { ok: false, response: errorJson(read.status, read.code, read.message) };
  try {
    return { ok: true, body: JSON.parse(read.value) };
  } catch {
    return { ok: false, response: errorJson(400, 'invalid_json', 'The body is not valid JSON.') };
  }
}
