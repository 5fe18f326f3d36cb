import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator } from '@/emulator/src/index';
import { createPrismaClient } from '@/lib/db';
import { useTestDatabase } from '@/test/database';
import { checkHealth, checkLiveness } from './check';

const emulator = await createEmulator({ port: 0 });
process.env.SCALEKIT_ENVIRONMENT_URL = emulator.url;
const { prisma } = await useTestDatabase();
afterAll(() => emulator.close());

describe('checkHealth', () => {
  it('health_ok: reports both dependencies up with their latencies', async () => {
    const report = await checkHealth();
    expect(report.status).toBe('ok');
    expect(report.checks.database).toMatchObject({ ok: true });
    expect(report.checks.scalekit).toMatchObject({ ok: true });
    expect(report.checks.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(report.checks.database.error).toBeUndefined();
  });

  it('health_databaseDown: an unreachable database is reported without its URL or password', async () => {
    const broken = createPrismaClient({ connectionString: 'postgresql://teamgate:s3cret-pass@127.0.0.1:1/nowhere', max: 1 });
    try {
      const report = await checkHealth({ db: broken, timeoutMs: 1_500 });
      expect(report.status).toBe('degraded');
      expect(report.checks.database.ok).toBe(false);
      expect(report.checks.scalekit.ok).toBe(true);
      expect(JSON.stringify(report)).not.toMatch(/s3cret|teamgate:|nowhere/);
      const basic = await checkLiveness({ db: broken, timeoutMs: 1_500 });
      expect(basic).toMatchObject({ status: 'degraded', scope: 'basic', checks: { database: { ok: false } } });
      expect(basic.checks.scalekit).toBeUndefined();
      expect(JSON.stringify(basic)).not.toMatch(/s3cret|teamgate:|nowhere/);
    } finally {
      await broken.$disconnect();
    }
  });

  it('health_scalekitDown: a Scalekit that is gone, hung, or failing is down, each with a short reason', async () => {
    // Gone: a port that was just freed, so nobody listens on it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const freed = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const gone = await checkHealth({ db: prisma, scalekitUrl: `http://127.0.0.1:${freed}` });
    expect(gone.checks.scalekit).toMatchObject({ ok: false, error: 'connection refused' });

    // Hung: accepts the connection and never answers.
    const hung = createServer(() => {});
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    try {
      const report = await checkHealth({
        db: prisma,
        scalekitUrl: `http://127.0.0.1:${(hung.address() as AddressInfo).port}`,
        timeoutMs: 300,
      });
      expect(report.checks.scalekit).toMatchObject({ ok: false, error: 'no answer within 300 ms' });
      expect(report.checks.scalekit.latencyMs).toBeGreaterThanOrEqual(290);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }

    // Failing: the emulator's fault hook answers 503 on that path.
    await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: '/.well-known/openid-configuration', httpStatus: 503 }),
    });
    const failing = await checkHealth({ db: prisma });
    expect(failing).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, scalekit: { ok: false, error: 'HTTP 503' } } });
  });
});
