import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Keeps docs/api.md and app/api/** in step. Every route handler's exported HTTP methods must
 * have a section in the reference, headed `### \`METHOD /api/path\``, and every such heading
 * must name a handler that exists. Each section says how it is authorized and shows a request,
 * a response, its errors and an example; every error code the reference lists must be a string
 * the code actually returns (a grep over lib/ and app/, tests excluded), so a renamed code
 * cannot leave the reference promising one that no longer exists.
 */

const ROOT = join(__dirname, '..');
const DOC = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'generated') out.push(...walk(path, keep));
    } else if (keep(path)) out.push(path);
  }
  return out;
}

/** app/api/invitations/[id]/resend/route.ts → /api/invitations/:id/resend; route groups `(x)` drop out. */
export function routePath(file: string): string {
  const segments = relative(join(ROOT, 'app'), file).split(sep).slice(0, -1);
  return (
    '/' +
    segments
      .filter((s) => !/^\(.*\)$/.test(s))
      .map((s) => s.replace(/^\[\.\.\.(.+)\]$/, ':$1*').replace(/^\[(.+)\]$/, ':$1'))
      .join('/')
  );
}

/** `export async function POST`, `export function GET`, `export const DELETE =`, `export { handler as PATCH }`. */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Z]+)\s*\(/g)) found.add(m[1]!);
  for (const m of source.matchAll(/export\s+(?:const|let)\s+([A-Z]+)\s*=/g)) found.add(m[1]!);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of m[1]!.split(','))
      found.add(
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()!
          .trim(),
      );
  return [...found].filter((name) => (METHODS as readonly string[]).includes(name)).sort();
}

const routes = walk(join(ROOT, 'app/api'), (p) => /[\\/]route\.tsx?$/.test(p)).flatMap((file) =>
  exportedMethods(readFileSync(file, 'utf8')).map((method) => `${method} ${routePath(file)}`),
);

/** The reference's endpoint sections: heading → body up to the next `###` or `##`. */
function sections(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /^### `([A-Z]+) (\/api\/[^`\s]*)`[^\n]*\n([\s\S]*?)(?=^#{2,3} |(?![\s\S]))/gm;
  for (const m of doc.matchAll(re)) out.set(`${m[1]} ${m[2]}`, m[3]!);
  return out;
}

const documented = sections(DOC);

/** Error table rows: `| 403 | \`csrf_failed\` | … |` (the status may carry a note, e.g. `303 → /login?error=`). */
function errorCodes(body: string): string[] {
  return [...body.matchAll(/^\|\s*\d{3}[^|\n]*\|\s*`([a-z][a-z0-9_]*)`/gm)].map((m) => m[1]!);
}

const codeSources = walk(ROOT, (p) => {
  const rel = relative(ROOT, p);
  return /^(lib|app)[\\/]/.test(rel) && /\.tsx?$/.test(p) && !/\.test\.tsx?$/.test(p);
})
  .map((p) => readFileSync(p, 'utf8'))
  .join('\n');

describe('docs/api.md and app/api/**', () => {
  it('finds the route handlers it checks (the walk itself works)', () => {
    expect(routes).toContain('POST /api/invitations');
    expect(routes).toContain('DELETE /api/invitations/:id');
    expect(routePath(join(ROOT, 'app/api/orgs/[orgId]/audit.csv/route.ts'))).toBe('/api/orgs/:orgId/audit.csv');
    expect(
      exportedMethods('export async function GET() {}\nexport const POST = h;\nexport { h as PATCH, x };\nexport function helper() {}'),
    ).toEqual(['GET', 'PATCH', 'POST']);
  });

  it('documents every endpoint app/api/** serves', () => {
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('documents no endpoint that does not exist', () => {
    expect([...documented.keys()].filter((d) => !routes.includes(d))).toEqual([]);
  });

  it('gives every endpoint its auth, request, response, errors and an example', () => {
    const incomplete: string[] = [];
    for (const [endpoint, body] of documented) {
      for (const part of ['**Auth:**', '**Request:**', '**Response:**', '**Errors:**', '**Example:**']) {
        if (!body.includes(part)) incomplete.push(`${endpoint}: no ${part}`);
      }
      if (!/```(http|sh)\n/.test(body)) incomplete.push(`${endpoint}: no example request in a code block`);
    }
    expect(incomplete).toEqual([]);
  });

  it('lists only error codes the code returns', () => {
    const listed = new Set([...documented.values()].flatMap(errorCodes));
    expect(listed.size).toBeGreaterThan(10);
    const missing = [...listed].filter((code) => !new RegExp(`['"\`]${code}['"\`]`).test(codeSources));
    expect(missing).toEqual([]);
  });
});
