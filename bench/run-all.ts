/**
 * `npm run bench`: every benchmark in bench/ in turn (each in its own process, as its own
 * command would run it), then the load suite. Stops at nothing: a failing bench is reported
 * and the rest still run; the exit code says whether all passed.
 *
 *   npx tsx bench/run-all.ts [--only name,name]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const root = fileURLToPath(new URL('..', import.meta.url));
const only = values.only?.split(',').map((s) => s.trim());

const benches = [
  ...readdirSync(join(root, 'bench'))
    .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
    .sort()
    .map((f) => `bench/${f}`),
  'bench/load/run.ts',
].filter((b) => !only || only.some((o) => b.includes(o)));

const outcomes: string[] = [];
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', bench], { cwd: root, stdio: 'inherit' });
  outcomes.push(`${result.status === 0 ? 'ok  ' : 'FAIL'} ${bench} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
console.log(`\n${outcomes.join('\n')}`);
process.exitCode = outcomes.some((o) => o.startsWith('FAIL')) ? 1 : 0;
