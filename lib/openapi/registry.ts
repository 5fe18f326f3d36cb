import type { z } from 'zod';
import type { ApiKeyScope } from '@/lib/auth/permissions';
import type { ErrorCode } from '@/lib/errors/codes';

/**
 * How a public API operation is declared for the OpenAPI document (lib/openapi/document.ts).
 * One entry per route method, in lib/openapi/operations/<area>.ts, listed in OPERATIONS
 * (lib/openapi/operations/index.ts). The schemas are the ones the route parses with and the
 * response schemas of lib/openapi/schemas.ts; errors are codes of lib/errors/codes.ts, so each
 * status comes from the code's registry entry and a renamed code fails to compile.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call: `apiKey` — `Authorization: Bearer tg_live_…` (with `scopes`) or the session
 * cookie (+ CSRF token for a state change); `session` — the session cookie only; `public` — no
 * credential needed (`optionalBearer`: a token that unlocks more, such as HEALTH_CHECK_TOKEN).
 */
export type Auth =
  { kind: 'apiKey'; scopes: readonly ApiKeyScope[]; csrf: boolean } | { kind: 'session' } | { kind: 'public'; optionalBearer?: string };

export interface BodySpec {
  /** A zod schema registered in lib/openapi/schemas.ts (becomes a $ref), or any other zod schema (inlined). */
  schema: z.ZodType;
  description?: string;
}

export interface ResponseSpec {
  description: string;
  /** application/json body; absent for a body-less answer (204) */
  json?: z.ZodType;
  /** Any other media type, described without a schema (a CSV file, an image). */
  media?: { type: string; description?: string; schema?: Record<string, unknown> };
  headers?: Record<string, { description: string; schema?: Record<string, unknown> }>;
}

export interface PathParameter {
  description: string;
  schema?: Record<string, unknown>;
}

export interface Operation {
  method: HttpMethod;
  /** OpenAPI path template: `/api/invitations/{id}` for app/api/invitations/[id]/route.ts */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  auth: Auth;
  pathParameters?: Record<string, PathParameter>;
  /** The zod object the route parses its query string with; each property becomes a query parameter. */
  query?: z.ZodType;
  /** Query parameters of a route that reads them by hand (no zod schema to publish). */
  queryParameters?: Record<string, { description: string; schema: Record<string, unknown> }>;
  /** Request headers the operation reads besides credentials (e.g. Idempotency-Key). */
  headerParameters?: Record<string, { description: string; schema: Record<string, unknown> }>;
  /** A JSON request body; `oneOf` for a route that takes several shapes. */
  body?: BodySpec | { oneOf: BodySpec[]; description?: string };
  /** Success responses by status. */
  responses: Record<number, ResponseSpec>;
  /** Error codes the operation answers with (problem+json); 500 internal_error is added to every operation. */
  errors: readonly ErrorCode[];
  /** The response is the same for everyone and may be cached (otherwise `Cache-Control: no-store`). */
  cacheable?: boolean;
}

/** Declares an operation; typed so an entry is checked where it is written. */
export function defineOperation(operation: Operation): Operation {
  return operation;
}
