import type { ConnectRouter } from '@connectrpc/connect';
import {
  DomainService,
  DomainType,
  VerificationMethod,
  VerificationStatus,
} from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/domains/domains_pb.js';
import * as directory from '../directory.js';
import type { Directory } from '../directory.js';
import * as domains from '../domains.js';
import { invalid } from '../errors.js';
import type { DomainTypeName } from '../seed.js';
import type { DomainRecord } from '../state.js';
import { ts } from './convert.js';
import { guarded } from './services.js';

// DomainService (openapi/scalekit.yaml /api/v1/organizations/{organization_id}/domains).

type OrgIdentities = { case: 'organizationId' | 'externalId'; value: string } | { case: undefined; value?: undefined };

const organizationOf = (dir: Directory, identities: OrgIdentities) =>
  directory.findOrganization(
    dir.state,
    identities.case === 'organizationId'
      ? { case: 'id', value: identities.value }
      : identities.case === 'externalId'
        ? { case: 'externalId', value: identities.value }
        : { case: undefined },
  );

function domainTypeName(type: DomainType): DomainTypeName | undefined {
  if (type === DomainType.ALLOWED_EMAIL_DOMAIN) return 'ALLOWED_EMAIL_DOMAIN';
  if (type === DomainType.ORGANIZATION_DOMAIN) return 'ORGANIZATION_DOMAIN';
  if (type === DomainType.DOMAIN_TYPE_UNSPECIFIED) return undefined;
  throw invalid('INVALID_DOMAIN_TYPE', `domain_type ${type} is not ALLOWED_EMAIL_DOMAIN or ORGANIZATION_DOMAIN`);
}

export function domainMessage(d: DomainRecord, environmentId: string) {
  return {
    id: d.id,
    domain: d.domain,
    environmentId,
    organizationId: d.organizationId,
    txtRecordKey: d.txtRecordKey,
    txtRecordSecret: d.txtRecordSecret,
    verificationStatus: VerificationStatus[d.verificationStatus],
    verificationMethod: VerificationMethod[d.verificationMethod],
    domainType: DomainType[d.domainType],
    createTime: ts(d.createdAt),
    updateTime: ts(d.updatedAt),
  };
}

export function registerDomainService(router: ConnectRouter, dir: Directory): void {
  const { state } = dir;
  const out = (d: DomainRecord) => domainMessage(d, state.environment.environmentId);
  router.service(
    DomainService,
    guarded({
      async createDomain(req) {
        const org = organizationOf(dir, req.identities);
        // A domain created without a type is an SSO-routing domain, what every domain was
        // before Scalekit added the type ("backward compatibility" in the SDK's tests).
        const type = domainTypeName(req.domain?.domainType ?? DomainType.DOMAIN_TYPE_UNSPECIFIED) ?? 'ORGANIZATION_DOMAIN';
        return { domain: out(domains.createDomain(dir, { organizationId: org.id, name: req.domain?.domain ?? '', type, addedBy: 'api' })) };
      },
      async getDomain(req) {
        const org = organizationOf(dir, req.identities);
        return { domain: out(domains.requireDomain(dir, org.id, req.id)) };
      },
      async updateDomain(req) {
        // UpdateDomain carries no updatable field in this API version: it returns the domain as is.
        const org = organizationOf(dir, req.identities);
        return { domain: out(domains.requireDomain(dir, org.id, req.id)) };
      },
      async deleteDomain(req) {
        const org = organizationOf(dir, req.identities);
        domains.deleteDomain(dir, domains.requireDomain(dir, org.id, req.id));
        return {};
      },
      async verifyDomain(req) {
        const org = organizationOf(dir, req.identities);
        return { verified: domains.isVerified(domains.requireDomain(dir, org.id, req.id).verificationStatus) };
      },
      async listDomains(req) {
        const org = organizationOf(dir, req.identities);
        // OpenAPI: page_size defaults to 30, at most 100; page_number is 0-based.
        const pageSize = req.pageSize ?? 0;
        if (pageSize < 0 || pageSize > 100) throw invalid('INVALID_PAGE_SIZE', `page_size must be between 1 and 100, got ${pageSize}`);
        const pageNumber = req.pageNumber ?? 0;
        if (pageNumber < 0) throw invalid('INVALID_PAGE_NUMBER', `page_number must be 0 or more, got ${pageNumber}`);
        const size = pageSize || 30;
        const page = domains
          .organizationDomains(dir, org.id, domainTypeName(req.domainType))
          .slice(pageNumber * size, (pageNumber + 1) * size);
        return { domains: page.map(out), pageNumber, pageSize: page.length };
      },
    }),
  );
}
