import { db } from '@/lib/db';
import { log } from '@/lib/log';
import { revokeOrganizationSessions, revokeUserSessions } from '@/lib/session/store';
import { isDocumentedEventType } from '@/lib/webhooks/catalogue';
import {
  applyMembershipChange,
  applyMembershipDeleted,
  readMembershipSnapshot,
  type MembershipSnapshot,
} from '@/lib/webhooks/membership-events';
import {
  applyOrganizationDeleted,
  applyOrganizationUpsert,
  readOrganizationSnapshot,
  type OrganizationSnapshot,
} from '@/lib/webhooks/organization-events';
import { newAfterCommit, type WebhookOutcome } from '@/lib/webhooks/outcome';
import {
  membershipEventDataSchema,
  organizationEventDataSchema,
  parseEventData,
  permissionEventDataSchema,
  roleEventDataSchema,
  userAuthEventDataSchema,
  type MembershipEventData,
  type OrganizationEventData,
} from '@/lib/webhooks/payloads';
import { applyRoleChange, readPermissionChange, readRoleChange, type RoleChangePlan } from '@/lib/webhooks/role-events';
import { applyUserLogin, applyUserLogout } from '@/lib/webhooks/session-events';
import { applyDomainChange, DOMAIN_EVENTS, readDomainChange, type DomainsPlan } from '@/lib/webhooks/domain-events';
import type { WebhookEnvelope } from '@/lib/webhooks/verify';

export type { WebhookOutcome } from '@/lib/webhooks/outcome';

/**
 * Applies a verified Scalekit event to the mirror. The event names and payloads are Scalekit's
 * published ones (openapi/scalekit.yaml `webhooks:`, vendored in test/contract/scalekit/).
 *
 * Exactly once per event id: the ProcessedWebhook row is inserted in the same transaction as the
 * mirror change, so a redelivery (Scalekit retries until it sees a 2xx) finds the id and does
 * nothing, and a crash before commit leaves neither, so the retry applies it. Two deliveries of
 * one id at the same moment serialise on the primary key; the second sees a duplicate.
 *
 * Out of order safe: each membership and organization remembers the time of the newest event
 * applied to it (and a tombstone when deleted), so an older event arriving late is skipped
 * (lib/webhooks/entity-versions).
 *
 * Where a payload lacks what the mirror needs (a membership's status and roles, an organization's
 * seat limit), Scalekit is asked before the transaction opens: a network call never holds a
 * database connection, and a failure is a 500 that Scalekit retries.
 */

/**
 * Scalekit delivers events in bursts (a bulk invite of hundreds sends as many at once). With
 * Prisma's default 2 s to start a transaction, the ones queued behind the pool got a 500 and
 * waited for Scalekit's retry; like the members service, wait for a connection instead.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

/** Membership events whose current state is read from Scalekit and mirrored. */
const MEMBERSHIP_CHANGES = new Set([
  'user.organization_invitation',
  'user.organization_membership_created',
  'user.organization_membership_updated',
  // "a user signs up to create a new organization": its first membership, in a new organization.
  'user.signup',
]);

type Prefetched =
  | { kind: 'membership'; data: MembershipEventData; snapshot: MembershipSnapshot }
  | { kind: 'organization'; data: OrganizationEventData; snapshot: OrganizationSnapshot }
  | { kind: 'roles'; plan: RoleChangePlan }
  | { kind: 'domains'; plan: DomainsPlan }
  | { kind: 'none' };

const ROLE_EVENTS = new Set(['role.created', 'role.updated', 'role.deleted']);
const PERMISSION_EVENTS = new Set(['permission.created', 'permission.updated', 'permission.deleted']);

async function alreadyProcessed(id: string): Promise<boolean> {
  return (await db.processedWebhook.findUnique({ where: { id }, select: { id: true } })) !== null;
}

