// Latency of the emulator under the SDK: 1,000 sequential listOrganizationUsers
// calls on an organization of 10,000 users, walking the pages with their tokens.
// The emulator runs as its own process (as in `npm run dev`), so the numbers are
// not flattered or hurt by sharing an event loop with the client.
//
//   npx tsx bench/emulator-list-users.ts [--calls 1000] [--users 10000] [--page-size 100]

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScalekitClient } from '@scalekit-sdk/node';
import { numberArgs } from './support/args.js';
import { startEmulatorProcess } from './support/emulator-process.js';

const { calls, users: userCount, 'page-size': pageSize } = numberArgs({ calls: 1000, users: 10000, 'page-size': 100 });

const root = fileURLToPath(new URL('..', import.meta.url));
const seed = JSON.parse(readFileSync(join(root, 'emulator/seeds/demo.json'), 'utf8'));
for (let i = 0; i < userCount; i++) {
  seed.users.push({
    id: `usr_bench_${i}`,
    email: `bench.user.${i}@acme.test`,
    firstName: 'Bench',
    lastName: `User ${i}`,
    memberships: [{ organizationId: 'org_acme', roles: ['member'], status: 'ACTIVE' }],
  });
}
const dir = mkdtempSync(join(tmpdir(), 'emulator-bench-'));
const seedPath = join(dir, 'seed.json');
writeFileSync(seedPath, JSON.stringify(seed));

// Its own process (bench/support/emulator-process.ts), as in `npm run dev`.
const emulator = await startEmulatorProcess(seedPath);

try {
  const client = new ScalekitClient(emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');
  // Warm-up: token fetch, HTTP/2 session, JIT.
  let token = '';
  for (let i = 0; i < 50; i++) token = (await client.user.listOrganizationUsers('org_acme', { pageSize, pageToken: token })).nextPageToken;

  const latencies: number[] = [];
  let total = 0;
  token = '';
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const res = await client.user.listOrganizationUsers('org_acme', { pageSize, pageToken: token });
    latencies.push(performance.now() - t0);
    total = res.totalSize;
    token = res.nextPageToken; // wraps to the first page at the end
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2);
  console.log(
    JSON.stringify(
      {
        bench: 'emulator listOrganizationUsers via @scalekit-sdk/node',
        calls,
        organizationUsers: total,
        pageSize,
        p50Ms: Number(pct(50)),
        p95Ms: Number(pct(95)),
        p99Ms: Number(pct(99)),
        maxMs: Number(latencies.at(-1)!.toFixed(2)),
        callsPerSecond: Math.round((calls / elapsed) * 1000),
      },
      null,
      2,
    ),
  );
} finally {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
}
