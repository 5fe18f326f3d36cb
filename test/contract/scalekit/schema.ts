/**
 * Validators for Scalekit's published webhook payloads, compiled from the vendored OpenAPI
 * fragment (SOURCE.md). Test-only: the app parses events with zod; this checks both the app's
 * fixtures and the emulator's output against what Scalekit documents.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import contract from './webhooks.json' with { type: 'json' };

interface WebhookOperation {
  post: { requestBody: { content: { 'application/json': { schema: { $ref: string }; example: Record<string, unknown> } } } };
}

export const scalekitWebhooks = contract.webhooks as unknown as Record<string, WebhookOperation>;

/** Every event type Scalekit documents, in the document's order. */
export const documentedEventTypes: readonly string[] = Object.keys(scalekitWebhooks);

// RFC 3339 with any number of fractional digits: Scalekit's examples carry nanoseconds.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addFormat('date-time', DATE_TIME);
ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
ajv.addSchema({ $id: 'scalekit', components: contract.components });

const validators = new Map<string, ValidateFunction>();

/** The documented schema's validator for one event type; throws for a type Scalekit does not list. */
export function webhookValidator(type: string): ValidateFunction {
  const operation = scalekitWebhooks[type];
  if (!operation) throw new Error(`Scalekit documents no webhook event "${type}".`);
  let validate = validators.get(type);
  if (!validate) {
    const ref = operation.post.requestBody.content['application/json'].schema.$ref;
    validate = ajv.compile({ $ref: `scalekit${ref}` });
    validators.set(type, validate);
  }
  return validate;
}

/** The example payload the document gives for one event type. */
export function documentedExample(type: string): Record<string, unknown> {
  const operation = scalekitWebhooks[type];
  if (!operation) throw new Error(`Scalekit documents no webhook event "${type}".`);
  return operation.post.requestBody.content['application/json'].example;
}
