import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '@/lib/db';
import { readDemoSeed, seedDemoData } from '@/prisma/seed';
import { prismaCli } from '@/test/database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

// What `npm run dev` does with no DATABASE_URL: PGlite over the wire protocol,
// migrated by the stock CLI, seeded, then used by the app with a pool of 1.

const dataDir = mkdtempSync(join(tmpdir(), 'teamgate-pglite-'));
let server: EmbeddedPostgres | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('starts, migrates with `prisma migrate deploy`, seeds, and serves concurrent queries with a pool of 1', async () => {
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
    expect(server.url).toMatch(/^postgresql:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres$/);

    const deploy = await prismaCli(['migrate', 'deploy'], server.url);
    expect(deploy.stdout).toContain('All migrations have been successfully applied.');
    const status = await prismaCli(['migrate', 'status'], server.url);
    expect(status.stdout).toContain('Database schema is up to date!');
    // Introspecting PostgreSQL 18's catalog (its "char" and name columns) and
    // replaying the migrations into an in-memory PGlite shadow database.
    for (const from of [['--from-config-datasource'], ['--from-migrations', 'prisma/migrations']]) {
      const diff = await prismaCli(['migrate', 'diff', ...from, '--to-schema', 'prisma/schema.prisma', '--exit-code'], server.url);
      expect(diff.stdout).toContain('No difference detected.');
    }

    const prisma = createPrismaClient({ connectionString: server.url, max: 1 });
    try {
      const seed = readDemoSeed();
      expect((await seedDemoData(prisma, seed)).created).toBeGreaterThan(0);
      expect((await seedDemoData(prisma, seed)).created).toBe(0);

      // 40 operations at once, a quarter of them transactions, all through one connection.
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 4 === 0
            ? prisma.$transaction(async (tx) => {
                await tx.rateLimitBucket.create({ data: { key: `k${i}`, count: 1, resetAt: new Date() } });
                return tx.rateLimitBucket.count();
              })
            : prisma.membership.count({ where: { organizationId: 'org_acme' } }),
        ),
      );
      expect(results.filter((_, i) => i % 4 !== 0).every((n) => n === 4)).toBe(true);
      expect(await prisma.rateLimitBucket.count()).toBe(10);

      // An SQL error must not cost the single connection (PGlite would refuse the reconnect).
      await expect(prisma.organization.create({ data: { id: 'org_acme', name: 'Duplicate' } })).rejects.toThrow();
      expect(await prisma.organization.count()).toBe(2);
    } finally {
      await prisma.$disconnect();
    }
  }, 180_000); // PGlite (wasm) start + migrate + seed: seconds alone, much longer on a busy 2-core CI box

  it('keeps the data in its directory across restarts', async () => {
    await server!.stop();
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
    const prisma = createPrismaClient({ connectionString: server.url, max: 1 });
    try {
      expect(await prisma.user.count()).toBe(readDemoSeed().users.length);
    } finally {
      await prisma.$disconnect();
    }
  }, 180_000); // PGlite (wasm) start + migrate + seed: seconds alone, much longer on a busy 2-core CI box

  it('refuses to start on a port that is taken, before touching the data directory', async () => {
    await expect(startEmbeddedPostgres({ dataDir: join(dataDir, 'never-created'), port: server!.port })).rejects.toThrow(/already in use/);
  });
});
