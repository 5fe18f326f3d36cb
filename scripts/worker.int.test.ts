import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/test/database';
import { createBoss, sendJob } from '@/lib/jobs/boss';

// `npm run worker` as production runs it: its own process, stopped by SIGTERM.

const { prisma, url } = await useTestDatabase();
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The test database's URL with a password in it (trust auth ignores it), to prove it is never printed. */
function urlWithPassword(): { url: string; secret: string } {
  const u = new URL(url);
  if (!u.password) u.password = `never-logged-${Date.now().toString(36)}`;
  return { url: u.toString(), secret: decodeURIComponent(u.password) };
}

describe('npm run worker (scripts/worker.ts)', () => {
  it('starts, prunes on request, and on SIGTERM stops cleanly with exit code 0, never printing DATABASE_URL', async () => {
    await prisma.rateLimitBucket.create({ data: { key: 'login:ip:spoofed', count: 1, resetAt: new Date(Date.now() - 3_600_000) } });
    const { url: databaseUrl, secret } = urlWithPassword();
    // Node itself, with tsx as a loader: no tsx CLI process in between to relay (and, under load, race) the signal.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'debug', DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const messages = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { msg: string }).msg);

    try {
      const deadline = Date.now() + 30_000;
      while (!messages().includes('job worker started')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`The worker did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Sent from another process, as an app instance would.
      const sender = createBoss({ connectionString: url, poolSize: 1, sendOnly: true });
      await sender.start();
      await sendJob(sender, 'rate-limit.prune', { graceSeconds: 60 });
      await sender.stop();
      while ((await prisma.rateLimitBucket.count()) > 0) {
        if (Date.now() > deadline) throw new Error(`The worker did not prune:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(messages()).toEqual(
      expect.arrayContaining(['signal received', 'job worker stopping; running jobs may finish', 'job worker stopped']),
    );
    expect(output).not.toContain(secret);
    expect(output).not.toContain(new URL(url).pathname.slice(1));
  });
});
