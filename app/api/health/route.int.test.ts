import { describe, expect, it } from 'vitest';
import { startAuthStack, TEST_APP_URL } from '@/lib/auth/test-support';
import { signedInSession } from '@/lib/session/testing';
import { GET } from './route';

/** What /api/health answers, as far as these tests read it. */
interface HealthBody {
  status?: string;
  scope?: string;
  checks: Record<string, { ok: boolean; latencyMs?: number } | undefined>;
  error?: { code: string; message: string };
}

// A budget reached in a few requests, and a token for the detailed check; lib/env.ts reads both on first use.
const BUDGET = 5;
const TOKEN = 'health-token-for-tests-0123456789abcdef';
process.env.RATE_LIMIT_HEALTH_PER_MINUTE = String(BUDGET);
process.env.HEALTH_CHECK_TOKEN = TOKEN;
delete process.env.TRUSTED_PROXY_HOPS;
const stack = await startAuthStack();
const { prisma } = stack.db;

/**
 * Counts requests at the emulator, on the paths a health check or any SDK call would reach
 * (discovery, and the token endpoint every management call starts with): a delay-only fault is
 * consumed by each request, so what is left says how many arrived.
 */
async function scalekitCalls() {
  const targets = ['/.well-known/openid-configuration', '/oauth/token'];
  // The oldest matching fault is consumed first: start from none so these are the ones counting.
  await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
  const ids: string[] = [];
  for (const target of targets) {
    const res = await fetch(`${stack.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target, count: 1000, delayMs: 0 }),
    });
    ids.push(((await res.json()) as { id: string }).id);
  }
  return async (): Promise<number> => {
    const list = (await (await fetch(`${stack.emulator.url}/_emulator/faults`)).json()) as Array<{ id: string; remaining: number }>;
    return ids.reduce((sum, id) => sum + 1000 - (list.find((f) => f.id === id)?.remaining ?? 0), 0);
  };
}

function health(ip: string, headers: Record<string, string> = {}): Promise<Response> {
  return GET(new Request(`${TEST_APP_URL}/api/health`, { headers: { 'x-forwarded-for': ip, ...headers } }));
}

async function cookieFor(userId: string, organizationId: string): Promise<string> {
  return (await signedInSession(userId, organizationId)).cookie;
}

describe('GET /api/health (real PostgreSQL, emulator counting calls)', () => {
  it(`health_anonymousCheap: ${BUDGET} anonymous hits cause 0 Scalekit calls; the next one past the budget gets 429 + Retry-After`, async () => {
    const calls = await scalekitCalls();
    const ip = '198.51.100.10';
    for (let i = 0; i < BUDGET; i++) {
      const res = await health(ip);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/no-store/);
      const body = (await res.json()) as HealthBody;
      expect(body).toMatchObject({ status: 'ok', scope: 'basic', checks: { database: { ok: true, latencyMs: expect.any(Number) } } });
      expect(body.checks.scalekit).toBeUndefined();
    }
    expect(await calls()).toBe(0);

    const refused = await health(ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringMatching(/^Too many health checks from this address\. Retry after \d+ seconds?\.$/),
      },
    });
    // A spoofed entry on the left is not another client behind our one proxy.
    expect((await health(`10.9.9.9, ${ip}`)).status).toBe(429);
    // Another client is not held back.
    expect((await health('198.51.100.11')).status).toBe(200);
    expect(await calls()).toBe(0);
  });

  it('health_detailedToken: with HEALTH_CHECK_TOKEN the check reports Scalekit and its latency; a wrong token gets 401 and no Scalekit call', async () => {
    const calls = await scalekitCalls();
    const detailed = await health('198.51.100.20', { authorization: `Bearer ${TOKEN}` });
    expect(detailed.status).toBe(200);
    expect(await detailed.json()).toMatchObject({
      status: 'ok',
      scope: 'detailed',
      checks: { database: { ok: true, latencyMs: expect.any(Number) }, scalekit: { ok: true, latencyMs: expect.any(Number) } },
    });
    expect(await calls()).toBe(1);

    for (const wrong of [
      `Bearer ${TOKEN.slice(0, -1)}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}${TOKEN}`,
      `Basic ${TOKEN}`,
      'Bearer ',
    ]) {
      const res = await health('198.51.100.21', { authorization: wrong });
      expect(res.status, wrong).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as HealthBody;
      expect(body).toEqual({ error: { code: 'invalid_health_token', message: expect.stringContaining('HEALTH_CHECK_TOKEN') } });
      expect(JSON.stringify(body)).not.toContain(TOKEN);
    }
    expect(await calls()).toBe(1);
  });

  it('health_detailedAdmin: a signed-in admin gets the detailed check, a signed-in member the basic one', async () => {
    const calls = await scalekitCalls();
    const admin = await health('198.51.100.30', { cookie: await cookieFor('usr_ada', 'org_acme') });
    expect(await admin.json()).toMatchObject({ scope: 'detailed', checks: { scalekit: { ok: true } } });
    const member = await health('198.51.100.31', { cookie: await cookieFor('usr_max', 'org_acme') });
    const body = (await member.json()) as HealthBody;
    expect(body).toMatchObject({ status: 'ok', scope: 'basic' });
    expect(body.checks.scalekit).toBeUndefined();
    expect(await calls()).toBe(1);
  });

  it('health_limiterDown: when the rate-limit table cannot be written, health still answers from the database check instead of failing', async () => {
    await prisma.$executeRawUnsafe('ALTER TABLE "RateLimitBucket" RENAME TO "RateLimitBucketAway"');
    try {
      const res = await health('198.51.100.40');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', scope: 'basic' });
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE "RateLimitBucketAway" RENAME TO "RateLimitBucket"');
    }
  });
});
