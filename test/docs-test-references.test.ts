import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/security.md promises, row by row, which test proves each defence (`file › test name`), and
 * docs/emulator-fidelity.md which test proves each "match" with Scalekit's documents. A renamed or
 * deleted test would silently turn that promise into fiction, so this checks that every cited
 * file exists and contains every cited test name.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface TestReference {
  file: string;
  name: string;
}

/** `path › name` starts a reference; a bare `› name` continues with the previous path. */
export function testReferences(markdown: string): TestReference[] {
  const refs: TestReference[] = [];
  let file: string | null = null;
  for (const [, span] of markdown.matchAll(/`([^`\n]*›[^`\n]*)`/g)) {
    const [head, ...rest] = span!.split(' › ');
    const name = rest.join(' › ').trim();
    if (head!.trim().startsWith('›')) {
      if (file) refs.push({ file, name: head!.trim().replace(/^›\s*/, '') });
      continue;
    }
    file = head!.trim();
    if (name) refs.push({ file, name });
  }
  return refs;
}

/** Test titles may be written with typographic or plain quotes, or as template strings. */
function normalise(text: string): string {
  return text
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\\(["'`])/g, '$1');
}

/** Parameterised titles (`it.each(...)('%s …')`, template literals with `${…}`) as patterns a cited instance must match. */
export function titlePatterns(source: string): RegExp[] {
  const patterns: RegExp[] = [];
  for (const [, title] of source.matchAll(/['`"]([^'`"\n]*(?:%[sdif]|\$\{[^}]+\})[^'`"\n]*)['`"]/g)) {
    const parts = title!.split(/%[sdif]|\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    patterns.push(new RegExp(`^${parts.join('.+')}$`));
  }
  return patterns;
}

function missingReferences(refs: TestReference[]): string[] {
  const missing: string[] = [];
  const sources = new Map<string, { text: string; patterns: RegExp[] } | null>();
  for (const { file, name } of refs) {
    if (!sources.has(file)) {
      const text = existsSync(join(ROOT, file)) ? normalise(readFileSync(join(ROOT, file), 'utf8')) : null;
      sources.set(file, text === null ? null : { text, patterns: titlePatterns(text) });
    }
    const source = sources.get(file);
    if (!source) {
      missing.push(`${file} (no such file)`);
      continue;
    }
    // `describe › … › test`: every level must be a title in the file.
    for (const level of name.split(' › ')) {
      // A title shortened with a trailing "…" in the table must match the start of the real one.
      const cited = normalise(level.replace(/,?\s*…$/, ''));
      const shortened = cited !== normalise(level);
      if (
        !source.text.includes(cited) &&
        !source.patterns.some((p) => (shortened ? new RegExp(p.source.replace(/\$$/, '')) : p).test(cited))
      ) {
        missing.push(`${file} › ${name}`);
        break;
      }
    }
  }
  return missing;
}

describe('docs/security.md test references', () => {
  const refs = testReferences(readFileSync(join(ROOT, 'docs/security.md'), 'utf8'));

  it('finds the references (not vacuous)', () => {
    expect(refs.length).toBeGreaterThan(100);
  });

  it('parses a path, then continuations with ›', () => {
    expect(testReferences('`a.test.ts › one`, `› two`; `b.test.ts › three`')).toEqual([
      { file: 'a.test.ts', name: 'one' },
      { file: 'a.test.ts', name: 'two' },
      { file: 'b.test.ts', name: 'three' },
    ]);
  });

  it('matches an instance of a parameterised title', () => {
    const patterns = titlePatterns("it.each([])('%s fault halfway leaves rows', fn); it(`health: ${BUDGET} hits`, fn)");
    expect(patterns.some((p) => p.test('a RESOURCE_EXHAUSTED fault halfway leaves rows'))).toBe(true);
    expect(patterns.some((p) => p.test('health: 5 hits'))).toBe(true);
    expect(patterns.some((p) => p.test('health: 5 misses'))).toBe(false);
  });
});

describe.each([
  ['docs/security.md', 100],
  ['docs/emulator-fidelity.md', 30],
  ['docs/webhooks.md', 0],
  ['docs/jobs.md', 7],
  ['docs/invitation-requests.md', 6],
])('%s test references', (doc, atLeast) => {
  const refs = testReferences(readFileSync(join(ROOT, doc), 'utf8'));

  it('finds the references (not vacuous)', () => {
    expect(refs.length).toBeGreaterThanOrEqual(atLeast);
  });

  it('every cited test file exists and contains every cited test name', () => {
    expect(missingReferences(refs)).toEqual([]);
  });
});
