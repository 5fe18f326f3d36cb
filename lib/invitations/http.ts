import type { Membership } from '@/lib/generated/prisma/client';
import type { Actor } from '@/lib/auth/actor';
import { actorCan } from '@/lib/auth/authorize';
import { AppError } from '@/lib/errors/app-error';
import { readBodyText } from '@/lib/http/read-body';
import { effectiveStatus } from '@/lib/members/status';

/**
 * JSON for the invitations API: the public shape of an invitation and the body reader. Errors
 * are answered by lib/errors/respond.ts (problemJson), like every other route's.
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

export const MAX_JSON_BYTES = 256_000;

/** The request body as JSON; throws an AppError saying what is wrong with it. */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new AppError('unsupported_media_type');
  // Counted while streaming, so a chunked body without Content-Length stops at the limit too.
  const read = await readBodyText(request, MAX_JSON_BYTES);
  if (!read.ok) throw new AppError(read.code, read.message);
  try {
    return JSON.parse(read.value);
  } catch {
    throw new AppError('invalid_json');
  }
}
