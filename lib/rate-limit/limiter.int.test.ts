import { describe, expect, it } from 'vitest';
import { createPrismaClient, setDb } from '@/lib/db';
import { useTestDatabase } from '@/test/database';
import { consumeRateLimit, rateLimitHeaders, reserveRateLimits } from '@/lib/rate-limit/limiter';

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
});

describe('reserveRateLimits', () => {
  const admin = { name: 't:admin', limit: 5, windowSeconds: 60 };
  const org = { name: 't:org', limit: 8, windowSeconds: 3600 };

  it('grants what every budget has room for and counts only the grant', async () => {
    const first = await reserveRateLimits(
      [
        { rule: admin, subject: 'a1' },
        { rule: org, subject: 'o1' },
      ],
      3,
    );
    expect(first).toMatchObject({ granted: 3, limitedBy: null });
    // The admin has 2 left: a chunk of 4 gets 2, and says which budget held it back.
    const second = await reserveRateLimits(
      [
        { rule: admin, subject: 'a1' },
        { rule: org, subject: 'o1' },
      ],
      4,
    );
    expect(second.granted).toBe(2);
    expect(second.limitedBy).toEqual(admin);
    expect(second.retryAfterSeconds).toBeGreaterThan(0);
    expect(second.retryAfterSeconds).toBeLessThanOrEqual(60);
    const rows = await prisma.rateLimitBucket.findMany({ where: { key: { in: ['t:admin:a1', 't:org:o1'] } }, orderBy: { key: 'asc' } });
    expect(rows.map((r) => r.count)).toEqual([5, 5]);
  });

  it("a refusal by the organization's budget does not use up the admin's", async () => {
    const tiny = { name: 't:org-tiny', limit: 1, windowSeconds: 3600 };
    expect(
      (
        await reserveRateLimits(
          [
            { rule: admin, subject: 'a2' },
            { rule: tiny, subject: 'o2' },
          ],
          1,
        )
      ).granted,
    ).toBe(1);
    const refused = await reserveRateLimits(
      [
        { rule: admin, subject: 'a2' },
        { rule: tiny, subject: 'o2' },
      ],
      1,
    );
    expect(refused).toMatchObject({ granted: 0, limitedBy: tiny });
    expect(refused.retryAfterSeconds).toBeGreaterThan(60);
    expect((await prisma.rateLimitBucket.findUnique({ where: { key: 't:admin:a2' } }))!.count).toBe(1);
  });

  it('never over-admits when instances reserve concurrently', async () => {
    const other = createPrismaClient({ connectionString: url, max: 4 });
    const shared = { name: 't:race', limit: 7, windowSeconds: 60 };
    const checks = [
      { rule: shared, subject: 'x' },
      { rule: org, subject: 'race-org' },
    ];
    const mine = Array.from({ length: 6 }, () => reserveRateLimits(checks, 2));
    setDb(other);
    const theirs = Array.from({ length: 6 }, () => reserveRateLimits(checks, 2));
    const all = await Promise.all([...mine, ...theirs]);
    setDb(prisma);
    await other.$disconnect();
    expect(all.reduce((sum, r) => sum + r.granted, 0)).toBe(7);
  });
});
