import { readFileSync } from 'node:fs';
import { z } from 'zod';

// The seed file is shared with the app's `db:seed`, so it is validated here with a
// readable error instead of failing later on a missing field deep inside a handler.

const membershipStatus = z.enum(['ACTIVE', 'INACTIVE', 'PENDING_INVITE', 'INVITE_EXPIRED']);
export type MembershipStatusName = z.infer<typeof membershipStatus>;

/** An environment setting that is a count or a duration: a positive integer, `fallback` when unset. */
const positiveInt = (fallback: number) => z.number().int().positive().default(fallback);

export const environmentSchema = z.object({
  publicSignup: z.boolean().default(false),
  invitationExpirySeconds: positiveInt(15 * 24 * 3600),
  accessTokenTtlSeconds: positiveInt(300),
  idTokenTtlSeconds: positiveInt(300),
  refreshTokenTtlSeconds: positiveInt(30 * 24 * 3600),
  authCodeTtlSeconds: positiveInt(60),
  otpTtlSeconds: positiveInt(600),
  otpMaxAttempts: positiveInt(5),
  /** Lifetime of client_credentials (SDK management) tokens. */
  m2mTokenTtlSeconds: positiveInt(3600),
  /** Delay before each webhook retry; its length is the number of retries. */
  webhookRetryDelaysMs: z.array(z.number().int().nonnegative()).default([1000, 5000, 30000]),
  webhookTimeoutMs: positiveInt(5000),
  // Scalekit's webhook envelope requires environment_id to match ^env_ (OpenAPI webhooks section).
  environmentId: z.string().regex(/^env_/, 'environmentId must start with env_').default('env_emulator'),
  /** Product name used in emails and hosted pages. */
  appName: z.string().default('Teamgate'),
  /** Dashboard "Magic link & OTP" settings, read by the headless PasswordlessService. */
  passwordlessType: z.enum(['OTP', 'LINK', 'LINK_OTP']).default('LINK_OTP'),
  passwordlessEnforceSameBrowserOrigin: z.boolean().default(false),
  passwordlessRegenerateOnResend: z.boolean().default(false),
});
export type EnvironmentSettings = z.infer<typeof environmentSchema>;

/**
 * Names as Scalekit accepts them (openapi/scalekit.yaml, v1rolesCreateRole.name: "alphanumeric with
 * underscores, 1-64 characters"; v1rolesCreatePermission.name: "1–64 characters using only letters,
 * numbers, underscores (_), and colons (:)"). The RolesService checks the same patterns.
 */
export const ROLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
export const PERMISSION_NAME = /^[A-Za-z0-9_:]{1,64}$/;

const permissionSchema = z.object({
  name: z.string().regex(PERMISSION_NAME, 'permission names are 1-64 letters, digits, _ or :'),
  description: z.string().default(''),
});

const roleSchema = z.object({
  name: z.string().regex(ROLE_NAME, 'role names are 1-64 letters, digits or _'),
  displayName: z.string().min(1),
  description: z.string().default(''),
  /** Direct permissions; each must be listed in the seed's `permissions`. */
  permissions: z.array(z.string()).default([]),
  /** Base role whose permissions this role inherits (Scalekit's `extends`). */
  extends: z.string().nullish(),
  defaultMember: z.boolean().default(false),
  /** The role Scalekit gives the user who creates an organization. */
  defaultCreator: z.boolean().default(false),
});

const clientSchema = z.object({
  id: z.string().min(1),
  secret: z.string().min(1),
  name: z.string().default('App'),
  redirectUris: z.array(z.string()).default([]),
  postLogoutRedirectUris: z.array(z.string()).default([]),
  initiateLoginUrl: z.string().optional(),
  webhook: z.object({ url: z.string(), secret: z.string().startsWith('whsec_') }).nullish(),
});

const ssoConnectionSchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  displayName: z.string().min(1),
  domains: z.array(z.string()).default([]),
  requireSso: z.boolean().default(false),
});

const domainTypeName = z.enum(['ALLOWED_EMAIL_DOMAIN', 'ORGANIZATION_DOMAIN']);

