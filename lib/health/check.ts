import { getDb, type PrismaClient } from '@/lib/db';
import { getEnv } from '@/lib/env';

/**
 * Readiness of what the app depends on: PostgreSQL (a round trip) and Scalekit (its public
 * OpenID configuration, which needs no credentials). Each check has its own deadline so a
 * hung dependency makes the answer "down", not a hung health check. Errors are reduced to a
 * short kind ("timeout", "connection refused", "HTTP 503") so no URL, user or secret leaks.
 */

export interface DependencyHealth {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: { database: DependencyHealth; scalekit: DependencyHealth };
  checkedAt: string;
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

export async function checkHealth(deps: HealthDeps = {}): Promise<HealthReport> {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const client = deps.db ?? getDb();
  const scalekitUrl = deps.scalekitUrl ?? getEnv().SCALEKIT_ENVIRONMENT_URL;
  const [database, scalekit] = await Promise.all([
    timed(() => client.$queryRaw`SELECT 1`, timeoutMs),
    timed(async (signal) => {
      const res = await fetch(`${scalekitUrl}/.well-known/openid-configuration`, { signal, headers: { accept: 'application/json' } });
      await res.arrayBuffer();
      if (!res.ok) throw new HttpStatusError(res.status);
    }, timeoutMs),
  ]);
  return { status: database.ok && scalekit.ok ? 'ok' : 'degraded', checks: { database, scalekit }, checkedAt: new Date().toISOString() };
}
