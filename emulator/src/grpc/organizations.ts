import type { ConnectRouter } from '@connectrpc/connect';
import { TimeUnit } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/commons/commons_pb.js';
import { OrganizationService, SessionPolicyType } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/organizations/organizations_pb.js';
import * as directory from '../directory.js';
import type { Directory, UserRef } from '../directory.js';
import { EmulatorError, invalid } from '../errors.js';
import { issuePortalLink } from '../oauth/portal.js';
import type { OrganizationRecord, SessionPolicyRecord, State } from '../state.js';
import * as convert from './convert.js';
import { guarded } from './services.js';

// OrganizationService (openapi/scalekit.yaml /api/v1/organizations…; the SDK's src/organization.ts).

const ref = (identities: { case?: string; value?: string }): UserRef =>
  identities.case === 'id' || identities.case === 'externalId'
    ? { case: identities.case, value: identities.value ?? '' }
    : { case: undefined };

/**
 * openapi/scalekit.yaml organizationsOrganization.slug: "A single DNS label (e.g. acme) or hostname
 * (e.g. oauth.pstmn.io). Lowercase alphanumeric, hyphens, and dots. Max 253 chars. Unique per environment."
 */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function checkSlug(state: State, slug: string, self: OrganizationRecord | null): string {
  if (slug.length > 253 || !SLUG.test(slug)) {
    throw invalid(
      'INVALID_SLUG',
      `slug "${slug}" is not a DNS label or hostname (lowercase letters, digits, hyphens and dots, at most 253 characters)`,
    );
  }
  for (const o of state.organizations.values()) {
    if (o !== self && o.slug === slug) {
      throw new EmulatorError('ALREADY_EXISTS', 'SLUG_ALREADY_EXISTS', `slug "${slug}" is already used by another organization`);
    }
  }
  return slug;
}

/** openapi/scalekit.yaml logo_url: "HTTPS URL of the organization's logo image. Maximum 1024 characters." (pattern ^https://) */
export function checkLogoUrl(logoUrl: string): string {
  let ok = logoUrl.length <= 1024 && logoUrl.startsWith('https://');
  if (ok) {
    try {
      ok = new URL(logoUrl).hostname !== '';
    } catch {
      ok = false;
    }
  }
  if (!ok) throw invalid('INVALID_LOGO_URL', 'logo_url must be an https:// URL of at most 1024 characters');
  return logoUrl;
}

/**
 * v1organizationsUpdateOrganization.metadata: "Keys must be 3-25 characters, values must be 1-256
 * characters. Maximum 10 pairs allowed." Checked on the merged result an update leaves.
 */
export function checkMetadata(metadata: Record<string, string>): Record<string, string> {
  const entries = Object.entries(metadata);
  if (entries.length > 10) throw invalid('INVALID_METADATA', `metadata holds at most 10 pairs, this update leaves ${entries.length}`);
  for (const [key, value] of entries) {
    if (key.length < 3 || key.length > 25) throw invalid('INVALID_METADATA', `metadata key "${key}" must be 3 to 25 characters`);
    if (value.length < 1 || value.length > 256) throw invalid('INVALID_METADATA', `metadata value of "${key}" must be 1 to 256 characters`);
  }
  return metadata;
}

const MINUTES_PER: Partial<Record<TimeUnit, number>> = {
  [TimeUnit.SESSION_TIME_UNIT_UNSPECIFIED]: 1, // "Defaults to MINUTES" (OrganizationServiceUpdateOrganizationSessionPolicyBody)
  [TimeUnit.MINUTES]: 1,
  [TimeUnit.HOURS]: 60,
  [TimeUnit.DAYS]: 24 * 60,
};

function toMinutes(field: string, value: number | undefined, unit: TimeUnit | undefined): number {
  if (value === undefined) throw invalid('INVALID_SESSION_POLICY', `${field} is required for a CUSTOM session policy`);
  const factor = MINUTES_PER[unit ?? TimeUnit.MINUTES];
  if (factor === undefined) throw invalid('INVALID_SESSION_POLICY', `${field}_unit ${unit} is not MINUTES, HOURS or DAYS`);
  if (!Number.isInteger(value) || value < 1)
    throw invalid('INVALID_SESSION_POLICY', `${field} must be a positive whole number, got ${value}`);
  return value * factor;
}

