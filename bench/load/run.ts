/**
 * The load suite, one command: `npm run bench:load` (npx tsx bench/load/run.ts).
 * Loopback only, bounded in count and time: 50 concurrent full logins, 20 admins inviting
 * concurrently, then 10 s of mixed signed-in reads. Prints p50/p95/p99 and error counts, and
 * exits non-zero on any 5xx or any lost or duplicated row.
 *
 *   npx tsx bench/load/run.ts [--logins 50] [--admins 20] [--seconds 10] [--connections 10]
 */
import { numberArgs } from '../support/args';
import { startLoadStack } from './app-stack';
import { concurrentInvites } from './invites';
import { concurrentLogins } from './logins';
import { mixedReads } from './reads';

const args = numberArgs({ logins: 50, admins: 20, seconds: 10, connections: 10 });

const suiteDeadline = setTimeout(() => {
  console.error('load suite: over its 10-minute bound; stopping');
  process.exit(2);
}, 10 * 60_000);

console.log('load suite: starting the app (production build), database and emulator…');
const stack = await startLoadStack({
  // The real per-IP sign-in limit: each virtual user has its own address, as behind a load balancer.
  RATE_LIMIT_LOGIN_PER_MINUTE: '30',
});
const failures: string[] = [];
try {
  for (const scenario of [
    () => concurrentLogins(stack, args.logins),
    () => concurrentInvites(stack, args.admins),
    () => mixedReads(stack, args.seconds, args.connections),
  ]) {
    const result = await scenario();
    for (const line of result.lines) console.log(line);
    for (const failure of result.failures) console.log(`  FAIL: ${failure}`);
    failures.push(...result.failures);
  }
} finally {
  await stack.stop();
  clearTimeout(suiteDeadline);
}
console.log(failures.length ? `load suite: ${failures.length} problem(s)` : 'load suite: zero 5xx, zero lost or duplicated rows');
process.exitCode = failures.length ? 1 : 0;
