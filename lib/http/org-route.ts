import type { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import type { Permission } from '@/lib/auth/permissions';
import { resolveRequestActor } from '@/lib/api-keys/request-actor';
import { problemJson } from '@/lib/errors/respond';
import { validationError } from '@/lib/errors/zod';

/**
 * The one shape of an org-scoped JSON route (`/api/invitations…`): who is calling (API key, or
 * session + CSRF for a mutating call) → the query string parsed with zod → the permissions the
 * route needs → the handler → one error mapping (problemJson). The handler only sees a caller
 * that may do what the route does; services still check again (assertCan) for their own callers.
 */

export interface OrgRouteOptions<Q extends z.ZodType | undefined> {
  /** State-changing methods need the CSRF check for session callers. */
  mutating: boolean;
  /** What the route does, checked for people (by role) and API keys (by scope) alike. */
  scopes: readonly Permission[];
  /** The query string, without `organizationId` (which picks the organization). */
  query?: Q;
}

export interface OrgRouteContext<Q, P> {
  request: Request;
  actor: Actor;
  via: 'api_key' | 'session';
  query: Q;
  params: P;
}

type QueryOf<Q> = Q extends z.ZodType ? z.output<Q> : undefined;

export function orgRoute<P = Record<string, never>, Q extends z.ZodType | undefined = undefined>(
  options: OrgRouteOptions<Q>,
  handler: (ctx: OrgRouteContext<QueryOf<Q>, P>) => Promise<Response>,
): (request: Request, segment?: { params: Promise<P> }) => Promise<Response> {
  return async (request, segment) => {
    try {
      const url = new URL(request.url);
      const { actor, via } = await resolveRequestActor(request, {
        mutating: options.mutating,
        organizationId: url.searchParams.get('organizationId'),
      });
      let query: unknown = undefined;
      if (options.query) {
        const params = Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'organizationId'));
        const parsed = options.query.safeParse(params);
        if (!parsed.success) throw validationError(parsed.error, 'The query is not valid.');
        query = parsed.data;
      }
      for (const permission of options.scopes) assertCan(actor, actor.organizationId, permission);
      const params = (segment?.params ? await segment.params : {}) as P;
      return await handler({ request, actor, via, query: query as QueryOf<Q>, params });
    } catch (error) {
      return problemJson(error, { context: { route: new URL(request.url).pathname } });
    }
  };
}
