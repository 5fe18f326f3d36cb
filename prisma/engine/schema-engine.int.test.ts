import { spawn, execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useEmptyDatabase, databaseUrl, withAdmin } from '@/test/database';

// The stand-in must speak the native schema-engine binary's protocol exactly
// as the Prisma CLI reads it (docs/prisma-offline.md). These tests drive it
// the way the CLI does, against real PostgreSQL.

const ENGINE = fileURLToPath(new URL('./schema-engine.mjs', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../schema.prisma', import.meta.url));
const run = promisify(execFile);

interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function oneShot(url: string, command: string): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ENGINE, '--datasource', JSON.stringify({ url }), 'cli', command], {
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The CLI ignores the first stderr line and reads the rest as JSON log lines. */
function errorFields(stderr: string): { error_code?: string; message: string } | undefined {
  const lines = stderr
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line));
  return lines.find((l) => l.level === 'ERROR' && l.target === 'schema_engine::logger')?.fields;
}

/** A stand-in in server mode, with a JSON-RPC client that answers `print` requests like the CLI. */
function startServer(url: string) {
  const child = spawn(process.execPath, [ENGINE, '--datamodels', SCHEMA, '--datasource', JSON.stringify({ url })], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const printed: string[] = [];
  const stderrLines: string[] = [];
  const waiting = new Map<number, (message: Record<string, unknown>) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line);
    if (message.method === 'print') {
      printed.push(message.params.content);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: {} })}\n`);
      return;
    }
    waiting.get(message.id)?.(message);
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderrLines.push(line));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let nextId = 1;
  return {
    printed,
    stderrLines,
    exited,
    call(method: string, params?: unknown): Promise<Record<string, unknown>> {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    },
    async stop(): Promise<number | null> {
      child.stdin.end();
      return exited;
    },
  };
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** prisma/migrations as the CLI sends it to the engine. */
function migrationsList() {
  const directories = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: readFileSync(join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((path) => ({
      path,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(MIGRATIONS_DIR, path, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

function schemaFiles() {
  return [{ path: SCHEMA, content: readFileSync(SCHEMA, 'utf8') }];
}

const noFilter = { externalTables: [], externalEnums: [] };

describe('schema-engine stand-in', () => {
  const empty = useEmptyDatabase();

  it('reports the engines hash the Prisma CLI expects', async () => {
    const { stdout } = await run(process.execPath, [ENGINE, '--version'], { encoding: 'utf8' });
    const { enginesVersion } = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../node_modules/@prisma/engines-version/package.json', import.meta.url)), 'utf8'),
    ).prisma;
    expect(stdout.trim()).toBe(`schema-engine-cli ${enginesVersion}`);
  });

  it('can-connect-to-database succeeds on a reachable database', async () => {
    const outcome = await oneShot(empty.url, 'can-connect-to-database');
    expect(outcome.code).toBe(0);
  });

  it('reports P1001 for an unreachable server, P1003 for a missing database', async () => {
    const unreachable = await oneShot('postgresql://postgres@127.0.0.1:1/postgres', 'can-connect-to-database');
    expect(unreachable.code).toBe(1);
    expect(errorFields(unreachable.stderr)?.error_code).toBe('P1001');

    const missing = await oneShot(databaseUrl('teamgate_no_such_db'), 'can-connect-to-database');
    expect(missing.code).toBe(1);
    expect(errorFields(missing.stderr)).toMatchObject({ error_code: 'P1003', message: expect.stringContaining('teamgate_no_such_db') });
  });

  it('never prints the password of the connection string', async () => {
    const outcome = await oneShot('postgresql://postgres:hunter2-secret@127.0.0.1:1/postgres', 'can-connect-to-database');
    expect(outcome.stderr + outcome.stdout).not.toContain('hunter2-secret');
  });

  it('creates and drops a database in one-shot mode', async () => {
    const name = `teamgate_test_oneshot_${process.pid}`;
    const url = databaseUrl(name);
    try {
      expect((await oneShot(url, 'create-database')).code).toBe(0);
      expect(await withAdmin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount)).toBe(1);
      expect((await oneShot(url, 'drop-database')).code).toBe(0);
      expect(await withAdmin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount)).toBe(0);
    } finally {
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}"`));
    }
  });

  it('answers JSON-RPC requests, returning diff output through a print request', async () => {
    const server = startServer(empty.url);
    try {
      const version = await server.call('getDatabaseVersion');
      expect(version.result).toMatch(/PostgreSQL \d+/);

      const diff = await server.call('diff', {
        from: { tag: 'empty' },
        to: { tag: 'schemaDatamodel', files: schemaFiles() },
        script: true,
        exitCode: true,
        filters: noFilter,
      });
      expect(diff.result).toEqual({ exitCode: 2, stdout: null });
      expect(server.printed.join('\n')).toContain('CREATE TABLE "Membership"');

      const history = await server.call('diagnoseMigrationHistory', {
        migrationsList: migrationsList(),
        optInToShadowDatabase: false,
        filters: noFilter,
      });
      expect(history.result).toMatchObject({
        hasMigrationsTable: false,
        history: { diagnostic: 'databaseIsBehind', unappliedMigrationNames: migrationsList().migrationDirectories.map((d) => d.path) },
      });

      const unknown = await server.call('noSuchMethod');
      expect(unknown.error).toMatchObject({ code: -32601 });

      expect(await server.stop()).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('returns engine errors as code 4466 with the user-facing message and code', async () => {
    const server = startServer('postgresql://postgres@127.0.0.1:1/postgres');
    try {
      const reply = await server.call('ensureConnectionValidity', { datasource: { tag: 'ConnectionString', url: 'ignored' } });
      expect(reply.error).toMatchObject({
        code: 4466,
        data: { is_panic: false, error_code: 'P1001', message: expect.stringContaining("Can't reach database server") },
      });
    } finally {
      await server.stop();
    }
  });

  it('reports a Rust panic like the binary: is_panic, a panic log line, exit 101', async () => {
    const server = startServer(empty.url);
    const reply = await server.call('debugPanic');
    expect(reply.error).toMatchObject({ code: 4466, data: { is_panic: true, message: expect.stringContaining('artificial panic') } });
    expect(await server.exited).toBe(101);
    expect(server.stderrLines.map((l) => JSON.parse(l)).some((l) => l.target === 'schema_engine::panic')).toBe(true);
  });

  it('uses a throwaway shadow database and removes it afterwards', async () => {
    const server = startServer(empty.url);
    try {
      const reply = await server.call('diff', {
        from: { tag: 'migrations', ...migrationsList() },
        to: { tag: 'schemaDatamodel', files: schemaFiles() },
        script: false,
        exitCode: true,
        filters: noFilter,
      });
      // The migrations replayed into the shadow database match the schema.
      expect(reply.result).toEqual({ exitCode: 0, stdout: null });
    } finally {
      await server.stop();
    }
    const leftovers = await withAdmin(
      async (c) => (await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'")).rows,
    );
    expect(leftovers).toEqual([]);
  });
});
