import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '@/lib/errors/codes';
import { OPERATIONS } from './operations';
import type { BodySpec, Operation, ResponseSpec } from './registry';
import { requestSchemas, responseSchemas, type SchemaMeta } from './schemas';

/**
 * The OpenAPI 3.1 document served at GET /api/openapi.json, built from OPERATIONS
 * (lib/openapi/operations) and the zod schemas the routes parse with (z.toJSONSchema, JSON Schema
 * 2020-12: OpenAPI 3.1's own dialect). Public and the same for everyone: it names scopes and
 * schemes, never a key, a secret or an organization.
 */

type Json = Record<string, unknown>;

export const SCHEMA_REF = '#/components/schemas/';
const ref = (id: string) => ({ $ref: `${SCHEMA_REF}${id}` });

/** The description a schema was registered with (zod's registry conversion keeps only the id). */
function registeredDescription(registry: z.core.$ZodRegistry<SchemaMeta>, id: string): string | undefined {
  const schema = registry._idmap.get(id);
  return schema ? registry.get(schema)?.description : undefined;
}

function componentSchemas(): Record<string, Json> {
  const out: Record<string, Json> = {};
  const convert = (registry: z.core.$ZodRegistry<SchemaMeta>, io: 'input' | 'output') => {
    const { schemas } = z.toJSONSchema(registry, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'any',
      uri: (id) => `${SCHEMA_REF}${id}`,
    }) as { schemas: Record<string, Json> };
    for (const [id, schema] of Object.entries(schemas)) {
      if (out[id]) throw new Error(`OpenAPI: two schemas are named ${id}.`);
      // Each component is a schema inside one document, not a document of its own.
      const { $schema: _dialect, $id: _id, ...rest } = schema;
      void _dialect;
      void _id;
      const description = registeredDescription(registry, id);
      out[id] = description && !rest.description ? { description, ...rest } : rest;
    }
  };
  convert(requestSchemas, 'input');
  convert(responseSchemas, 'output');
  return out;
}

function registeredId(schema: z.ZodType, registry: z.core.$ZodRegistry<SchemaMeta>, where: string): string {
  const meta = registry.get(schema);
  if (!meta) throw new Error(`OpenAPI: ${where} uses a schema that is not registered in lib/openapi/schemas.ts.`);
  return meta.id;
}

function requestBody(op: Operation): Json | undefined {
  if (!op.body) return undefined;
  const where = `${op.method.toUpperCase()} ${op.path} body`;
  const one = (b: BodySpec) => ({
    ...ref(registeredId(b.schema, requestSchemas, where)),
    ...(b.description ? { description: b.description } : {}),
  });
  const schema = 'oneOf' in op.body ? { oneOf: op.body.oneOf.map(one) } : one(op.body);
  return { required: true, content: { 'application/json': { schema } } };
}

function queryParameters(op: Operation): Json[] {
  const params: Json[] = [];
  if (op.query) {
    const schema = z.toJSONSchema(op.query, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      params.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property });
    }
  }
  for (const [name, p] of Object.entries(op.queryParameters ?? {}))
    params.push({ name, in: 'query', required: false, description: p.description, schema: p.schema });
  for (const [name, p] of Object.entries(op.headerParameters ?? {}))
    params.push({ name, in: 'header', required: false, description: p.description, schema: p.schema });
  if (op.auth.kind === 'apiKey') {
    params.push({
      name: 'organizationId',
      in: 'query',
      required: false,
      description: 'Session callers only: another organization the user belongs to. A key always acts in its own (another is 403).',
      schema: { type: 'string' },
    });
  }
  return params;
}

const RETRY_AFTER = { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } };

