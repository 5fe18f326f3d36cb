/**
 * Regenerates test/contract/scalekit/webhooks.json from a local checkout of
 * scalekit-inc/developer-docs: the OpenAPI document's `webhooks` section and every
 * components.schemas entry it references, directly or through other schemas. The tests read only
 * the JSON, so they never need the checkout, and a re-vendor shows up as a reviewable diff.
 *
 *   npx tsx scripts/vendor-scalekit-webhooks.ts <path to openapi/scalekit.yaml> <commit>
 *
 * Event types outside the app's scope (connected_account.*, AgentKit) are vendored too: the
 * contract tests must see the whole catalogue to tell "handled", "ignored" and "unknown" apart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// js-yaml ships with the lint toolchain and has no bundled types; only `load` is needed.
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const SCHEMA_REF = /^#\/components\/schemas\/(.+)$/;

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const match = SCHEMA_REF.exec(value);
        if (match?.[1]) into.add(match[1]);
      } else {
        collectRefs(value, into);
      }
    }
  }
}

export function extractWebhooksContract(document: { openapi: string; webhooks: Json; components: { schemas: Record<string, Json> } }) {
  const wanted = new Set<string>();
  collectRefs(document.webhooks, wanted);
  const schemas: Record<string, Json> = {};
  const queue = [...wanted];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (name in schemas) continue;
    const schema = document.components.schemas[name];
    if (schema === undefined) throw new Error(`The document references #/components/schemas/${name}, which it does not define.`);
    schemas[name] = schema;
    const nested = new Set<string>();
    collectRefs(schema, nested);
    queue.push(...[...nested].filter((n) => !(n in schemas)));
  }
  const sorted = Object.fromEntries(
    Object.keys(schemas)
      .sort()
      .map((name) => [name, schemas[name]]),
  );
  return { openapi: document.openapi, webhooks: document.webhooks, components: { schemas: sorted } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [yamlPath, commit] = process.argv.slice(2);
  if (!yamlPath || !/^[0-9a-f]{40}$/.test(commit ?? '')) {
    console.error('usage: tsx scripts/vendor-scalekit-webhooks.ts <openapi/scalekit.yaml> <40-hex commit>');
    process.exit(2);
  }
  // JSON_SCHEMA: timestamps in the examples stay strings, as they are on the wire.
  const { JSON_SCHEMA } = createRequire(import.meta.url)('js-yaml') as { JSON_SCHEMA: unknown };
  const document = (load as (text: string, options: { schema: unknown }) => unknown)(readFileSync(yamlPath, 'utf8'), {
    schema: JSON_SCHEMA,
  }) as Parameters<typeof extractWebhooksContract>[0];
  const contract = {
    source: { repository: 'scalekit-inc/developer-docs', path: 'openapi/scalekit.yaml', commit },
    ...extractWebhooksContract(document),
  };
  const out = fileURLToPath(new URL('../test/contract/scalekit/webhooks.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify(contract, null, 2)}\n`);
  console.log(
    `${out}: ${Object.keys(contract.webhooks as object).length} event types, ${Object.keys(contract.components.schemas).length} schemas`,
  );
}