export function parseSessionPolicy(req: {
  policySource: SessionPolicyType;
  absoluteSessionTimeout?: number | undefined;
  absoluteSessionTimeoutUnit?: TimeUnit | undefined;
  idleSessionTimeoutEnabled?: boolean | undefined;
  idleSessionTimeout?: number | undefined;
  idleSessionTimeoutUnit?: TimeUnit | undefined;
}): SessionPolicyRecord | null {
  if (req.policySource === SessionPolicyType.APPLICATION) return null;
  if (req.policySource !== SessionPolicyType.CUSTOM) {
    throw invalid('INVALID_POLICY_SOURCE', 'policy_source must be APPLICATION or CUSTOM');
  }
  const absolute = toMinutes('absolute_session_timeout', req.absoluteSessionTimeout, req.absoluteSessionTimeoutUnit);
  const idleEnabled = req.idleSessionTimeoutEnabled ?? false;
  // "Omit when idle_session_timeout_enabled is false": a disabled idle timeout keeps no value.
  const idle = idleEnabled ? toMinutes('idle_session_timeout', req.idleSessionTimeout, req.idleSessionTimeoutUnit) : null;
  if (idle !== null && idle > absolute) {
    throw invalid('INVALID_SESSION_POLICY', 'idle_session_timeout cannot be longer than absolute_session_timeout');
  }
  return { absoluteSessionTimeoutMinutes: absolute, idleSessionTimeoutEnabled: idleEnabled, idleSessionTimeoutMinutes: idle };
}

/** OrganizationSessionPolicySettings: values only for CUSTOM, always in MINUTES ("Responses always return 'minutes'"). */
export function sessionPolicyMessage(policy: SessionPolicyRecord | null | undefined) {
  if (!policy) return { policySource: SessionPolicyType.APPLICATION };
  return {
    policySource: SessionPolicyType.CUSTOM,
    absoluteSessionTimeout: policy.absoluteSessionTimeoutMinutes,
    absoluteSessionTimeoutUnit: TimeUnit.MINUTES,
    idleSessionTimeoutEnabled: policy.idleSessionTimeoutEnabled,
    ...(policy.idleSessionTimeoutMinutes !== null && {
      idleSessionTimeout: policy.idleSessionTimeoutMinutes,
      idleSessionTimeoutUnit: TimeUnit.MINUTES,
    }),
  };
}