/**
 * ADMIN: added from the dashboard or API (verified at once). DNS_*: added by the customer's admin in
 * the admin portal, in each state of the TXT-record check.
 */
const domainSeedSchema = z.object({
  id: z.string().startsWith('dom_').optional(),
  domain: z.string().min(1),
  type: domainTypeName.default('ORGANIZATION_DOMAIN'),
  verification: z.enum(['ADMIN', 'DNS_PENDING', 'DNS_VERIFIED', 'DNS_FAILED']).default('ADMIN'),
});

const directoryGroupSeedSchema = z.object({
  id: z.string().startsWith('dirgroup_'),
  displayName: z.string().min(1),
  externalId: z.string().optional(),
});

const directoryUserSeedSchema = z.object({
  id: z.string().startsWith('diruser_'),
  email: z.string().email(),
  givenName: z.string().default(''),
  familyName: z.string().default(''),
  preferredUsername: z.string().optional(),
  active: z.boolean().default(true),
  /** ids of this directory's groups */
  groups: z.array(z.string()).default([]),
  /** extra SCIM attributes, returned as user_detail when include_detail is set */
  attributes: z.record(z.string(), z.unknown()).default({}),
});

const directorySeedSchema = z.object({
  id: z.string().startsWith('dir_'),
  provider: z.enum(['OKTA', 'GOOGLE', 'MICROSOFT_AD', 'AUTH0', 'ONELOGIN', 'JUMPCLOUD', 'PING_IDENTITY']),
  type: z.enum(['SCIM', 'LDAP', 'POLL']).default('SCIM'),
  name: z.string().optional(),
  enabled: z.boolean().default(true),
  groups: z.array(directoryGroupSeedSchema).default([]),
  users: z.array(directoryUserSeedSchema).default([]),
});

const organizationSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  externalId: z.string().nullish(),
  maxAllowedUsers: z.number().int().positive().nullish(),
  /** Shorthand for `domains` entries of type ALLOWED_EMAIL_DOMAIN. */
  allowedEmailDomains: z.array(z.string()).default([]),
  /** Its `domains` also become ORGANIZATION_DOMAIN domains of the organization. */
  ssoConnection: ssoConnectionSchema.nullish(),
  domains: z.array(domainSeedSchema).default([]),
  directories: z.array(directorySeedSchema).default([]),
  metadata: z.record(z.string(), z.string()).default({}),
  /** Organization-specific roles: only this organization sees them (RolesService organization roles). */
  roles: z.array(roleSchema.omit({ defaultCreator: true })).default([]),
});

const userSchema = z.object({
  id: z.string().min(1),
  email: z.string().email(),
  firstName: z.string().default(''),
  lastName: z.string().default(''),
  externalId: z.string().nullish(),
  socialIdentities: z.array(z.enum(['google', 'github', 'microsoft'])).default([]),
  metadata: z.record(z.string(), z.string()).default({}),
  memberships: z
    .array(
      z.object({
        organizationId: z.string().min(1),
        roles: z.array(z.string()).default([]),
        status: membershipStatus.default('ACTIVE'),
        inviterEmail: z.string().nullish(),
      }),
    )
    .default([]),
});