function successResponse(op: Operation, r: ResponseSpec): Json {
  const content: Json = {};
  if (r.json) content['application/json'] = { schema: ref(registeredId(r.json, responseSchemas, `${op.operationId} response`)) };
  if (r.media) {
    const schema = r.media.schema ?? (r.media.description ? { type: 'string', description: r.media.description } : undefined);
    content[r.media.type] = schema ? { schema } : {};
  }
  return { description: r.description, ...(Object.keys(content).length ? { content } : {}), ...(r.headers ? { headers: r.headers } : {}) };
}

/** The error codes by status, each status one response whose schema admits exactly those codes. */
function errorResponses(op: Operation): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...op.errors, 'internal_error' as const]) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
  }
  const out: Record<string, Json> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    if (op.responses[status]) throw new Error(`OpenAPI: ${op.operationId} answers ${status} both as a success and as an error.`);
    out[String(status)] = {
      description: codes.map((c) => `\`${c}\``).join(', '),
      ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      ...(status === 401 ? { headers: { 'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } } } } : {}),
      content: {
        'application/json': {
          schema: {
            allOf: [ref('Problem'), { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } }],
          },
        },
      },
    };
  }
  return out;
}

function security(op: Operation): Json[] {
  switch (op.auth.kind) {
    case 'apiKey':
      // OpenAPI 3.1 lets a non-OAuth requirement list the roles it needs: here, the key's scopes.
      return [{ apiKey: [...op.auth.scopes] }, op.auth.csrf ? { session: [], csrfToken: [] } : { session: [] }];
    case 'session':
      return [{ session: [] }];
    case 'public':
      return op.auth.optionalBearer ? [{}, { healthToken: [] }] : [];
  }
}

function operationObject(op: Operation): Json {
  const pathParams = Object.entries(op.pathParameters ?? {}).map(([name, p]) => ({
    name,
    in: 'path',
    required: true,
    description: p.description,
    schema: p.schema ?? { type: 'string' },
  }));
  const responses: Record<string, Json> = {};
  for (const [status, r] of Object.entries(op.responses)) responses[status] = successResponse(op, r);
  Object.assign(responses, errorResponses(op));
  const body = requestBody(op);
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    security: security(op),
    ...(op.auth.kind === 'apiKey' ? { 'x-scopes': [...op.auth.scopes] } : {}),
    parameters: [...pathParams, ...queryParameters(op)],
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

export function buildOpenApiDocument(operations: readonly Operation[] = OPERATIONS): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const ids = new Set<string>();
  for (const op of operations) {
    if (ids.has(op.operationId)) throw new Error(`OpenAPI: operationId ${op.operationId} is used twice.`);
    ids.add(op.operationId);
    const item = (paths[op.path] ??= {});
    if (item[op.method]) throw new Error(`OpenAPI: ${op.method.toUpperCase()} ${op.path} is declared twice.`);
    item[op.method] = operationObject(op);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Teamgate API',
      version: '1',
      description:
        'Invitations for CRM/HR integrations (API keys), the organization CSV exports (signed-in people) and health. Errors are `{ error: { code, message, fields? } }`; docs/api.md explains each operation in prose.',
    },
    tags: [
      { name: 'Invitations', description: 'The invitations API (API key or session).' },
      { name: 'Exports', description: 'Downloads for signed-in people.' },
      { name: 'Platform', description: 'Health and this document.' },
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'tg_live_…',
          description: 'An API key (Settings → API keys); acts by its scopes.',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: '__Host-tg_session',
          description: 'The session cookie set at sign-in (`tg_session` on plain-HTTP development).',
        },
        csrfToken: {
          type: 'apiKey',
          in: 'header',
          name: 'x-csrf-token',
          description: 'A session caller’s state change also sends the page’s CSRF token.',
        },
        healthToken: { type: 'http', scheme: 'bearer', description: 'HEALTH_CHECK_TOKEN: unlocks the detailed health check.' },
      },
    },
  };
}

let cached: string | null = null;

/** The document as served: built once per process (it depends on code only). */
export function openApiJson(): string {
  cached ??= JSON.stringify(buildOpenApiDocument());
  return cached;
}
