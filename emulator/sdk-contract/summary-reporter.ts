import { basename } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { exclusionFor, SEPARATOR } from './exclusions';

/**
 * Prints, per vendored file, how many tests passed, failed and were excluded (with each reason),
 * and fails the run if a test was skipped without an entry in exclusions.ts.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const lines: string[] = ['', 'SDK contract suite (vendored @scalekit-sdk/node v2.10.0 tests against the emulator):'];
    let unexplained = 0;
    for (const testModule of [...modules].sort((a, b) => a.moduleId.localeCompare(b.moduleId))) {
      const file = basename(testModule.moduleId);
      const counts = { total: 0, passed: 0, failed: 0, realCloud: 0, pending: 0 };
      const reasons: string[] = [];
      for (const test of testModule.children.allTests()) {
        counts.total++;
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else {
          const names: string[] = [];
          for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) names.unshift(parent.name);
          names.push(test.name);
          const excluded = exclusionFor(file, names);
          if (!excluded) {
            unexplained++;
            reasons.push(`    NOT IN exclusions.ts: ${names.join(SEPARATOR)}`);
          } else if (excluded.kind === 'pending') counts.pending++;
          else {
            counts.realCloud++;
            reasons.push(`    excluded: ${names.join(SEPARATOR)} — ${excluded.reason}`);
          }
        }
      }
      const pendingNote = counts.pending ? ` pending ${counts.pending} (${exclusionFor(file, [])?.reason})` : '';
      lines.push(
        `  ${file}: total ${counts.total}, passed ${counts.passed}, failed ${counts.failed}, excluded ${counts.realCloud}${pendingNote}`,
        ...reasons,
      );
    }
    console.log(lines.join('\n'));
    if (unexplained > 0) {
      console.error(`${unexplained} test(s) skipped without a reason in emulator/sdk-contract/exclusions.ts`);
      process.exitCode = 1;
    }
  }
}
