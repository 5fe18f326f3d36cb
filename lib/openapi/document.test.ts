import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GET } from '@/app/api/openapi.json/route';
import { buildOpenApiDocument, openApiJson } from './document';
import { EXCLUDED_ROUTE_PREFIXES, OPERATIONS } from './operations';
import { defineOperation } from './registry';
import { documentAjv, newAjv, validatorAt, type OpenApiDocument } from './testing';
import oasSchema from './vendor/oas-3.1-schema-2022-10-07.json';

/**
 * The served OpenAPI document: valid OpenAPI 3.1 (the OAI's published meta-schema, vendored),
 * every schema in it compiles as JSON Schema 2020-12, every public route method is in it, and
 * the route serves it publicly with the right type. The responses themselves are checked against
 * it by lib/openapi/contract.int.test.ts.
 */

const ROOT = join(__dirname, '../..');
const document = buildOpenApiDocument() as OpenApiDocument;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return /^route\.tsx?$/.test(name) ? [path] : [];
  });
}

/** app/api/invitations/[id]/resend/route.ts → /api/invitations/{id}/resend (OpenAPI's template syntax). */
function templateOf(file: string): string {
  const segments = relative(join(ROOT, 'app'), file).split(sep).slice(0, -1);
  return (
    '/' +
    segments
      .filter((s) => !/^\(.*\)$/.test(s))
      .map((s) => s.replace(/^\[(.+)\]$/, '{$1}'))
      .join('/')
  );
}

function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Z]+)\s*\(/g)) found.add(m[1]!);
  for (const m of source.matchAll(/export\s+(?:const|let)\s+([A-Z]+)\s*=/g)) found.add(m[1]!);
  return [...found].filter((m) => METHODS.includes(m));
}

const served = routeFiles(join(ROOT, 'app/api'))
  .map((file) => ({ path: templateOf(file), methods: exportedMethods(readFileSync(file, 'utf8')) }))
  .filter((r) => !EXCLUDED_ROUTE_PREFIXES.some((prefix) => r.path.startsWith(prefix)))
  .flatMap((r) => r.methods.map((m) => `${m} ${r.path}`));