/** Parses the data (a 400 before anything else) and reads from Scalekit what the payload lacks. */
async function prefetch(event: WebhookEnvelope): Promise<Prefetched> {
  if (MEMBERSHIP_CHANGES.has(event.type)) {
    const data = parseEventData(membershipEventDataSchema, event);
    // A redelivery of an applied event would only cost a Scalekit call to find the duplicate.
    if (await alreadyProcessed(event.id)) return { kind: 'none' };
    return { kind: 'membership', data, snapshot: await readMembershipSnapshot(data) };
  }
  if (event.type === 'organization.created' || event.type === 'organization.updated') {
    const data = parseEventData(organizationEventDataSchema, event);
    if (await alreadyProcessed(event.id)) return { kind: 'none' };
    return { kind: 'organization', data, snapshot: await readOrganizationSnapshot(data.id) };
  }
  if (ROLE_EVENTS.has(event.type)) {
    const data = parseEventData(roleEventDataSchema, event);
    if (await alreadyProcessed(event.id)) return { kind: 'none' };
    return { kind: 'roles', plan: await readRoleChange(data.name, event.organization_id ?? null, event.type === 'role.deleted') };
  }
  if (PERMISSION_EVENTS.has(event.type)) {
    parseEventData(permissionEventDataSchema, event);
    if (await alreadyProcessed(event.id)) return { kind: 'none' };
    return { kind: 'roles', plan: await readPermissionChange() };
  }
  if (DOMAIN_EVENTS.has(event.type)) {
    if (await alreadyProcessed(event.id)) return { kind: 'none' };
    return { kind: 'domains', plan: await readDomainChange(event) };
  }
  return { kind: 'none' };
}

export async function processScalekitEvent(event: WebhookEnvelope): Promise<WebhookOutcome> {
  const occurredAt = new Date(event.occurred_at);
  const prefetched = await prefetch(event);
  const after = newAfterCommit();
  const outcome = await db.$transaction(async (tx): Promise<WebhookOutcome> => {
    const inserted = await tx.processedWebhook.createMany({
      data: [{ id: event.id, type: event.type.slice(0, 128) }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return 'duplicate';

    if (prefetched.kind === 'membership') {
      return applyMembershipChange(tx, prefetched.data, prefetched.snapshot, occurredAt, after);
    }
    if (prefetched.kind === 'organization') {
      return applyOrganizationUpsert(tx, prefetched.data, prefetched.snapshot, occurredAt);
    }
    if (prefetched.kind === 'roles') return applyRoleChange(tx, prefetched.plan, event.organization_id ?? null);
    if (prefetched.kind === 'domains') return applyDomainChange(tx, prefetched.plan);
    switch (event.type) {
      case 'user.organization_membership_deleted':
        return applyMembershipDeleted(tx, parseEventData(membershipEventDataSchema, event), occurredAt, after);
      case 'organization.deleted':
        return applyOrganizationDeleted(tx, parseEventData(organizationEventDataSchema, event), occurredAt, after);
      case 'user.login':
        return applyUserLogin(tx, parseEventData(userAuthEventDataSchema, event), occurredAt);
      case 'user.logout':
        return applyUserLogout(tx, parseEventData(userAuthEventDataSchema, event));
      default:
        // Recorded as processed all the same: Scalekit need not retry what we do not use. A type
        // Scalekit does not document is worth a look (catalogue.ts unknownEventTypeCounts()).
        if (isDocumentedEventType(event.type)) return 'ignored';
        log.warn({ type: event.type.slice(0, 128), webhookId: event.id }, 'webhook of a type Scalekit does not document');
        return 'unknown';
    }
  }, TRANSACTION_OPTIONS);
  for (const { userId, organizationId } of after.revokeSessions) {
    await revokeUserSessions(userId, { organizationId, reason: 'member_removed' });
  }
  for (const organizationId of after.revokeOrganizationSessions) {
    await revokeOrganizationSessions(organizationId, 'organization_deleted');
  }
  return outcome;
}
