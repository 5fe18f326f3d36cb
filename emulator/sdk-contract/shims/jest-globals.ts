import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it as vitestIt, TestRunner, vi } from 'vitest';
import { basename } from 'node:path';
import { exclusionFor } from '../exclusions';

// Stands in for @jest/globals so the vendored SDK tests run unmodified under Vitest. `it`/`test`
// consult the exclusion list at collection time: an excluded test is registered as skipped (its
// hooks never run) and reported by the summary reporter with its reason.

function suiteNames(): { file: string; names: string[] } {
  const collector = TestRunner.getCurrentSuite();
  const names: string[] = [];
  for (let suite = collector.suite; suite && suite !== collector.file; suite = suite.suite) names.unshift(suite.name);
  return { file: basename(collector.file.filepath), names };
}

type TestFn = (name: string, ...rest: unknown[]) => void;

function guarded(register: typeof vitestIt): TestFn {
  return (name, ...rest) => {
    const { file, names } = suiteNames();
    const excluded = exclusionFor(file, [...names, name]);
    const target = excluded ? register.skip : register;
    (target as unknown as TestFn)(name, ...rest);
  };
}

const it = Object.assign(guarded(vitestIt), {
  skip: vitestIt.skip,
  only: vitestIt.only,
  todo: vitestIt.todo,
  each: vitestIt.each.bind(vitestIt),
});
const test = it;
const jest = vi;

export { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest, test };
