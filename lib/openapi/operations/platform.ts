import { healthReportSchema } from '../schemas';
import { defineOperation } from '../registry';

/** Health and the API's own description. */
export const platformOperations = [
  defineOperation({
    method: 'get',
    path: '/api/health',
    operationId: 'getHealth',
    summary: 'Liveness for load balancers and uptime checks',
    description:
      'Without a token: PostgreSQL only. With `Authorization: Bearer <HEALTH_CHECK_TOKEN>` (or a signed-in admin): Scalekit too. Rate-limited per client address.',
    tag: 'Platform',
    auth: { kind: 'public', optionalBearer: 'HEALTH_CHECK_TOKEN, for the detailed check' },
    responses: {
      200: { description: 'Every checked dependency is up.', json: healthReportSchema },
      503: { description: 'A checked dependency is down (same body).', json: healthReportSchema },
    },
    errors: ['invalid_health_token', 'rate_limited'],
  }),
  defineOperation({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document (OpenAPI 3.1)',
    tag: 'Platform',
    auth: { kind: 'public' },
    responses: {
      200: {
        description: 'The OpenAPI document.',
        media: {
          type: 'application/json',
          schema: {
            type: 'object',
            required: ['openapi', 'info', 'paths'],
            properties: { openapi: { type: 'string', pattern: '^3\\.1\\.' }, info: { type: 'object' }, paths: { type: 'object' } },
          },
        },
      },
    },
    errors: [],
    cacheable: true,
  }),
];
