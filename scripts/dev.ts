import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPrismaClient } from '@/lib/db';
import { describeSeedResult, readDemoSeed, seedDemoData } from '@/prisma/seed';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';

/**
 * `npm run dev`: everything a developer needs, one command, one Ctrl-C.
 *
 *   1. PostgreSQL: DATABASE_URL if set, else the embedded PostgreSQL with its data in .pgdata/
 *   2. `prisma migrate deploy` (the stock CLI), then the demo seed (it only adds what is
 *      missing: a restart keeps the user's changes; `npm run db:reset` goes back to the demo)
 *   3. the Scalekit emulator (once emulator/src/index.ts exists), its state kept in .emulator-data/
 *   4. `next dev` with the database and emulator in its environment
 *
 * Ports: PORT (app, 3000), EMULATOR_PORT (8787), EMBEDDED_DB_PORT (54329), so two checkouts can
 * run side by side. Data folders: EMBEDDED_DB_DATA_DIR (.pgdata) and EMULATOR_DATA_DIR
 * (.emulator-data), relative to the checkout, so a test (e2e/dev-restart.spec.ts) can run a
 * stack of its own on throw-away data. Ctrl-C stops next dev first, then the emulator, then the
 * database.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const fromRoot = (path: string) => fileURLToPath(new URL(path, new URL('..', import.meta.url)));

function portFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (!text) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`[dev] ${name} must be a port number (1–65535), got "${text}".`);
    process.exit(2);
  }
  return port;
}

const APP_PORT = portFromEnv('PORT', 3000);
const EMULATOR_PORT = portFromEnv('EMULATOR_PORT', 8787);
const EMBEDDED_DB_PORT = portFromEnv('EMBEDDED_DB_PORT', 54329);
const APP_URL = process.env.APP_URL || `http://localhost:${APP_PORT}`;
/** Where a data folder lives: the variable (absolute, or relative to the checkout), else the default under the checkout. */
const dataDirFromEnv = (name: string, fallback: string) => resolve(ROOT, process.env[name] || fallback);
const EMBEDDED_DB_DATA_DIR = dataDirFromEnv('EMBEDDED_DB_DATA_DIR', '.pgdata');
const EMULATOR_DATA_DIR = dataDirFromEnv('EMULATOR_DATA_DIR', '.emulator-data');
/** For messages: `.pgdata/` in the checkout, the full path (with its slash) elsewhere. */
const shown = (dir: string) => {
  const inside = relative(ROOT, dir);
  return `${inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : dir}/`;
};

const say = (line: string) => console.log(`[dev] ${line}`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

interface Emulator {
  url: string;
  close(): Promise<void>;
}

const running: { database?: EmbeddedPostgres; emulator?: Emulator; worker?: RunningWorker; children: Set<ChildProcess> } = {
  children: new Set(),
};
let stopping: Promise<void> | undefined;

class Interrupted extends Error {}

function assertNotStopping(): void {
  if (stopping) throw new Interrupted();
}

/** Run a node script to completion; output goes straight to the terminal. */
function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
    running.children.add(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      running.children.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`\`${args.slice(1).join(' ')}\` failed (${signal ?? `exit code ${code}`}).`));
    });
  });
}

const prismaCli = (args: string[], env: NodeJS.ProcessEnv) => runNode([fromRoot('node_modules/prisma/build/index.js'), ...args], env);

/** Stop a child and everything it spawned (next dev runs workers), politely first. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      child.kill(signal);
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function shutdown(exitCode: number): Promise<void> {
  stopping ??= (async () => {
    say('Stopping…');
    await Promise.allSettled([...running.children].map(stopChild));
    if (running.worker) await running.worker.stop().catch((e) => say(`Job worker did not stop cleanly: ${String(e)}`));
    if (running.emulator) await running.emulator.close().catch((e) => say(`Emulator did not close cleanly: ${String(e)}`));
    if (running.database) await running.database.stop().catch((e) => say(`Embedded database did not close cleanly: ${String(e)}`));
    say('Stopped.');
    process.exit(exitCode);
  })();
  return stopping;
}

async function startDatabase(): Promise<string> {
  if (process.env.DATABASE_URL) {
    const { hostname, port, pathname } = new URL(process.env.DATABASE_URL);
    say(`Using DATABASE_URL (${hostname}:${port || 5432}${pathname}).`);
    return process.env.DATABASE_URL;
  }
  const started = Date.now();
  const dir = shown(EMBEDDED_DB_DATA_DIR);
  say(`Starting the embedded PostgreSQL (data in ${dir}, log in ${dir}postgres.log) on 127.0.0.1:${EMBEDDED_DB_PORT}…`);
  running.database = await startEmbeddedPostgres({ dataDir: EMBEDDED_DB_DATA_DIR, port: EMBEDDED_DB_PORT, onProgress: say });
  say(`Embedded PostgreSQL ready in ${seconds(started)}.`);
  return running.database.url;
}

/** Returns whether the database was empty (everything in it was just created from the seed). */
async function seed(url: string): Promise<boolean> {
  const prisma = createPrismaClient({ connectionString: url, max: 2 });
  try {
    const result = await seedDemoData(prisma, readDemoSeed());
    say(describeSeedResult(result));
    return result.created > 0 && result.kept === 0;
  } finally {
    await prisma.$disconnect();
  }
}

