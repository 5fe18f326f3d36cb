/**
 * The stack the load suite drives: the production build served by e2e/support/serve.ts (fresh
 * seeded database, emulator, `next start`) on free loopback ports, exactly as the e2e suite
 * runs it, with the app's real rate limits except where a scenario says otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ScalekitClient } from '@scalekit-sdk/node';
import pg from 'pg';
import { freePort } from '../../scripts/free-port';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface LoadStack {
  appUrl: string;
  emulatorUrl: string;
  /** The app's database, for checking rows after a scenario. */
  db: pg.Pool;
  scalekit: ScalekitClient;
  stop(): Promise<void>;
}

export async function startLoadStack(env: Record<string, string> = {}): Promise<LoadStack> {
  const port = await freePort();
  const emulatorPort = await freePort();
  const { E2E_CLIENT_SECRET } = await import('../../e2e/support/test-env');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'e2e/support/serve.ts'], {
    cwd: root,
    env: {
      ...process.env,
      E2E_PORT: String(port),
      E2E_EMULATOR_PORT: String(emulatorPort),
      // One build for every load run, beside the e2e builds (git-ignored).
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '.next-e2e-load',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (/\[e2e\]|error|Error/.test(text)) process.stdout.write(`  [app] ${text}`);
  });
  const appUrl = `http://localhost:${port}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app server exited (${child.exitCode}) before it was ready`);
    const ok = await fetch(`${appUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error('the app server did not become ready within 5 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  const db = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:5432/teamgate_e2e_${port}`, max: 4 });
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  return {
    appUrl,
    emulatorUrl,
    db,
    scalekit: new ScalekitClient(emulatorUrl, 'skc_teamgate_dev', E2E_CLIENT_SECRET),
    stop: async () => {
      await db.end();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "teamgate_e2e_${port}" WITH (FORCE)`).catch(() => {});
      await admin.end();
    },
  };
}

/** An organization of the scenario's own with `count` ACTIVE people in it (admins if asked). */
export async function organizationWithPeople(stack: LoadStack, name: string, emails: string[], role: 'admin' | 'member'): Promise<string> {
  const { organization } = await stack.scalekit.organization.createOrganization(name);
  const orgId = organization!.id;
  for (const email of emails) {
    const { user } = await stack.scalekit.user.createUserAndMembership(orgId, { email, sendInvitationEmail: false });
    if (role === 'admin') await stack.scalekit.user.updateMembership(orgId, user!.id, { roles: ['admin'] });
  }
  return orgId;
}
