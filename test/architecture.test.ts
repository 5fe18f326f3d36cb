import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One home per concern, checked on every test run so it stays true: shared code (components/,
 * lib/) never reaches back into one route's files, nothing leans on Next.js's private modules
 * (they change without notice between releases), and only lib/http/client-ip.ts decides which
 * X-Forwarded-For entry is the client (anywhere else would be a second, spoofable answer).
 */

const ROOT = join(__dirname, '..');
const SKIP_DIRS = new Set(['node_modules', '.git', 'generated', 'test-results', 'playwright-report', 'emulator']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.next')) out.push(...sourceFiles(join(dir, entry.name)));
    } else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

const files = sourceFiles(ROOT).map((abs) => ({ path: relative(ROOT, abs).split(sep).join('/'), text: readFileSync(abs, 'utf8') }));
const isTest = (path: string) =>
  /\.(test|spec)\.tsx?$/.test(path) || path.startsWith('e2e/') || /(^|\/)(testing|test-support)\.ts$/.test(path);

/** Module specifiers of static imports, re-exports, dynamic imports and requires. */
function importsOf(text: string): string[] {
  const specifiers: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) specifiers.push(m[1]!);
  return specifiers;
}

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(files.some((f) => f.path === 'lib/http/client-ip.ts')).toBe(true);
    expect(files.some((f) => f.path.startsWith('components/'))).toBe(true);
  });

  it('nothing under components/ or lib/ imports from app/ (tests of route handlers aside)', () => {
    const offenders = files
      .filter((f) => (f.path.startsWith('components/') || f.path.startsWith('lib/')) && !isTest(f.path))
      .flatMap((f) =>
        importsOf(f.text)
          .filter((s) => s === '@/app' || s.startsWith('@/app/') || /^(\.\.\/)+app\//.test(s))
          .map((s) => `${f.path} → ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  it("no file imports Next.js's private next/dist/ modules", () => {
    const offenders = files.flatMap((f) =>
      importsOf(f.text)
        .filter((s) => s.startsWith('next/dist/'))
        .map((s) => `${f.path} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only lib/http/client-ip.ts reads X-Forwarded-For', () => {
    const offenders = files
      .filter((f) => !isTest(f.path) && !f.path.startsWith('bench/') && f.path !== 'lib/http/client-ip.ts')
      .filter((f) => /['"`]x-forwarded-for['"`]/i.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });
});