async function startEmulator(freshDatabase: boolean): Promise<Emulator | undefined> {
  const entry = fromRoot('emulator/src/index.ts');
  if (!existsSync(entry)) {
    say('No emulator yet (emulator/src/index.ts); the app will use SCALEKIT_ENVIRONMENT_URL as is.');
    return undefined;
  }
  const { createEmulator } = (await import(pathToFileURL(entry).href)) as {
    createEmulator(options: { port: number; seedPath: string; persistPath: string; appUrl: string }): Promise<Emulator>;
  };
  mkdirSync(EMULATOR_DATA_DIR, { recursive: true });
  const persistPath = join(EMULATOR_DATA_DIR, 'state.json');
  if (freshDatabase && existsSync(persistPath)) {
    // Its users and invitations belong to a database that is gone (deleted .pgdata/, a new
    // DATABASE_URL): start both halves from the same seed, or logins land on missing rows.
    say(`The database is new, so the emulator starts from the seed too (its earlier state in ${shown(EMULATOR_DATA_DIR)} is set aside).`);
    renameSync(persistPath, `${persistPath}.old`);
  }
  running.emulator = await createEmulator({
    port: EMULATOR_PORT,
    seedPath: fromRoot('emulator/seeds/demo.json'),
    persistPath,
    // The seed's client is registered for localhost:3000; on another PORT the callback,
    // invitation links and webhooks must point at this app, not at whatever runs on 3000.
    appUrl: APP_URL,
  });
  say(`Scalekit emulator on ${running.emulator.url} (mailbox: ${running.emulator.url}/_emulator/mailbox).`);
  return running.emulator;
}

function startNext(env: NodeJS.ProcessEnv): ChildProcess {
  // Its own process group, so a stop reaches next's workers too.
  const child = spawn(process.execPath, [fromRoot('node_modules/next/dist/bin/next'), 'dev', '--port', String(APP_PORT)], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
    detached: true,
  });
  running.children.add(child);
  child.on('exit', (code, signal) => {
    running.children.delete(child);
    if (!stopping) {
      say(`next dev exited (${signal ?? `exit code ${code}`}).`);
      void shutdown(code ?? 1);
    }
  });
  return child;
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!existsSync(fromRoot('lib/generated/prisma/client.ts'))) {
    say('Generating the Prisma client…');
    await prismaCli(['generate'], process.env);
  }
  assertNotStopping();

  const databaseUrl = await startDatabase();
  assertNotStopping();
  const dbEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };

  say('Applying migrations (prisma migrate deploy)…');
  await prismaCli(['migrate', 'deploy'], dbEnv);
  assertNotStopping();

  const freshDatabase = await seed(databaseUrl);
  assertNotStopping();

  const emulator = await startEmulator(freshDatabase);
  assertNotStopping();

  const appEnv: NodeJS.ProcessEnv = { ...dbEnv, APP_URL };
  if (emulator && !process.env.SCALEKIT_ENVIRONMENT_URL) appEnv.SCALEKIT_ENVIRONMENT_URL = emulator.url;
  // Background jobs (docs/jobs.md) run in this process, with the app's environment.
  Object.assign(process.env, appEnv);
  running.worker = await startWorker({ poolSize: 2 });
  say(`Job worker running (${running.worker.queues.join(', ')}).`);
  assertNotStopping();

  say(`Starting next dev on http://localhost:${APP_PORT} (setup took ${seconds(started)}). Press Ctrl-C to stop everything.`);
  startNext(appEnv);
}

process.on('SIGINT', () => void shutdown(130));
// The terminal closed: next dev and the database run in process groups of their own and would
// not get its hang-up, so stop them here.
process.on('SIGHUP', () => void shutdown(129));
// A crash in here (the emulator runs in this process) must not orphan next dev.
process.on('uncaughtException', (error) => {
  say(`Unexpected error: ${error.stack ?? error.message}`);
  void shutdown(1);
});
process.on('unhandledRejection', (reason) => {
  say(`Unexpected error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  void shutdown(1);
});
process.on('SIGTERM', () => void shutdown(143));

main().catch((error: unknown) => {
  if (error instanceof Interrupted) return;
  say(error instanceof Error ? error.message : String(error));
  void shutdown(1);
});