export const seedSchema = z
  .object({
    environment: environmentSchema.default(environmentSchema.parse({})),
    permissions: z.array(permissionSchema).default([]),
    roles: z.array(roleSchema).min(1),
    clients: z.array(clientSchema).min(1),
    organizations: z.array(organizationSchema).default([]),
    users: z.array(userSchema).default([]),
  })
  .superRefine((seed, ctx) => {
    const orgIds = new Set(seed.organizations.map((o) => o.id));
    const roleNames = new Set(seed.roles.map((r) => r.name));
    const permissionNames = new Set(seed.permissions.map((p) => p.name));
    const checkRole = (where: string, role: { permissions: string[]; extends?: string | null }, bases: Set<string>) => {
      for (const p of role.permissions) {
        if (!permissionNames.has(p)) ctx.addIssue({ code: 'custom', message: `${where}: unknown permission ${p}` });
      }
      if (role.extends && !bases.has(role.extends))
        ctx.addIssue({ code: 'custom', message: `${where}: extends unknown role ${role.extends}` });
    };
    for (const role of seed.roles) checkRole(`role ${role.name}`, role, roleNames);
    for (const org of seed.organizations) {
      const bases = new Set([...roleNames, ...org.roles.map((r) => r.name)]);
      for (const role of org.roles) {
        if (roleNames.has(role.name))
          ctx.addIssue({ code: 'custom', message: `organization ${org.id}: role ${role.name} is already an environment role` });
        checkRole(`organization ${org.id} role ${role.name}`, role, bases);
      }
    }
    for (const user of seed.users) {
      for (const m of user.memberships) {
        if (!orgIds.has(m.organizationId)) {
          ctx.addIssue({ code: 'custom', message: `user ${user.id}: unknown organization ${m.organizationId}` });
        }
        // An environment role, or one of that organization's own roles.
        const orgRoles = seed.organizations.find((o) => o.id === m.organizationId)?.roles ?? [];
        for (const role of m.roles) {
          if (!roleNames.has(role) && !orgRoles.some((r) => r.name === role)) {
            ctx.addIssue({ code: 'custom', message: `user ${user.id}: unknown role ${role}` });
          }
        }
      }
    }
    for (const org of seed.organizations) {
      for (const d of org.directories) {
        const groupIds = new Set(d.groups.map((g) => g.id));
        for (const u of d.users) {
          for (const g of u.groups) {
            if (!groupIds.has(g)) ctx.addIssue({ code: 'custom', message: `directory ${d.id}: user ${u.id} is in unknown group ${g}` });
          }
        }
      }
    }
  });

export type Seed = z.infer<typeof seedSchema>;
export type SeedClient = Seed['clients'][number];
export type SeedOrganization = Seed['organizations'][number];
export type SeedUser = Seed['users'][number];
export type SeedRole = Seed['roles'][number];
export type SeedPermission = Seed['permissions'][number];
export type SsoConnection = z.infer<typeof ssoConnectionSchema>;
export type DomainTypeName = z.infer<typeof domainTypeName>;
export type SeedDirectory = z.infer<typeof directorySeedSchema>;

export function parseSeed(raw: unknown, source = 'seed'): Seed {
  const result = seedSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`Invalid emulator ${source}:\n${issues}`);
  }
  return result.data;
}

export function loadSeedFile(path: string): Seed {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read emulator seed ${path}: ${(error as Error).message}`);
  }
  return parseSeed(raw, `seed ${path}`);
}

const SEED_APP_ORIGIN = 'http://localhost:3000';

/**
 * Points the seed clients at the app actually under test. The seed names
 * localhost:3000; a test app on a random port needs its own callback URIs
 * registered, or authorize would (rightly) refuse them.
 */
export function withAppUrl(seed: Seed, appUrl: string): Seed {
  const origin = new URL(appUrl).origin;
  const rewrite = (url: string) => (url.startsWith(SEED_APP_ORIGIN) ? origin + url.slice(SEED_APP_ORIGIN.length) : url);
  const fromSeedApp = (url: string) => url.startsWith(SEED_APP_ORIGIN);
  const addUnique = (list: string[], extra: string[]) => [...list, ...extra.filter((u) => !list.includes(u))];
  return {
    ...seed,
    clients: seed.clients.map((client) => ({
      ...client,
      initiateLoginUrl: client.initiateLoginUrl ? rewrite(client.initiateLoginUrl) : client.initiateLoginUrl,
      webhook: client.webhook ? { ...client.webhook, url: rewrite(client.webhook.url) } : client.webhook,
      redirectUris: addUnique(client.redirectUris, client.redirectUris.filter(fromSeedApp).map(rewrite)),
      postLogoutRedirectUris: addUnique(client.postLogoutRedirectUris, client.postLogoutRedirectUris.filter(fromSeedApp).map(rewrite)),
    })),
  };
}
