import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCALEKIT_PERMISSIONS } from '@/lib/auth/permissions';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.js';

/**
 * The stack the app-level benches run on: the demo seed plus an organization of the bench's own
 * (`org_bench`, with admin@bench.test as its admin), the emulator in its own process (as in `npm
 * run dev`), a fresh PostgreSQL database made from the migrated test template, and the same seed
 * in the app's mirror. The environment is set before any app module is imported, because lib/env
 * and the SDK client read it once, on first use: import app modules after this resolves.
 */

export const BENCH_ORG = 'org_bench';

/** admin@bench.test as a guard would resolve them: admin of the bench organization. */
export const benchAdmin = {
  kind: 'user',
  userId: 'usr_bench_admin',
  email: 'admin@bench.test',
  name: null,
  organizationId: BENCH_ORG,
  role: 'admin',
  permissions: SCALEKIT_PERMISSIONS,
  sessionId: 'bench',
} as const;

export interface BenchSeed {
  users: Array<Record<string, unknown>>;
  organizations: Array<Record<string, unknown>>;
  environment: Record<string, unknown>;
  [key: string]: unknown;
}

export interface AppBenchStack {
  emulator: EmulatorProcess;
  /** Disconnects the app's database client, drops the database, stops the emulator. */
  stop(): Promise<void>;
}

export async function startAppBenchStack(
  options: { extendSeed?: (seed: BenchSeed) => void; env?: Record<string, string> } = {},
): Promise<AppBenchStack> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const seed = JSON.parse(readFileSync(join(root, 'emulator/seeds/demo.json'), 'utf8')) as BenchSeed;
  seed.organizations.push({
    id: BENCH_ORG,
    name: 'Bench Co',
    externalId: null,
    maxAllowedUsers: null,
    allowedEmailDomains: [],
    ssoConnection: null,
  });
  seed.users.push({
    id: benchAdmin.userId,
    email: benchAdmin.email,
    firstName: 'Bench',
    lastName: 'Admin',
    memberships: [{ organizationId: BENCH_ORG, roles: ['admin'], status: 'ACTIVE' }],
  });
  options.extendSeed?.(seed);
  // Webhooks would go to an app that is not running; no retries keeps the emulator's work honest.
  seed.environment.webhookRetryDelaysMs = [];
  const dir = mkdtempSync(join(tmpdir(), 'app-bench-'));
  const seedPath = join(dir, 'seed.json');
  writeFileSync(seedPath, JSON.stringify(seed));
  const emulator = await startEmulatorProcess(seedPath);

  process.env.SCALEKIT_ENVIRONMENT_URL = emulator.url;
  process.env.LOG_LEVEL ??= 'silent';
  Object.assign(process.env, options.env);
  const { databaseUrl, migratedTemplate, withAdmin } = await import('../../test/database');
  const dbName = `teamgate_bench_${randomBytes(4).toString('hex')}`;
  const template = await migratedTemplate();
  await withAdmin((c) => c.query(`CREATE DATABASE "${dbName}" TEMPLATE "${template}"`));
  process.env.DATABASE_URL = databaseUrl(dbName);

  const { disconnectDb, getDb } = await import('../../lib/db');
  const { demoSeedSchema, seedDemoData } = await import('../../prisma/seed');
  await seedDemoData(getDb(), demoSeedSchema.parse(seed));
  return {
    emulator,
    async stop() {
      await disconnectDb();
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
