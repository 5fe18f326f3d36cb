import type { Actor } from '@/lib/auth/actor';
import { verifyCsrf } from '@/lib/auth/csrf';
import { actorFromContext, getSessionContextFromRequest, requestMeta } from '@/lib/auth/guards';
import { AppError, ForbiddenError, UnauthenticatedError } from '@/lib/errors/app-error';
import { authenticateApiKey } from './service';

/**
 * Who is calling an org-scoped JSON API: a machine with an API key, or a
 * browser with the session cookie. Browsers must also prove the request came
 * from our own pages (CSRF token + provenance headers) before anything that
 * changes data; an API key is not a cookie, so it cannot be ridden by
 * another site and needs no CSRF token.
 */

export interface ResolvedActor {
  actor: Actor;
  via: 'api_key' | 'session';
}

export interface ResolveOptions {
  /** State-changing methods need the CSRF check for session callers. */
  mutating: boolean;
  /** An organization named by the caller (query string); must match the key's or be one of the user's. */
  organizationId?: string | null;
}

/** Throws an AppError (401 invalid_api_key / unauthenticated, 403 forbidden / csrf_failed) when the caller may not go on. */
export async function resolveRequestActor(request: Request, options: ResolveOptions): Promise<ResolvedActor> {
  const meta = requestMeta(request);
  const bearer = await authenticateApiKey(request.headers.get('authorization'), meta);
  if (bearer.kind === 'invalid') throw new AppError('invalid_api_key', bearer.message);
  if (bearer.kind === 'ok') {
    if (options.organizationId && options.organizationId !== bearer.actor.organizationId) {
      throw new ForbiddenError('This API key belongs to another organization.');
    }
    return { actor: bearer.actor, via: 'api_key' };
  }

  const ctx = await getSessionContextFromRequest(request);
  if (!ctx) throw new UnauthenticatedError('Sign in, or send an API key as "Authorization: Bearer tg_live_…".');
  if (options.mutating && !(await verifyCsrf(request, ctx.session.id))) throw new AppError('csrf_failed');
  return { actor: actorFromContext(ctx, options.organizationId || ctx.session.organizationId, request), via: 'session' };
}
