#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, for machines that cannot
// download it. prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here, so the
// stock CLI (`prisma migrate …`, `db …`, `generate`) spawns this script and
// talks to it exactly as it would to the binary. Underneath runs Prisma's own
// WebAssembly build of the same engine over @prisma/adapter-pg.
//
// Plain JavaScript on purpose: the CLI spawns it directly, without tsx.
// It leans on Prisma internals, so it is pinned to one engines hash and covered
// by prisma/engine/schema-engine.test.ts — re-run that on every Prisma upgrade
// (docs/prisma-offline.md).

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** JSON-RPC error code the CLI expects for every engine error. */
const ENGINE_ERROR = 4466;
/** Exit status of a panicking Rust binary; the CLI reports it as a crash. */
const PANIC_EXIT = 101;

// The package exports no ./package.json; locate it through an exported file.
const wasmPackageDir = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/schema_engine_bg\.js$/, '');
const wasmVersion = JSON.parse(readFileSync(`${wasmPackageDir}package.json`, 'utf8')).version;
/** The engines hash this build of the engine was compiled from (the part after the last dot). */
const wasmEnginesHash = wasmVersion.slice(wasmVersion.lastIndexOf('.') + 1);

// ---------------------------------------------------------------------------
// Logging in the binary's format: one JSON object per line on stderr.

function logLine(level, target, fields) {
  process.stderr.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target })}\n`);
}

/**
 * The engine's own messages never contain the password, but driver errors can
 * echo connection strings; strip credentials from anything we print.
 */
function redact(text, ...urls) {
  let out = String(text);
  for (const url of urls) if (url) out = out.split(url).join('<REDACTED>');
  return out.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1<REDACTED>@');
}

// ---------------------------------------------------------------------------
// Command line, as passed by the CLI (see docs/prisma-offline.md).

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, previewFeatures: [], extensionTypes: undefined, version: false, cli: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '--version':
      case '-V':
        args.version = true;
        break;
      case '--datamodels':
      case '-d':
        args.datamodels.push(value());
        break;
      case '--datasource':
        args.datasource = JSON.parse(value());
        break;
      case '--enabled-preview-features':
        args.previewFeatures = value().split(',').filter(Boolean);
        break;
      case '--extension-types':
        args.extensionTypes = JSON.parse(value());
        break;
      case 'cli':
        args.cli = argv[++i];
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return args;
}

// ---------------------------------------------------------------------------
// Connection URLs and plain `pg` access for what the wasm engine does not do
// (creating and dropping databases, choosing a shadow database).

async function loadPg() {
  return (await import('pg')).default;
}

function databaseName(url) {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name || 'postgres';
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function hostPort(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

function quoteIdent(name) {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The binary's user-facing errors for the connection failures the CLI branches on. */
function connectionError(error, url) {
  const at = hostPort(url);
  const code = error && typeof error === 'object' ? error.code : undefined;
  if (code === '3D000') {
    return { error_code: 'P1003', message: `Database \`${databaseName(url)}\` does not exist on the database server at \`${at}\`.` };
  }
  if (code === '28P01' || code === '28000') {
    const user = decodeURIComponent(new URL(url).username || 'postgres');
    return {
      error_code: 'P1000',
      message: `Authentication failed against database server, the provided database credentials for \`${user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${at}\`.`,
    };
  }
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return { error_code: 'P1000', message: redact(error.message, url) };
  }
  return {
    error_code: 'P1001',
    message: `Can't reach database server at \`${at}\`\n\nPlease make sure your database server is running at \`${at}\`.`,
  };
}

