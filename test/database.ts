import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createPrismaClient, setDb, type PrismaClient } from '@/lib/db';

/**
 * Integration tests run against a real PostgreSQL server: TEST_DATABASE_URL,
 * or the local one at postgresql://postgres@127.0.0.1:5432/postgres. That URL
 * is only the admin connection; every test file gets a database of its own.
 *
 * The migrations are applied once, with the stock `prisma migrate deploy`,
 * into a template database named after a hash of prisma/migrations, and each
 * file's database is a copy of it (CREATE DATABASE … TEMPLATE …, a file copy:
 * milliseconds instead of seconds). Test files therefore run in parallel
 * without seeing each other's rows, and a changed migration gets a new template.
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PRISMA_CLI = join(ROOT, 'node_modules/prisma/build/index.js');
const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const TEMPLATE_PREFIX = 'teamgate_tpl_';
const TEST_DB_PREFIX = 'teamgate_test_';

export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_ADMIN_URL;
}

export function databaseUrl(database: string, base: string = adminUrl()): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

function describeServer(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

export class TestDatabaseUnavailableError extends Error {
  override name = 'TestDatabaseUnavailableError';
}

/** Run `fn` with a connection to the admin database; a clear message when there is no server. */
export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = adminUrl();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TestDatabaseUnavailableError(
      `Integration tests need PostgreSQL, but ${describeServer(url)} is not reachable (${reason}).\n` +
        `Start the local server (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) ` +
        `or set TEST_DATABASE_URL to an admin connection string, e.g. postgresql://postgres@127.0.0.1:5432/postgres.`,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Name the template after everything that decides its contents. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  const dir = join(ROOT, 'prisma/migrations');
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    hash.update(entry.name);
    hash.update(readFileSync(join(dir, entry.name, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The committed migration whose folder ends in `_<suffix>`, for tests of what it does to existing
 * rows: `before` applies every earlier migration's SQL on `client` (an empty database), `apply` this one.
 */
export function migrationUnderTest(suffix: string): {
  name: string;
  before(client: pg.Client): Promise<void>;
  apply(client: pg.Client): Promise<void>;
} {
  const dir = join(ROOT, 'prisma/migrations');
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const name = names.find((n) => n.endsWith(`_${suffix}`));
  if (!name) throw new Error(`No migration named *_${suffix} in prisma/migrations`);
  const sql = (n: string) => readFileSync(join(dir, n, 'migration.sql'), 'utf8');
  return {
    name,
    async before(client) {
      for (const earlier of names.slice(0, names.indexOf(name))) await client.query(sql(earlier));
    },
    async apply(client) {
      await client.query(sql(name));
    },
  };
}

/** Run the stock Prisma CLI against `databaseUrl` (through the offline engine stand-in). */
export async function prismaCli(args: string[], url: string): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [PRISMA_CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
}

let templatePromise: Promise<string> | undefined;

/**
 * The migrated template for the current migrations, built on first use. Test
 * files in parallel workers (and concurrent runs) serialise on an advisory
 * lock; the template is built under a temporary name and renamed when
 * complete, so a crash never leaves a half-migrated template behind.
 */
export function migratedTemplate(): Promise<string> {
  templatePromise ??= withAdmin(async (client) => {
    const template = `${TEMPLATE_PREFIX}${migrationsHash()}`;
    if (await databaseExists(client, template)) return template;
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [TEMPLATE_PREFIX]);
    try {
      if (await databaseExists(client, template)) return template;
      const building = `${template}_${randomBytes(4).toString('hex')}`;
      await client.query(`CREATE DATABASE ${quoteIdent(building)}`);
      try {
        await prismaCli(['migrate', 'deploy'], databaseUrl(building));
        await client.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(template)}`);
      } catch (error) {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`).catch(() => {});
        throw error;
      }
      // Templates of earlier migration sets are dropped, except the newest few (database oids
      // grow with creation): other checkouts on other branches, running tests on this server at
      // the same time, may still be copying theirs.
      const stale = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'teamgate\\_tpl\\_%' AND datname <> $1 ORDER BY oid DESC OFFSET 4",
        [template],
      );
      for (const { datname } of stale.rows) {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)}`).catch(() => {});
      }
      return template;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [TEMPLATE_PREFIX]);
    }
  });
  templatePromise.catch(() => {
    templatePromise = undefined;
  });
  return templatePromise;
}

export interface TestDatabase {
  /** Connection string of this file's own database. */
  url: string;
  name: string;
  /** A client for it, also installed as lib/db's shared client. */
  prisma: PrismaClient;
  /** Disconnect and drop the database (done automatically after the file's tests). */
  drop(): Promise<void>;
}

const OBJECT_IN_USE = '55006';

/** A new, empty database (no migrations) that the caller must drop. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${TEST_DB_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

async function cloneTemplate(template: string): Promise<string> {
  const name = `${TEST_DB_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => {
    // Cloning fails while anyone is connected to the template (e.g. another
    // run still renaming it); that passes within moments.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  });
  return name;
}

/**
 * An empty database for the enclosing describe block: created before its tests, dropped after.
 * Read `url` and `name` inside tests or hooks registered after this call (before then it throws).
 */
export function useEmptyDatabase(): { readonly name: string; readonly url: string } {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>> | undefined;
  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  const created = () => {
    if (!database) throw new Error('useEmptyDatabase: read before its beforeAll ran');
    return database;
  };
  return {
    get name() {
      return created().name;
    },
    get url() {
      return created().url;
    },
  };
}
/**
 * A fresh, migrated database for the calling test file, dropped after its
 * tests. Also makes lib/db's `db`/`getDb()` use it, and sets DATABASE_URL for
 * code that reads the environment itself (set before lib/env is first read).
 *
 *   const { prisma, url } = await useTestDatabase();
 */
export async function useTestDatabase({ poolSize = 4 }: { poolSize?: number } = {}): Promise<TestDatabase> {
  const name = await cloneTemplate(await migratedTemplate());
  const url = databaseUrl(name);
  const prisma = createPrismaClient({ connectionString: url, max: poolSize });
  process.env.DATABASE_URL = url;
  setDb(prisma);

  let dropped: Promise<void> | undefined;
  const drop = () => {
    dropped ??= (async () => {
      setDb(undefined);
      await prisma.$disconnect();
      await dropDatabase(name);
    })();
    return dropped;
  };
  afterAll(drop);
  return { url, name, prisma, drop };
}
