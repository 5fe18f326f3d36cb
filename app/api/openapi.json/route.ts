import { openApiJson } from '@/lib/openapi/document';

/**
 * GET /api/openapi.json — the OpenAPI 3.1 document of the public API (lib/openapi). Public and
 * identical for everyone (no secrets, no organization data), so caches may keep it for an hour.
 */

export const dynamic = 'force-static';

export function GET(): Response {
  return new Response(openApiJson(), {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  });
}
