// A bulk role change of N members (issue 14 item 3; target ≤ 1.2× the raw SDK calls) through
// the real service (lib/members/bulk-actions.ts: preview, then the job's run at concurrency 8),
// the real SDK and the emulator (its own process), in a fresh PostgreSQL database, against the same
// number of raw `user.updateMembership` calls at the same concurrency in the same run. Two pairs
// of rounds in alternating order (raw first, then app first). The ratio compares the job's run
// (what replaces the raw calls: the same calls plus the rules, the mirror, the audit log and the
// row states) with the raw calls; the preview, a step the admin reads before confirming, is
// printed beside it. Prints wall times, the ratio (mean of the pairs) and this process's memory
// (peak heap per round, so a heap that grew with N would show).
//
//   node --expose-gc --import tsx bench/bulk-role-change.ts [--members 5000] [--concurrency 8]
// (--expose-gc: each round starts from a collected heap, so its peak is its own)

import { numberArgs } from './support/args.js';
import { BENCH_ORG as ORG, benchAdmin as actor, startAppBenchStack } from './support/app-stack.js';

const { members, concurrency } = numberArgs({ members: 5000, concurrency: 8 });

const memberIds = Array.from({ length: members }, (_, i) => `usr_bench_${i}`);
// Warm-up members of their own (JIT, Prisma's query plans, the emulator's first updates), with a
// role no round selects, so the rounds' "all matching" stays exactly the N members.
const WARM_UP = 200;
const warmUpIds = Array.from({ length: WARM_UP }, (_, i) => `usr_warm_${i}`);
const person = (id: string, email: string, role: string) => ({
  id,
  email,
  firstName: 'Person',
  lastName: id,
  memberships: [{ organizationId: ORG, roles: [role], status: 'ACTIVE' }],
});
const stack = await startAppBenchStack({
  extendSeed: (seed) => {
    seed.users.push(...warmUpIds.map((id, i) => person(id, `warm${i}@bench.test`, 'admin')));
    seed.users.push(...memberIds.map((id, i) => person(id, `person${i}@bench.test`, 'member')));
  },
});

const { confirmBulkMemberAction, previewBulkMemberAction, runBulkMemberAction } = await import('../lib/members/bulk-actions');
const { runPool } = await import('../lib/concurrency/worker-pool');
const { getScalekit } = await import('../lib/scalekit/client');

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
let peakHeap = 0;
// Every 50 ms: process.memoryUsage() walks the heap's spaces, not free at a high rate.
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 50);

try {
  const scalekit = getScalekit();
  await scalekit.organization.getOrganization(ORG); // token and HTTP/2 session, as in a running app

  async function timed(what: () => Promise<void>): Promise<{ seconds: number; peakHeap: number; cpuMs: number; retainedHeap: number }> {
    global.gc?.();
    peakHeap = process.memoryUsage().heapUsed;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await what();
    const cpu = process.cpuUsage(cpu0);
    const seconds = (performance.now() - t0) / 1000;
    // What the round left behind once collected: flat when nothing per member is kept.
    global.gc?.();
    return { seconds, peakHeap, cpuMs: (cpu.user + cpu.system) / 1000, retainedHeap: process.memoryUsage().heapUsed };
  }
  const raw = (role: string) =>
    timed(() =>
      runPool(memberIds, concurrency, async (userId) => void (await scalekit.user.updateMembership(ORG, userId, { roles: [role] }))),
    );
  // Every member whose mirror row has `from`: the page's "select all matching", the admin's flow.
  const app = (from: string, to: string) =>
    timed(async () => {
      const preview = await previewBulkMemberAction(actor, ORG, { kind: 'CHANGE_ROLE', role: to, selection: { filter: { role: from } } });
      if (preview.counts.pending !== members) throw new Error(`preview has ${preview.counts.pending} rows to change, expected ${members}`);
      await confirmBulkMemberAction(actor, ORG, preview.action.id, async () => undefined);
      const tRun = performance.now();
      const counts = await runBulkMemberAction(preview.action.id, { concurrency });
      if (counts.done !== members) throw new Error(`changed ${counts.done} of ${members} (${JSON.stringify(counts)})`);
      runSeconds.push((performance.now() - tRun) / 1000);
    });
  const runSeconds: number[] = [];

  await runPool(warmUpIds, concurrency, async (userId) => void (await scalekit.user.updateMembership(ORG, userId, { roles: ['admin'] })));
  const warm = await previewBulkMemberAction(actor, ORG, { kind: 'CHANGE_ROLE', role: 'admin', selection: { filter: { role: 'admin' } } });
  await confirmBulkMemberAction(actor, ORG, warm.action.id, async () => undefined);
  await runBulkMemberAction(warm.action.id, { concurrency });

  const rssBefore = process.memoryUsage().rss;
  type Round = Awaited<ReturnType<typeof timed>>;
  const pairOf = (r: Round, a: Round) => ({
    raw: r.seconds,
    app: a.seconds,
    run: runSeconds.at(-1)!,
    appPeakHeap: a.peakHeap,
    appRetained: a.retainedHeap,
    rawCpu: r.cpuMs,
    appCpu: a.cpuMs,
  });
  const pairs: Array<ReturnType<typeof pairOf>> = [];
  // Pair 1 raw first, pair 2 app first: whichever runs second does not always get a warmer machine.
  {
    const r = await raw('viewer');
    pairs.push(pairOf(r, await app('member', 'viewer')));
  }
  {
    const a = await app('viewer', 'member');
    pairs.push(pairOf(await raw('member'), a));
  }
  clearInterval(sampler);
  const ratio = pairs.reduce((sum, p) => sum + p.run / p.raw, 0) / pairs.length;
  console.log(`bulk role change, ${members} members, concurrency ${concurrency} (emulator in its own process, PostgreSQL)`);
  for (const [i, p] of pairs.entries()) {
    console.log(
      `  pair ${i + 1}: raw SDK ${p.raw.toFixed(2)} s (${(members / p.raw).toFixed(0)}/s), job run ${p.run.toFixed(2)} s (${(members / p.run).toFixed(0)}/s), ratio ${(p.run / p.raw).toFixed(2)}; with the preview ${p.app.toFixed(2)} s (${(p.app / p.raw).toFixed(2)}×); heap peak ${mb(p.appPeakHeap)}, retained after ${mb(p.appRetained)}; this process's CPU per member: raw ${(p.rawCpu / members).toFixed(2)} ms, app (preview included) ${(p.appCpu / members).toFixed(2)} ms`,
    );
  }
  console.log(`  ratio job run / raw SDK (mean of the pairs): ${ratio.toFixed(2)}   target ≤ 1.2: ${ratio <= 1.2 ? 'met' : 'MISSED'}`);
  console.log(`  memory of this process: rss before ${mb(rssBefore)}, after ${mb(process.memoryUsage().rss)}`);
} finally {
  clearInterval(sampler);
  await stack.stop();
}
