import type { Actor } from '@/lib/auth/actor';
import { csrfRejectedResponse, verifyCsrf } from '@/lib/auth/csrf';
import { actorFromContext, getSessionContextFromRequest, requestMeta } from '@/lib/auth/guards';
import { ForbiddenError } from '@/lib/auth/authorize';
import { authenticateApiKey } from './service';

/**
 * Who is calling an org-scoped JSON API: a machine with an API key, or a
 * browser with the session cookie. Browsers must also prove the request came
 * from our own pages (CSRF token + provenance headers) before anything that
 * changes data; an API key is not a cookie, so it cannot be ridden by
 * another site and needs no CSRF token.
 */

export type ResolvedActor = { ok: true; actor: Actor; via: 'api_key' | 'session' } | { ok: false; response: Response };

function refusal(status: number, code: string, message: string): { ok: false; response: Response } {
  return {
    ok: false,
    response: Response.json({ error: { code, message } }, { status, headers: { 'Cache-Control': 'no-store', ...(status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}) } }),
  };
}

export interface ResolveOptions {
  /** State-changing methods need the CSRF check for session callers. */
  mutating: boolean;
  /** An organization named by the caller (query string); must match the key's or be one of the user's. */
  organizationId?: string | null;
}

export async function resolveRequestActor(request: Request, options: ResolveOptions): Promise<ResolvedActor> {
  const meta = requestMeta(request);
  const bearer = await authenticateApiKey(request.headers.get('authorization'), meta);
  if (bearer.kind === 'invalid') return refusal(401, 'invalid_api_key', bearer.message);
  if (bearer.kind === 'ok') {
    if (options.organizationId && options.organizationId !== bearer.actor.organizationId) {
      return refusal(403, 'forbidden', 'This API key belongs to another organization.');
    }
    return { ok: true, actor: bearer.actor, via: 'api_key' };
  }

  const ctx = await getSessionContextFromRequest(request);
  if (!ctx) return refusal(401, 'unauthenticated', 'Sign in, or send an API key as "Authorization: Bearer tg_live_…".');
  if (options.mutating && !(await verifyCsrf(request, ctx.session.id))) return { ok: false, response: csrfRejectedResponse() };
  try {
    return { ok: true, actor: actorFromContext(ctx, options.organizationId || ctx.session.organizationId, request), via: 'session' };
  } catch (error) {
    if (error instanceof ForbiddenError) return refusal(403, 'forbidden', error.message);
    throw error;
  }
}
