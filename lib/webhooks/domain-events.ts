import { z } from 'zod';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { applyScalekitDomains, readScalekitDomains } from '@/lib/organizations/verified-domains';
import { parseEventData, scalekitId } from '@/lib/webhooks/payloads';
import type { WebhookEnvelope } from '@/lib/webhooks/verify';

/**
 * organization.domain_created | _deleted | _dns_verification_success | _dns_verification_failed
 * (openapi/scalekit.yaml OrganizationDomainEventData): the organization's domain list is read again
 * from Scalekit rather than patched from the payload, so a late or repeated event can only write
 * what Scalekit holds now, and a domain that fails verification stops opening the organization.
 */
export const DOMAIN_EVENTS = new Set([
  'organization.domain_created',
  'organization.domain_deleted',
  'organization.domain_dns_verification_success',
  'organization.domain_dns_verification_failed',
]);

const domainEventDataSchema = z.object({ organization_id: scalekitId });

export interface DomainsPlan {
  organizationId: string;
  /** null: an organization Teamgate does not know, nothing to read or write */
  rows: Awaited<ReturnType<typeof readScalekitDomains>> | null;
}

export async function readDomainChange(event: WebhookEnvelope): Promise<DomainsPlan> {
  const { organization_id: organizationId } = parseEventData(domainEventDataSchema, event);
  const known = await db.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
  return { organizationId, rows: known ? await readScalekitDomains(organizationId) : null };
}

export async function applyDomainChange(tx: Prisma.TransactionClient, plan: DomainsPlan): Promise<'applied' | 'ignored'> {
  if (!plan.rows) return 'ignored';
  await applyScalekitDomains(plan.organizationId, plan.rows, tx);
  return 'applied';
}
