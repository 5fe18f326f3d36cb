import { getDb, type PrismaClient } from '@/lib/db';
import { getEnv } from '@/lib/env';

/**
 * Readiness of what the app depends on. The basic check (anyone) is PostgreSQL only: a round
 * trip, nothing sent to Scalekit, so anonymous callers cannot turn health checks into Scalekit
 * traffic. The detailed check (a token or an admin, lib/health/access.ts) adds Scalekit's public
 * OpenID configuration, which needs no credentials. Each check has its own deadline so a hung
 * dependency makes the answer "down", not a hung health check. Errors are reduced to a short
 * kind ("timeout", "connection refused", "HTTP 503") so no URL, user or secret leaks.
 */

export interface DependencyHealth {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  scope: 'basic' | 'detailed';
  checks: { database: DependencyHealth; scalekit?: DependencyHealth };
  checkedAt: string;
}

export interface DetailedHealthReport extends HealthReport {
  scope: 'detailed';
  checks: { database: DependencyHealth; scalekit: DependencyHealth };
}

export interface HealthDeps {
  db?: Pick<PrismaClient, '$queryRaw'>;
  scalekitUrl?: string;
  timeoutMs?: number;
}

class DeadlineError extends Error {}

async function timed(run: (signal: AbortSignal) => Promise<unknown>, timeoutMs: number): Promise<DependencyHealth> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineError());
    }, timeoutMs);
  });
  try {
    await Promise.race([run(controller.signal), deadline]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: errorKind(error, timeoutMs) };
  } finally {
    clearTimeout(timer);
  }
}

function errorKind(error: unknown, timeoutMs: number): string {
  if (error instanceof DeadlineError) return `no answer within ${timeoutMs} ms`;
  if (error instanceof HttpStatusError) return `HTTP ${error.status}`;
  const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as { cause?: { code?: unknown } })?.cause?.code ?? ''} ${(error as Error)?.message ?? ''}`;
  if (/ECONNREFUSED/.test(text)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'host not found';
  if (/ECONNRESET|terminat|closed/i.test(text)) return 'connection lost';
  return 'unreachable';
}

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

function databaseCheck(deps: HealthDeps, timeoutMs: number): Promise<DependencyHealth> {
  const client = deps.db ?? getDb();
  return timed(() => client.$queryRaw`SELECT 1`, timeoutMs);
}

/** The basic check: PostgreSQL only. */
export async function checkLiveness(deps: HealthDeps = {}): Promise<HealthReport> {
  const database = await databaseCheck(deps, deps.timeoutMs ?? 2_000);
  return { status: database.ok ? 'ok' : 'degraded', scope: 'basic', checks: { database }, checkedAt: new Date().toISOString() };
}

/** The detailed check: PostgreSQL and Scalekit, in parallel. */
export async function checkHealth(deps: HealthDeps = {}): Promise<DetailedHealthReport> {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const scalekitUrl = deps.scalekitUrl ?? getEnv().SCALEKIT_ENVIRONMENT_URL;
  const [database, scalekit] = await Promise.all([
    databaseCheck(deps, timeoutMs),
    timed(async (signal) => {
      const res = await fetch(`${scalekitUrl}/.well-known/openid-configuration`, { signal, headers: { accept: 'application/json' } });
      await res.arrayBuffer();
      if (!res.ok) throw new HttpStatusError(res.status);
    }, timeoutMs),
  ]);
  return {
    status: database.ok && scalekit.ok ? 'ok' : 'degraded',
    scope: 'detailed',
    checks: { database, scalekit },
    checkedAt: new Date().toISOString(),
  };
}
