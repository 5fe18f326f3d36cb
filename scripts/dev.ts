import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPrismaClient } from '@/lib/db';
import { describeSeedResult, readDemoSeed, seedDemoData } from '@/prisma/seed';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/**
 * `npm run dev`: everything a developer needs, one command, one Ctrl-C.
 *
 *   1. PostgreSQL: DATABASE_URL if set, else the embedded PGlite in .pglite/
 *   2. `prisma migrate deploy` (the stock CLI), then the demo seed
 *   3. the Scalekit emulator (once emulator/src/index.ts exists)
 *   4. `next dev` with the database and emulator in its environment
 *
 * Steps run one after another because the embedded database serves a single
 * connection: the migration, the seed and the app take turns.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const fromRoot = (path: string) => fileURLToPath(new URL(path, new URL('..', import.meta.url)));
const EMBEDDED_PORT = 54329;
const EMULATOR_PORT = 8787;
const APP_PORT = Number(process.env.PORT || 3000);

const say = (line: string) => console.log(`[dev] ${line}`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

interface Emulator {
  url: string;
  close(): Promise<void>;
}

const running: { database?: EmbeddedPostgres; emulator?: Emulator; children: Set<ChildProcess> } = { children: new Set() };
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
    if (running.emulator) await running.emulator.close().catch((e) => say(`Emulator did not close cleanly: ${String(e)}`));
    if (running.database) await running.database.stop().catch((e) => say(`Embedded database did not close cleanly: ${String(e)}`));
    say('Stopped.');
    process.exit(exitCode);
  })();
  return stopping;
}

async function startDatabase(): Promise<{ url: string; poolMax?: string }> {
  if (process.env.DATABASE_URL) {
    const { hostname, port, pathname } = new URL(process.env.DATABASE_URL);
    say(`Using DATABASE_URL (${hostname}:${port || 5432}${pathname}).`);
    return { url: process.env.DATABASE_URL };
  }
  const started = Date.now();
  say(`Starting the embedded PostgreSQL (PGlite, data in .pglite/) on 127.0.0.1:${EMBEDDED_PORT}…`);
  running.database = await startEmbeddedPostgres({ dataDir: fromRoot('.pglite'), port: EMBEDDED_PORT });
  say(`Embedded PostgreSQL ready in ${seconds(started)}.`);
  // PGlite serves one connection: the app's pool must not ask for more.
  return { url: running.database.url, poolMax: '1' };
}

async function seed(url: string): Promise<void> {
  const prisma = createPrismaClient({ connectionString: url, max: 1 });
  try {
    say(describeSeedResult(await seedDemoData(prisma, readDemoSeed())));
  } finally {
    await prisma.$disconnect();
  }
}

async function startEmulator(): Promise<Emulator | undefined> {
  const entry = fromRoot('emulator/src/index.ts');
  if (!existsSync(entry)) {
    say('No emulator yet (emulator/src/index.ts); the app will use SCALEKIT_ENVIRONMENT_URL as is.');
    return undefined;
  }
  const { createEmulator } = (await import(pathToFileURL(entry).href)) as {
    createEmulator(options: { port: number; seedPath: string; persistPath: string }): Promise<Emulator>;
  };
  mkdirSync(fromRoot('.emulator-data'), { recursive: true });
  running.emulator = await createEmulator({
    port: EMULATOR_PORT,
    seedPath: fromRoot('emulator/seeds/demo.json'),
    persistPath: fromRoot('.emulator-data/state.json'),
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

  const database = await startDatabase();
  assertNotStopping();
  const dbEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, ...(database.poolMax ? { DATABASE_POOL_MAX: database.poolMax } : {}) };

  say('Applying migrations (prisma migrate deploy)…');
  await prismaCli(['migrate', 'deploy'], dbEnv);
  assertNotStopping();

  await seed(database.url);
  assertNotStopping();

  const emulator = await startEmulator();
  assertNotStopping();

  const appEnv: NodeJS.ProcessEnv = { ...dbEnv };
  if (emulator && !process.env.SCALEKIT_ENVIRONMENT_URL) appEnv.SCALEKIT_ENVIRONMENT_URL = emulator.url;
  say(`Starting next dev on http://localhost:${APP_PORT} (setup took ${seconds(started)}). Press Ctrl-C to stop everything.`);
  startNext(appEnv);
}

process.on('SIGINT', () => void shutdown(130));
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
