import type { Operation } from '../registry';
import { exportOperations } from './exports';
import { invitationRequestOperations } from './invitation-requests';
import { invitationOperations } from './invitations';
import { platformOperations } from './platform';

/**
 * Every operation the OpenAPI document describes. A new public route adds its entries to the
 * file of its area (or a new file listed here); lib/openapi/document.test.ts fails until every
 * method of every app/api route outside EXCLUDED_ROUTE_PREFIXES has one.
 */
export const OPERATIONS: readonly Operation[] = [
  ...invitationOperations,
  ...invitationRequestOperations,
  ...exportOperations,
  ...platformOperations,
];

/**
 * Routes that are not part of the public API: the sign-in flow (browser navigations answering
 * with redirects, docs/api.md#sign-in-and-sessions) and Scalekit's webhooks (called by Scalekit,
 * signed with its secret). They stay in docs/api.md, not in the OpenAPI document.
 */
export const EXCLUDED_ROUTE_PREFIXES = ['/api/auth/', '/api/webhooks/'] as const;
