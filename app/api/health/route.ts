import { checkHealth } from '@/lib/health/check';
import { requestLogger } from '@/lib/http/request-logger';

/**
 * GET /api/health — for load balancers and uptime checks: 200 when PostgreSQL and Scalekit both
 * answer, 503 (with which one failed and how long each took) when either does not. Public, so
 * it says nothing beyond reachability and latency.
 */

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const report = await checkHealth();
  if (report.status !== 'ok') requestLogger(request, { route: 'health' }).warn({ checks: report.checks }, 'health check degraded');
  return Response.json(report, { status: report.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
