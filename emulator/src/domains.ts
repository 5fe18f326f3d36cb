import type { Directory } from './directory.js';
import { EmulatorError, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import type { DomainTypeName } from './seed.js';
import { adminVerification, newDomainRecord, type DomainRecord, type DomainVerificationStatus } from './state.js';

// Organization domains: the rules Scalekit documents (openapi/scalekit.yaml DomainService_*,
// src/content/docs/authenticate/manage-users-orgs/organization-domains.mdx), independent of
// whether the domain came from the SDK (admin-verified) or the emulated admin portal (DNS).

/** A hostname with at least two labels and an alphabetic top-level label (e.g. acme.com, eu.acme.co.uk). */
const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * "Public/disposable domains (e.g., gmail.com) are blocked" (OpenAPI DomainService_CreateDomain).
 * Scalekit's own list is not published; these are the common providers.
 */
const PUBLIC_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'mail.com',
  'yandex.com',
  'zoho.com',
  'mailinator.com',
  'guerrillamail.com',
  'yopmail.com',
  '10minutemail.com',
  'tempmail.com',
]);

export function normalizeDomain(name: string): string {
  const domain = name.trim().toLowerCase().replace(/\.$/, '');
  if (!domain) throw invalid('INVALID_DOMAIN', 'domain is required');
  if (!DOMAIN_NAME.test(domain)) throw invalid('INVALID_DOMAIN', `"${name}" is not a valid domain name (for example acme.com)`);
  if (PUBLIC_DOMAINS.has(domain)) {
    throw invalid('PUBLIC_DOMAIN_NOT_ALLOWED', `${domain} is a public or disposable email domain and cannot be added to an organization`);
  }
  return domain;
}

/** Payload of the organization.domain_* webhooks (OpenAPI OrganizationDomainEventData). */
export function domainEventData(d: DomainRecord, environmentId: string) {
  return {
    id: d.id,
    domain: d.domain,
    domain_type: d.domainType,
    organization_id: d.organizationId,
    environment_id: environmentId,
    txt_record_key: d.txtRecordKey,
    txt_record_secret: d.txtRecordSecret,
    verification_status: d.verificationStatus,
    verification_method: d.verificationMethod,
    updated_at: d.updatedAt.toISOString(),
  };
}

export function organizationDomains(dir: Directory, organizationId: string, type?: DomainTypeName): DomainRecord[] {
  return [...dir.state.domains.values()].filter((d) => d.organizationId === organizationId && (!type || d.domainType === type));
}

export function requireDomain(dir: Directory, organizationId: string, id: string): DomainRecord {
  if (!id) throw invalid('INVALID_DOMAIN_ID', 'domain id is required');
  const d = dir.state.domains.get(id);
  // Another organization's domain is "not found" here: ids are not a way to probe other tenants.
  if (!d || d.organizationId !== organizationId)
    throw notFound('DOMAIN_NOT_FOUND', `domain ${id} not found in organization ${organizationId}`);
  return d;
}

/**
 * OpenAPI lists "domain already exists" among CreateDomain's 400s. An ORGANIZATION_DOMAIN routes
 * SSO and SCIM to one organization, so no other organization may hold it; an allowed email domain
 * only suggests an organization, so several may list it.
 */
function ensureAvailable(dir: Directory, organizationId: string, domain: string, type: DomainTypeName): void {
  for (const d of dir.state.domains.values()) {
    if (d.domain !== domain || d.domainType !== type) continue;
    if (d.organizationId === organizationId || type === 'ORGANIZATION_DOMAIN') {
      throw invalid(
        'DOMAIN_ALREADY_EXISTS',
        `${domain} is already registered as ${type}${d.organizationId === organizationId ? '' : ' by another organization'}`,
      );
    }
  }
}

export interface NewDomain {
  organizationId: string;
  name: string;
  type: DomainTypeName;
  /** Where it was added: the API/dashboard (admin-verified) or the admin portal (DNS TXT check). */
  addedBy: 'api' | 'portal';
}

export function createDomain(dir: Directory, input: NewDomain): DomainRecord {
  const domain = normalizeDomain(input.name);
  ensureAvailable(dir, input.organizationId, domain, input.type);
  const verification =
    input.addedBy === 'portal' && input.type === 'ORGANIZATION_DOMAIN'
      ? { status: 'PENDING' as const, method: 'DNS' as const }
      : adminVerification(input.type);
  const record = newDomainRecord(input.organizationId, domain, input.type, verification, newId('dom'));
  dir.state.domains.set(record.id, record);
  dir.webhooks.emit('organization.domain_created', domainEventData(record, dir.state.environment.environmentId));
  dir.changed();
  return record;
}

export function deleteDomain(dir: Directory, d: DomainRecord): void {
  dir.state.domains.delete(d.id);
  dir.webhooks.emit('organization.domain_deleted', domainEventData(d, dir.state.environment.environmentId));
  dir.changed();
}

export const isVerified = (status: DomainVerificationStatus) => status === 'VERIFIED' || status === 'AUTO_VERIFIED';

/**
 * The outcome of Scalekit's DNS poll for a portal-added domain: the TXT record was found
 * (VERIFIED) or the verification window ran out (FAILED). Only a PENDING DNS domain changes.
 */
export function settleDnsVerification(dir: Directory, d: DomainRecord, outcome: 'verified' | 'failed'): DomainRecord {
  if (d.verificationMethod !== 'DNS' || d.verificationStatus !== 'PENDING') {
    throw new EmulatorError(
      'FAILED_PRECONDITION',
      'DOMAIN_NOT_PENDING',
      `domain ${d.domain} is not awaiting DNS verification (${d.verificationMethod}, ${d.verificationStatus})`,
    );
  }
  d.verificationStatus = outcome === 'verified' ? 'VERIFIED' : 'FAILED';
  d.updatedAt = new Date();
  dir.webhooks.emit(
    outcome === 'verified' ? 'organization.domain_dns_verification_success' : 'organization.domain_dns_verification_failed',
    domainEventData(d, dir.state.environment.environmentId),
  );
  dir.changed();
  return d;
}
