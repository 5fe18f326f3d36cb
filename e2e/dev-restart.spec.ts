import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { EmulatorPages } from './pages/emulator-pages';
import { toast } from './pages/invitations';
import { SettingsPage } from './pages/settings-page';
import { TeamPage } from './pages/team-page';
import { isListening } from './support/server-process';

/**
 * Issue 15, item 1: a restart of `npm run dev` never changes the user's data. The seed runs on
 * every start and once reset an admin's seat limit, wiped the allowed domains and brought a
 * removed member back as "Pending".
 *
 * The real command, not the e2e stack: `npm run dev` on ports of its own (app 3211, emulator
 * 8801, database 54351) with its database and emulator state in a fresh temporary folder
 * (EMBEDDED_DB_DATA_DIR, EMULATOR_DATA_DIR). An admin changes the settings and removes a member
 * in the browser, the stack is stopped with Ctrl-C (SIGINT to its process group, as a terminal
 * sends it) and must leave nothing running, then it starts again on the same data and the
 * browser must show exactly what the admin left. The config's webServer (the production e2e
 * stack) is not used here.
 */

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const APP_PORT = 3211;
const EMULATOR_PORT = 8801;
const DB_PORT = 54351;
const PORTS = [APP_PORT, EMULATOR_PORT, DB_PORT];
const APP_URL = `http://localhost:${APP_PORT}`;
const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;

const ACME = 'org_acme';
const ADMIN = 'ada@acme.test';
const REMOVED = 'max@acme.test';
/** The seed says 25 seats and no domain rule: values a re-applied seed would put back. */
const SEAT_LIMIT = '40';
const DOMAINS = 'acme.test\nconsultant.test';

/** next dev compiles each route on its first request: a minute or more on this 2-core machine. */
const COMPILE_TIMEOUT = 120_000;

/** Every process of the stack inherits this variable, so leftovers are found by it, whatever their process group. */
const MARKER = `TEAMGATE_DEV_RESTART_RUN=${randomBytes(6).toString('hex')}`;

interface DevStack {
  child: ChildProcess;
  output: string[];
  exited: Promise<void>;
}

let stack: DevStack | undefined;
/** The stack's data (database cluster, emulator state), made fresh in beforeAll. */
let dataRoot = '';

/** What would point the dev stack at another app, database or emulator, or change how it runs. */
const NOT_PASSED_ON = /^(NODE_ENV|NODE_OPTIONS|DATABASE_URL|APP_URL|NEXT_DIST_DIR|SESSION_SECRET|LOG_LEVEL)$|^(SCALEKIT_|E2E_|RATE_LIMIT_)/;

/** The environment of the test run, minus NOT_PASSED_ON, plus the stack's ports, data folders and MARKER. */
function devEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (NOT_PASSED_ON.test(name)) delete env[name];
  const [markerName, markerValue] = MARKER.split('=') as [string, string];
  return Object.assign(env, {
    PORT: String(APP_PORT),
    EMULATOR_PORT: String(EMULATOR_PORT),
    EMBEDDED_DB_PORT: String(DB_PORT),
    EMBEDDED_DB_DATA_DIR: join(dataRoot, 'pgdata'),
    EMULATOR_DATA_DIR: join(dataRoot, 'emulator'),
    NEXT_TELEMETRY_DISABLED: '1',
    [markerName]: markerValue,
  });
}

/** Live processes started by this spec's stacks (found by MARKER in their environment). */
function stackProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(MARKER)) pids.push(Number(entry));
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return pids;
}

function tail(output: string[], lines = 40): string {
  return output.join('').trimEnd().split('\n').slice(-lines).join('\n');
}

