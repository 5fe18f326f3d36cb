// Bulk invite of a 1,000-row CSV through the real service, the real SDK and the
// emulator (its own process), into a fresh PostgreSQL database: preview
// (parse + per-row checks) and send (bounded concurrency). Target: ≤ 10 s for
// the send. Prints wall times, throughput and this process's peak memory.
//
//   npx tsx bench/bulk-invite.ts [--rows 1000] [--concurrency 8]

import { SCALEKIT_PERMISSIONS } from '@/lib/auth/permissions';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberArgs } from './support/args.js';
import { startEmulatorProcess } from './support/emulator-process.js';

const { rows: rowCount, concurrency } = numberArgs({ rows: 1000, concurrency: 8 });

const root = fileURLToPath(new URL('..', import.meta.url));
const ORG = 'org_bench';
const seed = JSON.parse(readFileSync(join(root, 'emulator/seeds/demo.json'), 'utf8'));
seed.organizations.push({
  id: ORG,
  name: 'Bench Co',
  externalId: null,
  maxAllowedUsers: null,
  allowedEmailDomains: [],
  ssoConnection: null,
});
seed.users.push({
  id: 'usr_bench_admin',
  email: 'admin@bench.test',
  firstName: 'Bench',
  lastName: 'Admin',
  memberships: [{ organizationId: ORG, roles: ['admin'], status: 'ACTIVE' }],
});
// Webhooks would go to an app that is not running; no retries keeps the emulator's work honest.
seed.environment.webhookRetryDelaysMs = [];
const dir = mkdtempSync(join(tmpdir(), 'bulk-bench-'));
const seedPath = join(dir, 'seed.json');
writeFileSync(seedPath, JSON.stringify(seed));

// Its own process (bench/support/emulator-process.ts), as in `npm run dev`.
const emulator = await startEmulatorProcess(seedPath);

// Environment first: lib/env and the SDK client read it once, on first use.
process.env.SCALEKIT_ENVIRONMENT_URL = emulator.url;
process.env.LOG_LEVEL = 'silent';
const { databaseUrl, migratedTemplate, withAdmin } = await import('../test/database');
const dbName = `teamgate_bench_${randomBytes(4).toString('hex')}`;
const template = await migratedTemplate();
await withAdmin((c) => c.query(`CREATE DATABASE "${dbName}" TEMPLATE "${template}"`));
process.env.DATABASE_URL = databaseUrl(dbName);

const { disconnectDb, getDb } = await import('../lib/db');
const { demoSeedSchema, seedDemoData } = await import('../prisma/seed');
const { previewBulkInvite, runBulkInvite } = await import('../lib/invitations/bulk');
const { getScalekit } = await import('../lib/scalekit/client');

let peakRss = process.memoryUsage().rss;
let peakHeap = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 10);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
try {
  await seedDemoData(getDb(), demoSeedSchema.parse(seed));
  const actor = {
    kind: 'user',
    userId: 'usr_bench_admin',
    email: 'admin@bench.test',
    name: null,
    organizationId: ORG,
    role: 'admin',
    permissions: SCALEKIT_PERMISSIONS,
    sessionId: 'bench',
  } as const;
  const tag = randomBytes(3).toString('hex');
  const csv = [
    'email,role,name',
    ...Array.from({ length: rowCount }, (_, i) => `bench.${tag}.${i}@bulk.test,${i % 20 === 0 ? 'admin' : 'member'},"Bench Person ${i}"`),
  ].join('\r\n');
  // Warm-up: the SDK's client-credentials token and the HTTP/2 session, as in a running app.
  await getScalekit().organization.getOrganization(ORG);
  const rssBefore = process.memoryUsage().rss;

  const t0 = performance.now();
  const preview = await previewBulkInvite(actor, ORG, { fileName: 'bench.csv', text: csv });
  const t1 = performance.now();
  const run = await runBulkInvite(actor, ORG, preview.job.id, { concurrency });
  const t2 = performance.now();
  clearInterval(sampler);

  const sendSeconds = (t2 - t1) / 1000;
  console.log(`bulk invite, ${rowCount} rows, concurrency ${concurrency} (emulator in its own process, PostgreSQL 15)`);
  console.log(`  preview (parse + checks + store): ${(t1 - t0).toFixed(0)} ms`);
  console.log(
    `  send: ${sendSeconds.toFixed(2)} s  (${(rowCount / sendSeconds).toFixed(0)} invites/s)  → ${run.counts.invited} invited, ${run.counts.skipped} skipped, ${run.counts.failed} failed`,
  );
  console.log(`  total: ${((t2 - t0) / 1000).toFixed(2)} s   target ≤ 10 s: ${(t2 - t0) / 1000 <= 10 ? 'met' : 'MISSED'}`);
  console.log(`  peak memory of this process: rss ${mb(peakRss)} (rss before: ${mb(rssBefore)}), heap used ${mb(peakHeap)}`);
  if (run.counts.invited !== rowCount) process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await disconnectDb();
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
}