async function withClient(url, fn) {
  const pg = await loadPg();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Connect to the maintenance database of the same server (the target may not exist yet). */
async function withMaintenanceClient(url, fn) {
  const target = databaseName(url);
  const candidates = ['postgres', 'template1'].filter((db) => db !== target);
  let lastError;
  for (const db of candidates) {
    try {
      return await withClient(withDatabase(url, db), fn);
    } catch (error) {
      if (error?.code !== '3D000') throw error;
      lastError = error;
    }
  }
  throw lastError;
}

async function createDatabase(url) {
  const name = databaseName(url);
  await withMaintenanceClient(url, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  return name;
}

async function dropDatabase(url) {
  const name = databaseName(url);
  await withMaintenanceClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`));
  return name;
}

// ---------------------------------------------------------------------------
// One-shot mode: `schema-engine --datasource {...} cli <command>`.

async function runCliCommand(command, datasource) {
  const url = datasource?.url;
  // The CLI discards the first stderr line of a one-shot command.
  logLine('INFO', 'schema_engine_cli', { message: `Starting schema engine stand-in (${wasmEnginesHash})` });
  if (!url) {
    logLine('ERROR', 'schema_engine::logger', {
      is_panic: false,
      error_code: 'P1012',
      message: 'No datasource URL was given (--datasource {"url": …}).',
    });
    return 1;
  }
  try {
    switch (command) {
      case 'can-connect-to-database':
        await withClient(url, (client) => client.query('SELECT 1'));
        return 0;
      case 'create-database':
        process.stdout.write(`Database '${await createDatabase(url)}' was successfully created.\n`);
        return 0;
      case 'drop-database':
        process.stdout.write(`The database '${await dropDatabase(url)}' was successfully dropped.\n`);
        return 0;
      default:
        logLine('ERROR', 'schema_engine::logger', { is_panic: false, message: `Unknown cli command: ${command}` });
        return 1;
    }
  } catch (error) {
    logLine('ERROR', 'schema_engine::logger', { is_panic: false, ...connectionError(error, url) });
    return 1;
  }
}

// ---------------------------------------------------------------------------
// The WebAssembly engine. Its package is built for bundlers (it `import`s the
// .wasm file), which Node 20 cannot load, so instantiate it by hand.

let panicMessage;

async function loadWasmEngine() {
  globalThis.PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message) {
      panicMessage = message;
    },
  };
  const bindings = await import(pathToFileURL(`${wasmPackageDir}schema_engine_bg.js`).href);
  const bytes = readFileSync(`${wasmPackageDir}schema_engine_bg.wasm`);
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bindings;
}

// ---------------------------------------------------------------------------
// Driver adapter around @prisma/adapter-pg, with the fixes the engine needs.

const CATALOG_NAME_OID = 19; // PostgreSQL `name`
const CATALOG_CHAR_OID = 18; // PostgreSQL `"char"`
const TEXT_OID = 25;
const charColumnsByRows = new WeakMap();

/**
 * Patch one adapter or transaction object in place:
 * - `name` columns are presented as text: adapter-pg's mapping of them breaks
 *   the engine's introspection queries (prisma/prisma#27403).
 * - `"char"` columns are reported as Character: adapter-pg rejects the type,
 *   and reporting them as text makes the engine panic on PostgreSQL 18 (PGlite).
 * - a script runs as ONE simple-protocol query, like the native engine does,
 *   instead of adapter-pg's split on every `;` (which breaks on a `;` inside a
 *   string, comment or function body).
 */
function patchQueryable(queryable, ColumnTypeEnum) {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    const charColumns = [];
    result.fields?.forEach((field, index) => {
      if (field.dataTypeID === CATALOG_NAME_OID) field.dataTypeID = TEXT_OID;
      else if (field.dataTypeID === CATALOG_CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        charColumns.push(index);
      }
    });
    if (charColumns.length) charColumnsByRows.set(result.rows, charColumns);
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  if (typeof queryable.executeScript === 'function') {
    queryable.executeScript = async (script) => {
      try {
        await queryable.client.query(script);
      } catch (error) {
        queryable.onError(error);
      }
    };
  }
  if (typeof queryable.startTransaction === 'function') {
    const startTransaction = queryable.startTransaction.bind(queryable);
    queryable.startTransaction = async (...args) => patchQueryable(await startTransaction(...args), ColumnTypeEnum);
  }
  return queryable;
}

/** An in-memory PGlite served on a random port: the shadow database when the main one is PGlite. */
async function startPgliteShadow() {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

async function emptyDatabase(adapter) {
  const { rows } = await adapter.performIO({
    sql: "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
    args: [],
    argTypes: [],
  });
  const drops = rows.map(([schema]) => `DROP SCHEMA ${quoteIdent(String(schema))} CASCADE;`).join('\n');
  await adapter.executeScript(`${drops}\nCREATE SCHEMA "public";`);
}

function sameDatabase(a, b) {
  const x = new URL(a);
  const y = new URL(b);
  return x.hostname === y.hostname && (x.port || '5432') === (y.port || '5432') && databaseName(a) === databaseName(b);
}

/**
 * A pg.Pool whose `query` keeps the connection after an SQL error. pg-pool
 * closes the connection on ANY query error, and the engine routinely runs
 * queries that fail (e.g. probing for _prisma_migrations). PGlite accepts one
 * connection at a time, so the reconnect races the closing socket and is
 * refused. After an SQL error (an ErrorResponse) the session is still usable;
 * only a broken connection is dropped.
 */
function sessionKeepingPool(pg) {
  return class SessionKeepingPool extends pg.Pool {
    async query(config, values) {
      const client = await this.connect();
      const ignore = () => {};
      client.on('error', ignore);
      let broken;
      try {
        return await client.query(config, values);
      } catch (error) {
        if (!(error instanceof pg.DatabaseError)) broken = error;
        throw error;
      } finally {
        client.removeListener('error', ignore);
        client.release(broken);
      }
    }
  };
}

async function createAdapterFactory({ url, shadowDatabaseUrl }) {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { ColumnTypeEnum } = await import('@prisma/driver-adapter-utils');

  const pg = await loadPg();
  const adapterFor = async (poolOrConfig) => patchQueryable(await new PrismaPg(poolOrConfig).connect(), ColumnTypeEnum);
  const connectTo = (connectionString) => adapterFor({ connectionString, max: 1 });

  // Every connection the engine asks for shares ONE pool of ONE connection,
  // like the native engine's single connection: its session-level advisory
  // lock must be released on the connection that took it, and PGlite accepts
  // no second connection at all.
  const mainPool = new (sessionKeepingPool(pg))({ connectionString: url, max: 1 });
  mainPool.on('error', () => {});
  const connectMain = () => adapterFor(mainPool);

  /** Wrap an adapter so disposing it also runs `cleanup` (dropping a temporary database, stopping PGlite). */
  const disposing = (adapter, cleanup) => {
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose();
      } finally {
        await cleanup();
      }
    };
    return adapter;
  };

  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: connectMain,
    // adapter-pg's own version spreads {...config, database}, but `pg` lets
    // connectionString win, so its "shadow" database is the main one. Choose
    // and clean up the shadow database here instead.
    async connectToShadowDb() {
      if (shadowDatabaseUrl) {
        if (sameDatabase(shadowDatabaseUrl, url)) {
          throw new Error('The shadow database URL must point to a different database than the main URL (it is emptied on every use).');
        }
        const shadow = await connectTo(shadowDatabaseUrl);
        await emptyDatabase(shadow);
        return shadow;
      }
      const admin = await connectMain();
      const releaseAdmin = () => admin.dispose();
      const { rows } = await admin.performIO({ sql: 'SELECT version()', args: [], argTypes: [] });
      if (String(rows[0]?.[0]).includes('PGlite')) {
        // PGlite serves one database over one connection: use a second,
        // in-memory PGlite instead.
        await releaseAdmin();
        const pglite = await startPgliteShadow();
        return disposing(await connectTo(pglite.url), () => pglite.stop());
      }
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      const dropShadow = () => admin.executeScript(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      try {
        await admin.executeScript(`CREATE DATABASE ${quoteIdent(name)}`);
        const shadow = await connectTo(withDatabase(url, name));
        return disposing(shadow, async () => {
          try {
            await dropShadow();
          } finally {
            await releaseAdmin();
          }
        });
      } catch (error) {
        await dropShadow().catch(() => {});
        await releaseAdmin();
        throw error;
      }
    },
  };
}

// ---------------------------------------------------------------------------
// Server mode: JSON-RPC 2.0 over stdin/stdout, one message per line.

/** Error codes for the engine's user-facing errors: the wasm build returns the message only. */
const KNOWN_ERRORS = [
  [/^Authentication failed against database server/, 'P1000'],
  [/^Can't reach database server/, 'P1001'],
  [/^The database server was reached but timed out/, 'P1002'],
  [/^Database `[^`]*` does not exist/, 'P1003'],
  [/^User was denied access/, 'P1010'],
  [/^The database schema is not empty/, 'P3005'],
  [/failed to apply cleanly to the shadow database/, 'P3006'],
  [/^migrate found failed migrations/, 'P3009'],
  [/^A migration failed to apply/, 'P3018'],
];

// The wasm engine's `evaluateDataLoss` and `createMigration` compute the
// schema of the migration history on the main connection, which its
// PostgreSQL connector refuses ("shadow DB must be provided through an
// external factory"); only `diff` goes through the adapter factory's shadow
// database. So when the engine refuses, derive both answers from `diff`.
const NO_SHADOW_FACTORY = /shadow DB must be provided through an external factory/;

function diffFromMigrations(engine, { migrationsList, schema, filters }) {
  return engine.diff({
    from: { tag: 'migrations', ...migrationsList },
    to: { tag: 'schemaDatamodel', files: schema.files },
    script: true,
    exitCode: null,
    filters: filters ?? { externalTables: [], externalEnums: [] },
  });
}

/** Step headers the engine writes above each statement group ("-- CreateTable"). */
function countSteps(script) {
  return (script.match(/^-- [A-Z][A-Za-z]+$/gm) ?? []).length;
}

/** The destructive-change warnings the engine writes at the top of a migration script. */
function scriptWarnings(script) {
  const block = /^\/\*\s*\n\s*Warnings:\s*\n([\s\S]*?)\*\//m.exec(script);
  if (!block) return [];
  return block[1]
    .split(/\n\s*- /)
    .map((item) =>
      item
        .replace(/^\s*- /, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean)
    .map((message) => ({ message, stepIndex: 0 }));
}

function migrationTimestamp(date = new Date()) {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const shadowFallbacks = {
  async evaluateDataLoss(engine, input) {
    const script = (await diffFromMigrations(engine, input)).stdout ?? '';
    // Reported as warnings whatever the data: the CLI then asks before
    // applying, where the native engine would first look at the rows.
    return { migrationSteps: countSteps(script), unexecutableSteps: [], warnings: scriptWarnings(script) };
  },
  async createMigration(engine, input) {
    const script = (await diffFromMigrations(engine, input)).stdout ?? '';
    const empty = countSteps(script) === 0;
    const name = input.migrationName
      .trim()
      .replace(/[^A-Za-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '');
    return {
      connectorType: 'postgresql',
      generatedMigrationName: name ? `${migrationTimestamp()}_${name}` : migrationTimestamp(),
      migrationScript: empty && !input.draft ? null : script,
      extension: 'sql',
    };
  },
};

function errorCodeFor(message) {
  return KNOWN_ERRORS.find(([pattern]) => pattern.test(message))?.[1];
}

async function serve(args) {
  const datasource = args.datasource ?? {};
  const url = datasource.url;
  const bindings = await loadWasmEngine();
  const expectedHash = require('@prisma/engines-version').enginesVersion;
  if (bindings.version() !== expectedHash) {
    logLine('ERROR', 'schema_engine::logger', {
      is_panic: false,
      message: `Engine mismatch: the Prisma CLI expects engines ${expectedHash} but @prisma/schema-engine-wasm is ${wasmVersion}. Install the @prisma/schema-engine-wasm build for this Prisma version (see docs/prisma-offline.md).`,
    });
    return 1;
  }
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');

  const datamodels = args.datamodels.map((path) => [path, readFileSync(path, 'utf8')]);
  let enginePromise;
  const engine = () => {
    if (!url)
      throw Object.assign(new Error('No datasource URL is configured (set datasource.url in prisma.config.ts).'), { errorCode: 'P1012' });
    enginePromise ??= (async () =>
      bindings.SchemaEngine.new(
        { datamodels: datamodels.length ? datamodels : undefined },
        // The engine's tracing output, already JSON lines like the binary's.
        (line) => {
          for (const text of String(line).split('\n')) if (text.trim()) process.stderr.write(`${text.trim()}\n`);
        },
        bindMigrationAwareSqlAdapterFactory(await createAdapterFactory(datasource)),
      ))();
    return enginePromise;
  };

  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  let nextRequestId = 1;
  const pendingRequests = new Map();
  /** Ask the CLI to print something (that is how the binary returns `migrate diff` output). */
  const print = (content) =>
    new Promise((resolve) => {
      const id = `stand-in-print-${nextRequestId++}`;
      pendingRequests.set(id, resolve);
      send({ jsonrpc: '2.0', id, method: 'print', params: { content } });
    });

  const handlers = {
    async getDatabaseVersion(params) {
      return (await engine()).version(params ?? undefined);
    },
    async createDatabase(params) {
      const target = params?.datasource?.tag === 'ConnectionString' ? params.datasource.url : url;
      if (!target) throw new Error('No database URL to create.');
      return { databaseName: await createDatabase(target) };
    },
    async diff(params) {
      const result = await (await engine()).diff(params);
      if (result.stdout) await print(result.stdout.replace(/\n$/, ''));
      return { exitCode: result.exitCode, stdout: null };
    },
  };
  for (const [method, fallback] of Object.entries(shadowFallbacks)) {
    handlers[method] = async (params) => {
      const instance = await engine();
      try {
        return await instance[method](params);
      } catch (error) {
        if (!(error instanceof Error) || !NO_SHADOW_FACTORY.test(error.message)) throw error;
        return fallback(instance, params);
      }
    };
  }
  const engineMethods = [
    'applyMigrations',
    'dbExecute',
    'devDiagnostic',
    'diagnoseMigrationHistory',
    'ensureConnectionValidity',
    'introspect',
    'introspectSql',
    'markMigrationApplied',
    'markMigrationRolledBack',
    'reset',
    'schemaPush',
  ];
  for (const method of engineMethods) {
    handlers[method] = async (params) => {
      const result = await (await engine())[method](params ?? {});
      return result === undefined ? {} : result;
    };
  }
  handlers.debugPanic = async () => (await engine()).debugPanic();

  const panic = (message, requestId) => {
    const text = message ?? 'The schema engine panicked.';
    if (requestId !== undefined) {
      send({
        jsonrpc: '2.0',
        id: requestId,
        error: {
          code: ENGINE_ERROR,
          message: 'An error happened. Check the data field for details.',
          data: { is_panic: true, message: text, backtrace: '' },
        },
      });
    }
    logLine('ERROR', 'schema_engine::panic', { message: text, backtrace: '' });
    process.exitCode = PANIC_EXIT;
    // A panicked wasm instance cannot be used again: exit like the binary.
    process.stdout.write('', () => process.exit(PANIC_EXIT));
  };

  // The wasm engine must not be re-entered while a call is in flight, so
  // requests run one after another.
  let queue = Promise.resolve();
  const handle = async (request) => {
    const { id, method, params } = request;
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    if (!handler) {
      send({ jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${method}` } });
      return;
    }
    panicMessage = undefined;
    try {
      const result = await handler(params);
      send({ jsonrpc: '2.0', id, result: result ?? {} });
    } catch (error) {
      if (panicMessage !== undefined || error instanceof WebAssembly.RuntimeError) {
        panic(panicMessage ?? String(error), id);
        return;
      }
      const message = redact(error instanceof Error ? error.message : String(error), url, datasource.shadowDatabaseUrl);
      const error_code = error?.errorCode ?? errorCodeFor(message);
      send({
        jsonrpc: '2.0',
        id,
        error: {
          code: ENGINE_ERROR,
          message: 'An error happened. Check the data field for details.',
          data: { is_panic: false, message, ...(error_code ? { error_code } : {}) },
        },
      });
    }
  };

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    // A response from the CLI to one of our `print` requests.
    if (message.method === undefined && pendingRequests.has(message.id)) {
      pendingRequests.get(message.id)();
      pendingRequests.delete(message.id);
      return;
    }
    queue = queue.then(() => handle(message));
  });
  await new Promise((resolve) => lines.once('close', resolve));
  await queue;
  if (enginePromise) {
    // Let go of the engine's connection pools so the process can exit.
    const engineInstance = await enginePromise.catch(() => undefined);
    engineInstance?.free();
  }
  return 0;
}

// ---------------------------------------------------------------------------

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`schema-engine stand-in: ${error.message}\n`);
    return 1;
  }
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${wasmEnginesHash}\n`);
    return 0;
  }
  if (args.cli) return runCliCommand(args.cli, args.datasource);
  return serve(args);
}

main().then(
  (code) => {
    process.exitCode = code;
    // Open pg pools inside the wasm engine would keep the process alive.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (error) => {
    logLine('ERROR', 'schema_engine::logger', { is_panic: false, message: redact(error?.stack ?? String(error)) });
    process.exit(1);
  },
);