export function registerOrganizationService(router: ConnectRouter, dir: Directory): void {
  const { state } = dir;
  router.service(
    OrganizationService,
    guarded({
      async createOrganization(req) {
        const input = req.organization;
        // Checked before anything is created, so a refused slug or logo leaves no organization behind.
        const slug = input?.slug ? checkSlug(state, input.slug, null) : null;
        const logoUrl = input?.logoUrl ? checkLogoUrl(input.logoUrl) : null;
        const o = directory.createOrganization(dir, {
          name: input?.displayName ?? '',
          externalId: input?.externalId,
          metadata: input?.metadata ?? {},
        });
        if (slug !== null || logoUrl !== null) {
          o.slug = slug;
          o.logoUrl = logoUrl;
          dir.changed();
        }
        return { organization: convert.organization(o) };
      },
      async getOrganization(req) {
        return { organization: convert.organization(directory.findOrganization(state, ref(req.identities))) };
      },
      async listOrganization(req) {
        let orgs = [...state.organizations.values()];
        if (req.externalId) orgs = orgs.filter((o) => o.externalId === req.externalId);
        const page = directory.paginate(orgs, req.pageSize, req.pageToken, `orgs:${req.externalId ?? ''}`);
        return {
          organizations: page.items.map(convert.organization),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
      async searchOrganization(req) {
        const q = req.query.trim().toLowerCase();
        if (!q) throw invalid('INVALID_QUERY', 'query is required');
        const orgs = [...state.organizations.values()].filter(
          (o) => o.name.toLowerCase().includes(q) || o.id.toLowerCase() === q || (o.externalId ?? '').toLowerCase() === q,
        );
        const page = directory.paginate(orgs, req.pageSize, req.pageToken, `orgs?q=${q}`);
        return {
          organizations: page.items.map(convert.organization),
          nextPageToken: page.nextPageToken,
          prevPageToken: page.prevPageToken,
          totalSize: page.totalSize,
        };
      },
      async updateOrganization(req) {
        const o = directory.findOrganization(state, ref(req.identities));
        const u = req.organization;
        if (u?.displayName !== undefined && !u.displayName.trim()) {
          throw invalid('INVALID_DISPLAY_NAME', 'display_name cannot be empty');
        }
        // v1organizationsUpdateOrganization.display_name: "Must be between 1 and 200 characters".
        if (u?.displayName !== undefined && u.displayName.trim().length > 200) {
          throw invalid('INVALID_DISPLAY_NAME', 'display_name is longer than 200 characters');
        }
        // external_id links the organization to one tenant, as on create (directory.createOrganization).
        if (u?.externalId) {
          for (const other of state.organizations.values()) {
            if (other !== o && other.externalId === u.externalId) {
              throw new EmulatorError('ALREADY_EXISTS', 'EXTERNAL_ID_ALREADY_EXISTS', `external_id ${u.externalId} is already in use`);
            }
          }
        }
        const metadata = u && Object.keys(u.metadata).length ? checkMetadata({ ...o.metadata, ...u.metadata }) : undefined;
        // v1organizationsUpdateOrganization.slug: "Send empty string to clear."
        const slug = u?.slug === undefined ? undefined : u.slug === '' ? null : checkSlug(state, u.slug, o);
        const logoUrl = u?.logoUrl === undefined ? undefined : checkLogoUrl(u.logoUrl);
        if (u?.displayName !== undefined) o.name = u.displayName.trim();
        if (u?.externalId !== undefined) o.externalId = u.externalId || null;
        if (metadata) o.metadata = metadata;
        if (slug !== undefined) o.slug = slug;
        if (logoUrl !== undefined) o.logoUrl = logoUrl;
        directory.organizationUpdated(dir, o);
        return { organization: convert.organization(o) };
      },
      async deleteOrganization(req) {
        directory.deleteOrganization(dir, directory.findOrganization(state, ref(req.identities)));
        return {};
      },
      async updateOrganizationSettings(req) {
        const o = directory.requireOrganization(state, req.id);
        for (const f of req.settings?.features ?? []) {
          if (!f.name) throw invalid('INVALID_FEATURE', 'feature name is required');
          o.features[f.name] = f.enabled;
        }
        directory.organizationUpdated(dir, o);
        return { organization: convert.organization(o) };
      },
      async upsertUserManagementSettings(req) {
        const o = directory.requireOrganization(state, req.organizationId);
        const max = req.settings?.maxAllowedUsers;
        if (max !== undefined && max < 1)
          throw invalid('INVALID_MAX_ALLOWED_USERS', 'max_allowed_users must be at least 1 (omit it for no limit)');
        o.maxAllowedUsers = max ?? null;
        directory.organizationUpdated(dir, o);
        return { settings: { maxAllowedUsers: o.maxAllowedUsers ?? undefined } };
      },
      async getOrganizationUserManagementSetting(req) {
        const o = directory.requireOrganization(state, req.organizationId);
        return { settings: { maxAllowedUsers: o.maxAllowedUsers ?? undefined } };
      },
      async generatePortalLink(req, ctx) {
        // A single-use admin portal link for the organization (the SDK's organization.generatePortalLink:
        // "Creates a single use Admin Portal URL valid for 1 minute"); oauth/portal.ts serves it.
        const o = directory.requireOrganization(state, req.id);
        const link = issuePortalLink(state, o.id, state.publicUrl || new URL(ctx.url).origin);
        return { link: { id: link.id, location: link.location, expireTime: convert.ts(link.expiresAt) } };
      },
      async getOrganizationSessionPolicy(req) {
        const o = directory.requireOrganization(state, req.organizationId);
        return { policy: sessionPolicyMessage(o.sessionPolicy) };
      },
      async updateOrganizationSessionPolicy(req) {
        const o = directory.requireOrganization(state, req.organizationId);
        o.sessionPolicy = parseSessionPolicy(req);
        o.updatedAt = new Date();
        dir.changed();
        return { policy: sessionPolicyMessage(o.sessionPolicy) };
      },
    }),
  );
}
