/**
 * Playwright's webServer: serves the production build with `next start` on E2E_PORT (3100).
 *
 * Builds first when .next is missing or older than the sources, so `npx playwright test` works
 * on a fresh clone and never tests a stale build. E2E_SKIP_BUILD=1 trusts whatever .next holds
 * (CI after `npm run build`); E2E_FORCE_BUILD=1 always rebuilds.
 *
 * Before the app: a fresh test database and an emulator (stack.ts), torn down on exit. Beside
 * it: a job worker process (scripts/worker.ts) on the same database, which sends bulk invites.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startE2eStack } from './stack';
import { E2E_APP_LOG_FILE, E2E_DIST_DIR, E2E_PORT, e2eServerEnv } from './test-env';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const buildId = join(root, E2E_DIST_DIR, 'BUILD_ID');
// Under node_modules so it is git-ignored, and outside .next, which next build clears.
const buildLock = join(root, 'node_modules', '.cache', `teamgate-e2e-build-${E2E_PORT}.lock`);

const SOURCE_DIRS = ['app', 'components', 'lib'];
const SOURCE_FILES = [
  'middleware.ts',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];

/**
 * Newest modification time among the files that change the build (tests excluded). Directory
 * mtimes count too: deleting a page changes only its directory's.
 */
function newestSourceMtime(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (!/\.test\.tsx?$/.test(path)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(join(root, dir));
  for (const file of SOURCE_FILES) visit(join(root, file));
  return newest;
}

function buildIsStale(): boolean {
  if (!existsSync(buildId)) return true;
  return statSync(buildId).mtimeMs < newestSourceMtime();
}

/** mkdir is atomic: two e2e runs started together must not both write .next at once. */
async function withBuildLock(fn: () => void): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(join(buildLock, '..'), { recursive: true });
      mkdirSync(buildLock);
      break;
    } catch {
      const age = Date.now() - (statSync(buildLock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) rmSync(buildLock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another build to finish (${buildLock}).`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    fn();
  } finally {
    rmSync(buildLock, { recursive: true, force: true });
  }
}

const appLog = createWriteStream(E2E_APP_LOG_FILE, { flags: 'w' });

/** Every line to the log file; to the console only what is not a routine JSON log line below warn. */
function teeAppOutput(from: NodeJS.ReadableStream, console: NodeJS.WritableStream): void {
  let pending = '';
  from.on('data', (chunk: Buffer) => {
    appLog.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const level = /^\{.*"level":"(\w+)"/.exec(line)?.[1];
      if (!level || level === 'warn' || level === 'error' || level === 'fatal') console.write(`${line}\n`);
    }
  });
}

async function main(): Promise<void> {
  const env = e2eServerEnv();
  const mustBuild = process.env.E2E_FORCE_BUILD === '1' || (process.env.E2E_SKIP_BUILD !== '1' && buildIsStale());
  if (mustBuild) {
    await withBuildLock(() => {
      // Re-check inside the lock: another run may have just built.
      if (process.env.E2E_FORCE_BUILD !== '1' && !buildIsStale()) return;
      console.log('[e2e] building the app (next build)…');
      const result = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, env, stdio: 'inherit' });
      if (result.status !== 0) {
        console.error('[e2e] next build failed');
        process.exit(result.status ?? 1);
      }
    });
  }

  const stack = await startE2eStack();
  console.log(`[e2e] database ready, emulator at ${stack.emulatorUrl}`);
  console.log(`[e2e] next start on port ${E2E_PORT}`);
  const server = spawn(process.execPath, [nextBin, 'start', '-p', String(E2E_PORT)], {
    cwd: root,
    env: { ...env, DATABASE_URL: stack.databaseUrl, SCALEKIT_ENVIRONMENT_URL: stack.emulatorUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  teeAppOutput(server.stdout!, process.stdout);
  teeAppOutput(server.stderr!, process.stderr);
  // The job worker, as production runs it beside the app (`npm run worker`): bulk invites are sent there.
  console.log('[e2e] job worker (scripts/worker.ts)');
  const worker = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: root,
    env: { ...env, DATABASE_URL: stack.databaseUrl, SCALEKIT_ENVIRONMENT_URL: stack.emulatorUrl, DATABASE_POOL_MAX: '4' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  teeAppOutput(worker.stdout!, process.stdout);
  teeAppOutput(worker.stderr!, process.stderr);
  // Set once the stack is being stopped: the worker then exits on purpose (Playwright's signal reaches it
  // as well as ours, and a second signal makes it exit 1 without waiting for its jobs).
  let stopping = false;
  worker.on('exit', (code, signal) => {
    // A worker that dies mid-run would leave every bulk test waiting: say so, loudly.
    if (!stopping && server.exitCode === null && code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT')
      console.error(`[e2e] the job worker exited (${code ?? signal})`);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    if (worker.exitCode === null && !worker.killed) worker.kill(signal);
    if (server.exitCode === null) server.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.on('exit', (code, signal) => {
    stopping = true;
    // One signal only: a second one tells the worker to exit without letting its jobs finish.
    if (worker.exitCode === null && !worker.killed) worker.kill('SIGTERM');
    void stack.stop().finally(() => process.exit(code ?? (signal ? 0 : 1)));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
