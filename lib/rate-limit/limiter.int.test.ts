import { describe, expect, it } from 'vitest';
import { createPrismaClient, setDb } from '@/lib/db';
import { useTestDatabase } from '@/test/database';
import { consumeRateLimit, pruneRateLimits, rateLimitHeaders } from '@/lib/rate-limit/limiter';

const { prisma, url } = await useTestDatabase();

describe('consumeRateLimit', () => {
  it('allows up to the limit in a window, then refuses with a Retry-After', async () => {
    const rule = { name: 't:basic', limit: 3, windowSeconds: 60 };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await consumeRateLimit(rule, 'ip-1'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results[2]!.remaining).toBe(0);
    const headers = rateLimitHeaders(results[3]!);
    expect(Number(headers['Retry-After'])).toBeGreaterThan(0);
    expect(Number(headers['Retry-After'])).toBeLessThanOrEqual(60);
    // Another subject has its own budget.
    expect((await consumeRateLimit(rule, 'ip-2')).allowed).toBe(true);
  });

  it('starts a new window once the old one has ended', async () => {
    const rule = { name: 't:window', limit: 1, windowSeconds: 60 };
    expect((await consumeRateLimit(rule, 's')).allowed).toBe(true);
    expect((await consumeRateLimit(rule, 's')).allowed).toBe(false);
    await prisma.rateLimitBucket.update({ where: { key: 't:window:s' }, data: { resetAt: new Date(Date.now() - 1000) } });
    expect((await consumeRateLimit(rule, 's')).allowed).toBe(true);
  });

  it('holds across instances: two separate clients (two app processes) share one budget, with no over-admission under concurrency', async () => {
    // A second pool stands for a second app instance talking to the same database.
    const other = createPrismaClient({ connectionString: url, max: 4 });
    const rule = { name: 't:shared', limit: 10, windowSeconds: 60 };
    const mine = Array.from({ length: 15 }, () => consumeRateLimit(rule, 'org'));
    setDb(other);
    const theirs = Array.from({ length: 15 }, () => consumeRateLimit(rule, 'org'));
    const all = await Promise.all([...mine, ...theirs]);
    setDb(prisma);
    await other.$disconnect();
    expect(all.filter((r) => r.allowed)).toHaveLength(10);
  });

  it('prunes only long-expired windows', async () => {
    await prisma.rateLimitBucket.create({ data: { key: 'old', count: 1, resetAt: new Date(Date.now() - 2 * 3600_000) } });
    await prisma.rateLimitBucket.create({ data: { key: 'fresh', count: 1, resetAt: new Date(Date.now() + 60_000) } });
    expect(await pruneRateLimits()).toBe(1);
    expect(await prisma.rateLimitBucket.findUnique({ where: { key: 'fresh' } })).not.toBeNull();
  });
});
