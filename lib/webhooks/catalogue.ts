import { db } from '@/lib/db';
import { TOMBSTONE_TYPE, VERSION_TYPE } from '@/lib/webhooks/entity-versions';

/**
 * Every event type Scalekit publishes, in the order of its OpenAPI document's `webhooks:` section
 * (scalekit-inc/developer-docs openapi/scalekit.yaml, pinned in test/contract/scalekit/SOURCE.md).
 * catalogue.test.ts checks this list against the vendored document, so a new Scalekit event shows
 * up as a failing test rather than as silently ignored traffic.
 */
export const SCALEKIT_EVENT_TYPES = [
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organization.domain_created',
  'organization.domain_deleted',
  'organization.domain_dns_verification_success',
  'organization.domain_dns_verification_failed',
  'user.signup',
  'user.login',
  'user.logout',
  'user.organization_invitation',
  'user.organization_membership_created',
  'user.organization_membership_deleted',
  'user.organization_membership_updated',
  'organization.directory_enabled',
  'organization.directory_disabled',
  'organization.directory.user_created',
  'organization.directory.user_updated',
  'organization.directory.user_deleted',
  'organization.directory.group_created',
  'organization.directory.group_updated',
  'organization.directory.group_deleted',
  'organization.sso_created',
  'organization.sso_enabled',
  'organization.sso_disabled',
  'organization.sso_deleted',
  'role.created',
  'role.updated',
  'role.deleted',
  'permission.created',
  'permission.updated',
  'permission.deleted',
  'connected_account.created',
  'connected_account.updated',
  'connected_account.status_updated',
  'connected_account.deleted',
  'connected_account.magic_link_generated',
  'connected_account.oauth_tokens_fetched',
  'connected_account.token_refresh_succeeded',
  'connected_account.token_refresh_failed',
  'connected_account.oauth_succeeded',
] as const;

export type ScalekitEventType = (typeof SCALEKIT_EVENT_TYPES)[number];

const DOCUMENTED: ReadonlySet<string> = new Set(SCALEKIT_EVENT_TYPES);

export function isDocumentedEventType(type: string): type is ScalekitEventType {
  return DOCUMENTED.has(type);
}

/**
 * How many events of each type Scalekit does not document have arrived (every event is recorded
 * in ProcessedWebhook with its type, so the count survives restarts and is shared by every app
 * instance). Non-empty means Scalekit sends something this app was not built for: each one was
 * also logged at warn when it arrived.
 */
export async function unknownEventTypeCounts(): Promise<Record<string, number>> {
  const rows = await db.processedWebhook.groupBy({
    by: ['type'],
    where: { type: { notIn: [...SCALEKIT_EVENT_TYPES, VERSION_TYPE, TOMBSTONE_TYPE] } },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.type, r._count._all]));
}
