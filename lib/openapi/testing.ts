/**
 * Test-only: Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) loaded with the served document,
 * to check the document itself and real responses against it. Nothing in the app imports it.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { buildOpenApiDocument } from './document';

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument> & {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, unknown> };
};

export interface OperationObject {
  operationId: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema: unknown }>;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security: Array<Record<string, string[]>>;
  [key: string]: unknown;
}

export const DOCUMENT_ID = 'https://teamgate.invalid/openapi.json';

/** Formats the OAS meta-schema and zod's output use; Ajv knows none without ajv-formats. */
const FORMATS: Record<string, RegExp | ((value: string) => boolean)> = {
  uri: (v) => URL.canParse(v),
  'uri-reference': (v) => URL.canParse(v, 'https://base.invalid/'),
  email: /^[^\s@]+@[^\s@]+$/,
  'media-range': /^[\w.+*-]+\/[\w.+*-]+(\s*;.*)?$/,
  'date-time': (v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v),
  date: /^\d{4}-\d{2}-\d{2}$/,
};

/** `strict: false` only for the OAI's meta-schema, which is not written for Ajv's strict mode; ours must pass it. */
export function newAjv({ strict = true }: { strict?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ strict, allErrors: true });
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/**
 * An Ajv holding the document under DOCUMENT_ID, so `#/components/schemas/…` refs resolve. The
 * document's non-schema members are declared as annotation keywords for this one instance:
 * everything that IS a schema is still compiled strictly.
 */
export function documentAjv(document: OpenApiDocument): Ajv2020 {
  const ajv = newAjv();
  for (const keyword of ['openapi', 'info', 'tags', 'paths', 'components']) ajv.addKeyword({ keyword });
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  return ajv;
}

/** A validator for the schema at `segments` inside the document, e.g. ['paths', '/api/health', 'get', …]. */
export function validatorAt(ajv: Ajv2020, segments: readonly string[]): ValidateFunction {
  const fragment = segments.map((s) => '/' + encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('');
  return ajv.getSchema(`${DOCUMENT_ID}#${fragment}`) ?? ajv.compile({ $ref: `${DOCUMENT_ID}#${fragment}` });
}

/** `/api/invitations/abc/resend` → the document's `/api/invitations/{id}/resend`. */
export function documentedPath(document: OpenApiDocument, path: string): string | undefined {
  return Object.keys(document.paths).find((template) => {
    const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return re.test(path);
  });
}

/**
 * Checks a real response against the document: the status is documented for the operation, the
 * content type is one it lists, and a JSON body validates against its schema. Returns the parsed
 * body. A field, status or code the document does not describe fails here.
 */
export async function expectDocumented(
  document: OpenApiDocument,
  ajv: Ajv2020,
  method: string,
  url: string,
  response: Response,
): Promise<unknown> {
  const pathname = new URL(url, 'http://localhost').pathname;
  const template = documentedPath(document, pathname);
  expect(template, `${method} ${pathname} is in the document`).toBeDefined();
  const op = document.paths[template!]![method.toLowerCase()];
  expect(op, `${method} ${template} is in the document`).toBeDefined();
  const status = String(response.status);
  const documented = op!.responses[status];
  expect(documented, `${op!.operationId} documents status ${status}`).toBeDefined();
  const text = await response.text();
  const content = documented!.content;
  if (!content) {
    expect(text, `${op!.operationId} ${status} has no body`).toBe('');
    return null;
  }
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const mediaType = Object.keys(content).find((m) => m === type || (m.endsWith('/*') && type.startsWith(m.slice(0, -1))));
  expect(mediaType, `${op!.operationId} ${status} lists content type ${type}`).toBeDefined();
  if (mediaType !== 'application/json' || !content[mediaType]!.schema) return text;
  const body = JSON.parse(text);
  const validate = validatorAt(ajv, [
    'paths',
    template!,
    method.toLowerCase(),
    'responses',
    status,
    'content',
    'application/json',
    'schema',
  ]);
  const ok = validate(body);
  expect(
    ok ? [] : validate.errors,
    `${op!.operationId} ${status} body matches the document: ${JSON.stringify(body).slice(0, 300)}`,
  ).toEqual([]);
  return body;
}