const declared = OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`);

/** Every schema object in the document, with where it is. */
function schemaLocations(doc: OpenApiDocument): Array<{ at: string[]; schema: unknown }> {
  const out: Array<{ at: string[]; schema: unknown }> = [];
  for (const [name, schema] of Object.entries(doc.components.schemas)) out.push({ at: ['components', 'schemas', name], schema });
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      op.parameters.forEach((p, i) => out.push({ at: ['paths', path, method, 'parameters', String(i), 'schema'], schema: p.schema }));
      const body = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content;
      for (const [type, media] of Object.entries(body ?? {}))
        if (media.schema) out.push({ at: ['paths', path, method, 'requestBody', 'content', type, 'schema'], schema: media.schema });
      for (const [status, response] of Object.entries(op.responses))
        for (const [type, media] of Object.entries(response.content ?? {}))
          if (media.schema) out.push({ at: ['paths', path, method, 'responses', status, 'content', type, 'schema'], schema: media.schema });
    }
  }
  return out;
}

/**
 * The meta-schema marks every Schema Object with `$dynamicRef: "#meta"`, resolved to its own
 * `$defs/schema` (`$dynamicAnchor: meta`: any object or boolean); the dialect's stricter check
 * would swap in another anchor. Ajv 8 resolves that dynamic reference to the wrong place (it
 * validates a parameter's schema as if it were the parameter), so the test uses the static
 * equivalent: the same target, referenced by `$ref`. The vendored file itself stays unchanged;
 * the schemas inside the document are compiled on their own by the next test.
 */
function staticMetaSchema(schema: unknown): unknown {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"').replaceAll('"$dynamicAnchor":"meta",', ''),
  );
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (the OAI meta-schema)', () => {
    const validate = newAjv({ strict: false }).compile(staticMetaSchema(oasSchema) as object);
    expect(validate(document) ? [] : validate.errors).toEqual([]);
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
  });

  it('the meta-schema check has teeth: a broken document fails it', () => {
    const validate = newAjv({ strict: false }).compile(staticMetaSchema(oasSchema) as object);
    const broken = structuredClone(document);
    (broken.paths['/api/invitations']!.get as unknown as Record<string, unknown>).responses = 'none';
    expect(validate(broken)).toBe(false);
    expect(validate({ ...document, openapi: '3.0.3' })).toBe(false);
  });

  it('every schema in it compiles as strict JSON Schema 2020-12, and every $ref resolves', () => {
    const ajv = documentAjv(document);
    const locations = schemaLocations(document);
    expect(locations.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const { at } of locations) {
      try {
        validatorAt(ajv, at);
      } catch (error) {
        failures.push(`${at.join(' ')}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('describes every method of every app/api route except the sign-in flow and Scalekit webhooks, and nothing else', () => {
    expect(served).toContain('GET /api/invitations/{id}');
    expect(served.filter((r) => !declared.includes(r))).toEqual([]);
    expect(declared.filter((d) => !served.includes(d))).toEqual([]);
  });

  it('names the scopes each API-key operation needs, in its security requirement', () => {
    const op = (path: string, method: string) => document.paths[path]![method]!;
    expect(op('/api/invitations', 'get').security).toEqual([{ apiKey: ['invitations:read'] }, { session: [] }]);
    expect(op('/api/invitations', 'post').security).toEqual([{ apiKey: ['invitations:write'] }, { session: [], csrfToken: [] }]);
    expect(op('/api/invitations/{id}', 'delete')['x-scopes']).toEqual(['invitations:write']);
    expect(op('/api/orgs/{orgId}/members.csv', 'get').security).toEqual([{ session: [] }]);
    expect(op('/api/health', 'get').security).toEqual([{}, { healthToken: [] }]);
  });

  it('publishes the query parameters the list route parses, from its own zod schema', () => {
    const names = document.paths['/api/invitations']!.get!.parameters.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['status', 'email', 'emailPrefix', 'role', 'externalId', 'createdAfter', 'createdBefore', 'cursor', 'limit']),
    );
    const status = document.paths['/api/invitations']!.get!.parameters.find((p) => p.name === 'status')!;
    expect(status.schema).toMatchObject({ enum: ['PENDING_INVITE', 'INVITE_EXPIRED', 'FAILED', 'ACCEPTED'] });
  });

  it('an error response admits only the codes the operation declares', () => {
    const ajv = documentAjv(document);
    const validate = validatorAt(ajv, [
      'paths',
      '/api/invitations/{id}',
      'get',
      'responses',
      '404',
      'content',
      'application/json',
      'schema',
    ]);
    expect(validate({ error: { code: 'invitation_not_found', message: 'That invitation does not exist in this organization.' } })).toBe(
      true,
    );
    expect(validate({ error: { code: 'review_not_found', message: 'x' } })).toBe(false);
    expect(validate({ error: { code: 'invitation_not_found', message: 'x', stack: 'leak' } })).toBe(false);
  });

  it('refuses a registry mistake at build time: an unregistered schema or a duplicate operation', async () => {
    const { z } = await import('zod');
    const stray = defineOperation({
      ...OPERATIONS[0]!,
      operationId: 'stray',
      responses: { 200: { description: 'x', json: z.object({}) } },
    });
    expect(() => buildOpenApiDocument([stray])).toThrow(/not registered/);
    expect(() => buildOpenApiDocument([OPERATIONS[0]!, OPERATIONS[0]!])).toThrow(/twice/);
  });

  it('carries no secret: no API key, no environment secret, no organization id', () => {
    const text = openApiJson();
    expect(text).not.toMatch(/tg_live_[A-Za-z0-9]{8,}/);
    expect(text).not.toMatch(/org_[a-z0-9]{3,}/);
    for (const name of ['SESSION_SECRET', 'SCALEKIT_CLIENT_SECRET', 'HEALTH_CHECK_TOKEN', 'SCALEKIT_WEBHOOK_SECRET']) {
      const value = process.env[name];
      if (value && value.length >= 8) expect(text).not.toContain(value);
    }
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the document publicly as cacheable JSON, without credentials', async () => {
    const res = GET();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(res.headers.get('cache-control')).toMatch(/public/);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
