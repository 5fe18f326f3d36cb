// Directory sync of N users into an empty organization (issue 12: target ≤ 1.2× the raw SDK calls)
// through the real reconcile (lib/directory/reconcile.ts: list the directory through the SDK, 30 a
// page, then provision at concurrency 8 with batched mirror writes), the real SDK and the emulator
// (its own process), in a fresh PostgreSQL database, against the same number of raw
// `CreateUserAndMembership` calls (the one call the reconcile makes per new member) at the same
// concurrency in the same run. Each round gets an empty organization of its own; two pairs of
// rounds in alternating order (raw first, then app first). Prints wall times, the ratio (mean of
// the pairs), and this process's peak RSS and heap per round.
//
//   node --expose-gc --import tsx bench/directory-sync.ts [--users 10000] [--concurrency 8]
// (--expose-gc: each round starts from a collected heap, so its peak is its own)

import { numberArgs } from './support/args.js';
import { startAppBenchStack } from './support/app-stack.js';

const { users, concurrency } = numberArgs({ users: 10_000, concurrency: 8 });
const WARM_UP = 200;
const ORGS = ['org_dir_warm', 'org_dir_app1', 'org_dir_app2', 'org_dir_raw0', 'org_dir_raw1', 'org_dir_raw2'];

const stack = await startAppBenchStack({
  extendSeed: (seed) => {
    for (const id of ORGS) {
      seed.organizations.push({ id, name: id, externalId: null, maxAllowedUsers: null, allowedEmailDomains: [], ssoConnection: null });
    }
  },
});

const { reconcileDirectory } = await import('../lib/directory/reconcile');
const { runPool } = await import('../lib/concurrency/worker-pool');
const { getScalekit } = await import('../lib/scalekit/client');
const { getDb } = await import('../lib/db');

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
let peakHeap = 0;
let peakRss = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
};
const sampler = setInterval(sample, 50);

async function dev(path: string, body: unknown): Promise<{ id?: string }> {
  const res = await fetch(`${stack.emulator.url}/_emulator/directories${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id?: string };
}

/** A directory of `count` users in 3 groups, loaded without events: the reconcile finds them all. */
async function directoryFor(organizationId: string, count: number): Promise<void> {
  const { id } = await dev('', { organizationId });
  await dev(`/${id}/bulk`, {
    groups: ['Engineering', 'Sales', 'Admins'],
    generate: { count, domain: `${organizationId.slice(4).replaceAll('_', '-')}.test` },
    events: false,
  });
}

try {
  const scalekit = getScalekit();
  await scalekit.organization.getOrganization('org_dir_warm'); // token and HTTP/2 session, as in a running app
  for (const org of ['org_dir_warm', 'org_dir_app1', 'org_dir_app2']) await directoryFor(org, org === 'org_dir_warm' ? WARM_UP : users);

  async function timed(what: () => Promise<void>) {
    global.gc?.();
    const start = process.memoryUsage();
    peakHeap = start.heapUsed;
    peakRss = start.rss;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await what();
    sample();
    const cpu = process.cpuUsage(cpu0);
    return { seconds: (performance.now() - t0) / 1000, peakHeap, peakRss, cpuMs: (cpu.user + cpu.system) / 1000 };
  }
  const raw = (organizationId: string, count: number) =>
    timed(() =>
      runPool(
        Array.from({ length: count }, (_, i) => `raw${i}@${organizationId.slice(4).replaceAll('_', '-')}.test`),
        concurrency,
        async (email) =>
          void (await scalekit.user.createUserAndMembership(organizationId, {
            email,
            userProfile: { firstName: 'User', lastName: email },
            sendInvitationEmail: false,
          })),
      ),
    );
  const app = (organizationId: string, count: number) =>
    timed(async () => {
      const result = await reconcileDirectory(organizationId, { concurrency });
      if (result.created !== count) throw new Error(`reconcile created ${result.created} of ${count}: ${JSON.stringify(result)}`);
    });

  // Warm-up: JIT, Prisma's query plans, the emulator's first creates.
  await raw('org_dir_raw0', WARM_UP);
  await app('org_dir_warm', WARM_UP);
  // The listing alone (part of every reconcile): pages of 30, one after the other (page tokens chain).
  const listing = await timed(async () => {
    const { directories } = await scalekit.directory.listDirectories('org_dir_app1');
    let pageToken: string | undefined;
    do {
      const page = await scalekit.directory.listDirectoryUsers('org_dir_app1', directories[0]!.id, {
        pageSize: 30,
        pageToken,
        includeDetail: true,
      });
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
  });

  const rssBefore = process.memoryUsage().rss;
  type Round = Awaited<ReturnType<typeof timed>>;
  const pairs: Array<{ raw: Round; app: Round }> = [];
  {
    const r = await raw('org_dir_raw1', users);
    pairs.push({ raw: r, app: await app('org_dir_app1', users) });
  }
  {
    const a = await app('org_dir_app2', users);
    pairs.push({ raw: await raw('org_dir_raw2', users), app: a });
  }
  clearInterval(sampler);
  const members = await getDb().membership.count({ where: { organizationId: { in: ['org_dir_app1', 'org_dir_app2'] } } });
  if (members !== 2 * users) throw new Error(`mirror holds ${members} memberships, expected ${2 * users}`);
  const ratio = pairs.reduce((sum, p) => sum + p.app.seconds / p.raw.seconds, 0) / pairs.length;
  console.log(
    `directory sync (reconcile) of ${users} users into an empty organization, concurrency ${concurrency} (emulator in its own process, PostgreSQL)`,
  );
  for (const [i, p] of pairs.entries()) {
    console.log(
      `  pair ${i + 1}: raw SDK ${p.raw.seconds.toFixed(2)} s (${(users / p.raw.seconds).toFixed(0)}/s), reconcile ${p.app.seconds.toFixed(2)} s (${(users / p.app.seconds).toFixed(0)}/s), ratio ${(p.app.seconds / p.raw.seconds).toFixed(2)}; reconcile peak rss ${mb(p.app.peakRss)}, heap ${mb(p.app.peakHeap)} (raw: rss ${mb(p.raw.peakRss)}, heap ${mb(p.raw.peakHeap)}); CPU per user: raw ${(p.raw.cpuMs / users).toFixed(2)} ms, reconcile ${(p.app.cpuMs / users).toFixed(2)} ms`,
    );
  }
  console.log(`  listing the directory alone (ListDirectoryUsers, ${Math.ceil(users / 30)} pages of 30): ${listing.seconds.toFixed(2)} s`);
  console.log(`  ratio reconcile / raw SDK (mean of the pairs): ${ratio.toFixed(2)}   target ≤ 1.2: ${ratio <= 1.2 ? 'met' : 'MISSED'}`);
  console.log(`  memory of this process: rss before ${mb(rssBefore)}, after ${mb(process.memoryUsage().rss)}`);
} finally {
  clearInterval(sampler);
  await stack.stop();
}