/** `npm run dev` in a process group of its own (as in a terminal, where Ctrl-C signals the whole group). */
function spawnStack(): DevStack {
  const child = spawn('npm', ['run', 'dev'], { cwd: ROOT, env: devEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { child, output, exited };
}

/** Spawns the stack and resolves, with the seconds it took, once the app answers its landing page. */
async function startStack(): Promise<number> {
  for (const port of PORTS) expect(isListening(port), `port ${port} is free before the start`).toBe(false);
  const started = Date.now();
  stack = spawnStack();
  const { child, output } = stack;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`npm run dev exited (${child.signalCode ?? child.exitCode}) before the app answered:\n${tail(output)}`);
    }
    const res = await fetch(`${APP_URL}/`, { redirect: 'manual', signal: AbortSignal.timeout(COMPILE_TIMEOUT) }).catch(() => null);
    if (res?.status === 200) return (Date.now() - started) / 1000;
    if (Date.now() - started > COMPILE_TIMEOUT)
      throw new Error(`The app did not answer within ${COMPILE_TIMEOUT / 1000} s:\n${tail(output)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Ctrl-C, then wait until every process of the stack is gone and its ports are free. */
async function stopStack(): Promise<void> {
  const { child, output, exited } = stack!;
  process.kill(-child.pid!, 'SIGINT');
  await exited;
  await expect
    .poll(() => ({ processes: stackProcesses().length, listening: PORTS.filter(isListening) }), {
      message: `everything the stack started has exited:\n${tail(output)}`,
      timeout: 30_000,
    })
    .toEqual({ processes: 0, listening: [] });
  expect(tail(output, 5)).toContain('[dev] Stopped.');
  stack = undefined;
}

/** The email-code sign-in, with the emulator's mailbox of this stack; `returnTo` is compiled on the way. */
async function signIn(page: Page, returnTo: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`/api/auth/login?${new URLSearchParams({ login_hint: ADMIN, returnTo })}`);
  await new EmulatorPages(page, EMULATOR_URL).completeEmailCode(ADMIN);
  await page.waitForURL((url) => url.origin === APP_URL && url.pathname === returnTo, { timeout: COMPILE_TIMEOUT });
}

test.use({ baseURL: APP_URL, navigationTimeout: COMPILE_TIMEOUT });

test.beforeAll(() => {
  dataRoot = mkdtempSync(join(tmpdir(), 'teamgate-dev-restart-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its folder.
  chmodSync(dataRoot, 0o755);
});

test.afterAll(async () => {
  // A failed run: stop what is left, politely first, then by pid (next dev and PostgreSQL run in groups of their own).
  if (stack && stack.child.exitCode === null && stack.child.signalCode === null) {
    process.kill(-stack.child.pid!, 'SIGINT');
    await Promise.race([stack.exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
  const deadline = Date.now() + 15_000;
  while (stackProcesses().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  for (const pid of stackProcesses()) process.kill(pid, 'SIGKILL');
  if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
});

test('a restart of npm run dev keeps the changed settings and the removed member', async ({ page }) => {
  // A cold start compiles every page on demand: about 2 min on this busy 2-core machine, 40 s once .next/dev holds its cache.
  test.setTimeout(5 * 60_000);
  const settings = new SettingsPage(page);
  const team = new TeamPage(page);

  const firstStart = await startStack();
  await signIn(page, `/orgs/${ACME}/settings`);
  await settings.goto(ACME);
  // The seed's values, so the change below is a change.
  await expect(settings.seatLimit).toHaveValue('25');
  await expect(settings.domains).toHaveValue('');
  await settings.submit({ seatLimit: SEAT_LIMIT, domains: DOMAINS });
  await expect(toast(page, 'Settings saved.')).toBeVisible({ timeout: 30_000 });

  await team.goto(ACME);
  await expect(team.seats).toContainText(`4 of ${SEAT_LIMIT} seats used`);
  // next dev compiles the server action on its first call: far slower than a production build on a busy machine.
  await team.runRowAction(REMOVED, 'Remove from organization', 'Remove', { timeout: 60_000 });
  await expect(team.toast(`${REMOVED} was removed from the organization.`)).toBeVisible();
  await team.goto(ACME);
  await expect(team.row(REMOVED)).toHaveCount(0);
  await expect(team.seats).toContainText(`3 of ${SEAT_LIMIT} seats used`);

  await stopStack();
  const restart = await startStack();
  console.log(`dev-restart: first start ${firstStart.toFixed(1)} s, restart ${restart.toFixed(1)} s`);
  // What the terminal says; soft, so a failure here still shows what the browser sees below.
  expect.soft(stack!.output.join('')).toContain('Demo data: already seeded; your changes are kept');

  await signIn(page, `/orgs/${ACME}/settings`);
  await settings.goto(ACME);
  await expect(settings.seatLimit).toHaveValue(SEAT_LIMIT);
  await expect(settings.domains).toHaveValue(DOMAINS);
  await expect(settings.usage).toHaveText(`3 seats in use of ${SEAT_LIMIT}.`);

  await team.goto(ACME);
  await expect(team.rows).toHaveCount(3);
  await expect(team.row(REMOVED)).toHaveCount(0);
  await expect(page.getByText(REMOVED)).toHaveCount(0);
  await expect(team.seats).toContainText(`3 of ${SEAT_LIMIT} seats used`);

  await stopStack();
});
