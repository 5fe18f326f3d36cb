import { headers } from 'next/headers';
import type { Actor } from '@/lib/auth/actor';
import { ForbiddenError } from '@/lib/auth/authorize';
import { actorFromContext, getSessionContext, roleIn } from '@/lib/auth/guards';
import { errorForLog, log } from '@/lib/log';

/**
 * The one wrapper every org-admin server action runs through: session re-checked against the
 * database, the caller must be an ACTIVE admin of THIS organization (the org id in the form is
 * only a claim), then the lib/ call. Errors become `{ ok: false, error }` with a sentence a person
 * can act on; server actions never throw to the client.
 */

export type ActionResult<T = Record<never, never>> =
  | ({ ok: true; message: string } & T)
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

interface KnownError {
  status: number;
  message: string;
  field?: string;
}

function isKnownError(error: unknown): error is KnownError {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

export async function runAdminAction<T extends Record<string, unknown>>(
  orgId: unknown,
  body: (actor: Actor, orgId: string) => Promise<{ message: string } & T>,
): Promise<ActionResult<T>> {
  if (typeof orgId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(orgId)) return { ok: false, error: 'Unknown organization.' };
  try {
    const ctx = await getSessionContext();
    if (!ctx) return { ok: false, error: 'Your session has ended. Sign in again to continue.' };
    if (roleIn(ctx, orgId) !== 'admin') throw new ForbiddenError();
    const requestHeaders = await headers();
    const actor = actorFromContext(ctx, orgId, new Request('http://server-action.local/', { headers: requestHeaders }));
    const result = await body(actor, orgId);
    return { ok: true, ...result };
  } catch (error) {
    if (error instanceof ForbiddenError) return { ok: false, error: 'Only admins of this organization can do that.' };
    if (isKnownError(error) && error.status < 500) {
      return { ok: false, error: error.message, ...(error.field ? { fieldErrors: { [error.field]: error.message } } : {}) };
    }
    if (isKnownError(error)) return { ok: false, error: error.message };
    log.error({ err: errorForLog(error), orgId }, 'admin action failed');
    return { ok: false, error: 'Something went wrong on our side. Reload the page to see the current state, then try again.' };
  }
}
