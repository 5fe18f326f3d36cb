import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/test/database';
import { consumeRateLimit } from '@/lib/rate-limit/limiter';
import { pruneExpiredRateLimitBuckets, RateLimitPruneError } from '@/lib/rate-limit/prune';

const { prisma, url } = await useTestDatabase();

const MINUTE = 60_000;

/** `count` buckets named `${prefix}:${i}` whose window ends `offsetMs` from now (negative: already ended). */
async function buckets(prefix: string, count: number, offsetMs: number): Promise<void> {
  await prisma.rateLimitBucket.createMany({
    data: Array.from({ length: count }, (_, i) => ({ key: `${prefix}:${i}`, count: 1, resetAt: new Date(Date.now() + offsetMs) })),
  });
}

const keysWith = async (prefix: string) =>
  (await prisma.rateLimitBucket.findMany({ where: { key: { startsWith: `${prefix}:` } }, select: { key: true } })).length;

beforeEach(async () => {
  await prisma.rateLimitBucket.deleteMany();
});

describe('pruneExpiredRateLimitBuckets', () => {
  it('deletes every window that ended before the grace period, in bounded batches, and keeps live and recently ended ones', async () => {
    await buckets('spoofed', 23, -30 * MINUTE);
    await buckets('live', 5, +MINUTE);
    await buckets('just-ended', 4, -MINUTE); // inside the 5-minute grace

    const result = await pruneExpiredRateLimitBuckets({ graceSeconds: 300, batchSize: 5 });

    // 23 rows in batches of at most 5: 5+5+5+5+3, the short batch says "nothing left".
    expect(result).toEqual({ deleted: 23, batches: 5, more: false });
    expect(await keysWith('spoofed')).toBe(0);
    expect(await keysWith('live')).toBe(5);
    expect(await keysWith('just-ended')).toBe(4);
  });

  it('stops after maxBatches and reports more to do; the next run carries on from there', async () => {
    await buckets('spoofed', 12, -30 * MINUTE);
    await buckets('live', 3, +MINUTE);

    expect(await pruneExpiredRateLimitBuckets({ graceSeconds: 60, batchSize: 4, maxBatches: 2 })).toEqual({
      deleted: 8,
      batches: 2,
      more: true,
    });
    expect(await keysWith('spoofed')).toBe(4);

    expect(await pruneExpiredRateLimitBuckets({ graceSeconds: 60, batchSize: 4, maxBatches: 2 })).toMatchObject({ deleted: 4 });
    expect(await keysWith('spoofed')).toBe(0);
    expect(await keysWith('live')).toBe(3);
  });

  it('keeps the budgets of real limits working: a pruned key simply starts a new window, a live one keeps its count', async () => {
    const rule = { name: 't:prune', limit: 2, windowSeconds: 60 };
    await consumeRateLimit(rule, 'busy');
    await consumeRateLimit(rule, 'busy');
    await prisma.rateLimitBucket.create({ data: { key: 't:prune:gone', count: 99, resetAt: new Date(Date.now() - 2 * 3600_000) } });

    expect((await pruneExpiredRateLimitBuckets({ graceSeconds: 60 })).deleted).toBe(1);

    expect((await consumeRateLimit(rule, 'busy')).allowed).toBe(false);
    expect(await consumeRateLimit(rule, 'gone')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('never waits on a row another transaction holds: it skips it now and deletes it on a later run', async () => {
    await buckets('spoofed', 6, -30 * MINUTE);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM "RateLimitBucket" WHERE "key" = 'spoofed:0' FOR UPDATE`);
      // A DELETE that waited for the lock would still be running when the timer fires.
      const pruning = pruneExpiredRateLimitBuckets({ graceSeconds: 60, batchSize: 2 });
      const outcome = await Promise.race([pruning, new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 3_000))]);
      expect(outcome).toEqual({ deleted: 5, batches: 3, more: false });
      expect(await prisma.rateLimitBucket.findUnique({ where: { key: 'spoofed:0' } })).not.toBeNull();
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    expect((await pruneExpiredRateLimitBuckets({ graceSeconds: 60 })).deleted).toBe(1);
    expect(await keysWith('spoofed')).toBe(0);
  });

  it('refuses nonsense options with a message naming the option, deleting nothing', async () => {
    await buckets('spoofed', 2, -30 * MINUTE);
    await expect(pruneExpiredRateLimitBuckets({ batchSize: 0 })).rejects.toThrow(RateLimitPruneError);
    await expect(pruneExpiredRateLimitBuckets({ batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(pruneExpiredRateLimitBuckets({ graceSeconds: -1 })).rejects.toThrow(/graceSeconds/);
    await expect(pruneExpiredRateLimitBuckets({ maxBatches: 1.5 })).rejects.toThrow(/maxBatches/);
    expect(await keysWith('spoofed')).toBe(2);
  });
});
