import { seededId } from '../ids.js';
import type { ConnectionRecord } from '../state.js';

// The environment's own sign-in connections: passwordless email and each social provider.
//
// Real Scalekit ID tokens name the connection used in `amr` for every sign-in method, not only
// enterprise SSO: the decoded ID tokens of the social login guide
// (developer-docs src/content/docs/guides/user-auth/modular-social-logins.mdx) and of the
// passwordless OIDC guide (src/content/docs/passwordless/oidc.mdx) both carry
// `"amr": ["conn_92847563920187364"]`, and the claim reference says `amr` "Contains the
// `connection_id` used for authentication" (src/content/docs/guides/idtoken-claims.mdx).
// These connections belong to no organization (proto `Connection.organization_id` is optional;
// the Python SDK's `get_environment_connection`, saaskit/sdks/python/connection.mdx), so they
// live here as configuration rather than in the seed's organizations, and are not persisted:
// their ids come from a fixed key, the same on every start and reset.

export type EnvironmentSignInMethod = 'passwordless' | 'google' | 'github' | 'microsoft';

interface Definition {
  method: EnvironmentSignInMethod;
  type: 'PASSWORDLESS' | 'OAUTH';
  /** ConnectionProvider enum name; passwordless email has no identity provider. */
  provider: string;
  providerKey: string;
  uiButtonTitle: string;
}

const DEFINITIONS: Definition[] = [
  {
    method: 'passwordless',
    type: 'PASSWORDLESS',
    provider: 'CONNECTION_PROVIDER_UNSPECIFIED',
    providerKey: 'passwordless',
    uiButtonTitle: 'Continue with email',
  },
  { method: 'google', type: 'OAUTH', provider: 'GOOGLE', providerKey: 'google', uiButtonTitle: 'Continue with Google' },
  { method: 'github', type: 'OAUTH', provider: 'GITHUB', providerKey: 'github', uiButtonTitle: 'Continue with GitHub' },
  { method: 'microsoft', type: 'OAUTH', provider: 'MICROSOFT', providerKey: 'microsoft', uiButtonTitle: 'Continue with Microsoft' },
];

const CREATED_AT = new Date();

const CONNECTIONS: ReadonlyMap<string, Readonly<ConnectionRecord>> = new Map(
  DEFINITIONS.map((d) => {
    const id = seededId('conn', `environment:${d.method}`);
    const record: ConnectionRecord = {
      id,
      // No owner: an environment connection serves every organization of the environment.
      organizationId: '',
      provider: d.provider,
      type: d.type,
      status: 'COMPLETED',
      enabled: true,
      providerKey: d.providerKey,
      keyId: null,
      uiButtonTitle: d.uiButtonTitle,
      hostedLogin: null,
      createdAt: CREATED_AT,
      updatedAt: CREATED_AT,
    };
    return [id, Object.freeze(record)] as const;
  }),
);

const ID_OF = new Map(DEFINITIONS.map((d) => [d.method, seededId('conn', `environment:${d.method}`)]));

/** The id the hosted login puts in `amr` after a sign-in with this method. */
export function environmentConnectionId(method: EnvironmentSignInMethod): string {
  return ID_OF.get(method)!;
}

export function environmentConnection(id: string): Readonly<ConnectionRecord> | undefined {
  return CONNECTIONS.get(id);
}

export function environmentConnections(): Readonly<ConnectionRecord>[] {
  return [...CONNECTIONS.values()];
}
