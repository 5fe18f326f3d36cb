import { AppError } from '@/lib/errors/app-error';
import { problemJson } from '@/lib/errors/respond';
import { healthRateLimited, healthScope } from '@/lib/health/access';
import { checkHealth, checkLiveness } from '@/lib/health/check';
import { requestLogger } from '@/lib/http/request-logger';

/**
 * GET /api/health — for load balancers and uptime checks, rate-limited per client IP.
 * Anyone: PostgreSQL reachability and latency, 200 or 503; nothing is sent to Scalekit.
 * `Authorization: Bearer <HEALTH_CHECK_TOKEN>` or a signed-in admin: Scalekit too (503 when
 * either is down). Says nothing beyond reachability and latency.
 */

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const limited = await healthRateLimited(request);
  if (limited) return limited;
  let scope: 'basic' | 'detailed';
  try {
    scope = await healthScope(request);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return problemJson(error);
  }
  const report = scope === 'detailed' ? await checkHealth() : await checkLiveness();
  if (report.status !== 'ok') requestLogger(request, { route: 'health' }).warn({ checks: report.checks }, 'health check degraded');
  return Response.json(report, { status: report.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
