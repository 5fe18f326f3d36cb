/**
 * How a user proved who they are, from the ID token's `amr` claim, in a form we store on the
 * Session row ("otp", "social:github", "sso:okta") and a label people understand.
 *
 * Scalekit puts the id of the connection used in `amr` for every method ("amr": ["conn_123"],
 * "Authentication method reference (connection ID)", developer-docs authenticate/fsa/complete-login.mdx;
 * the same in the decoded tokens of guides/user-auth/modular-social-logins.mdx and
 * passwordless/oidc.mdx): enterprise SSO, social providers and passwordless email alike. So the
 * callback looks that connection up (resolveAuthMethod) rather than showing "Conn_123"; the
 * descriptive values (`otp`, `social`+provider, `sso`+provider) are still read as they are.
 */

const SOCIAL_LABELS: Record<string, string> = { google: 'Google', github: 'GitHub', microsoft: 'Microsoft' };
const SSO_LABELS: Record<string, string> = {
  okta: 'Okta',
  azure_ad: 'Microsoft Entra ID',
  entra_id: 'Microsoft Entra ID',
  google: 'Google Workspace',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  ping: 'Ping Identity',
};

const TOKEN = /^[a-z0-9_-]{1,32}$/;

/** A compact, storable description of `amr`; null when the claim says nothing we recognise. */
export function authMethodFromAmr(amr: readonly string[] | undefined): string | null {
  const values = (amr ?? []).map((v) => v.toLowerCase()).filter((v) => TOKEN.test(v));
  if (values.includes('sso')) {
    const provider = values.find((v) => v !== 'sso');
    return provider ? `sso:${provider}` : 'sso';
  }
  if (values.includes('social')) {
    const provider = values.find((v) => v !== 'social');
    return provider ? `social:${provider}` : 'social';
  }
  if (values.includes('otp') || values.includes('email')) return 'otp';
  if (values.includes('pwd')) return 'pwd';
  return values[0] ?? null;
}

/** "Email code", "GitHub", "SSO (Okta)"… for the dashboard and the sessions list. */
export function describeAuthMethod(method: string | null | undefined): string {
  if (!method) return 'Unknown';
  const [kind, provider] = method.split(':');
  switch (kind) {
    case 'otp':
      return 'Email code';
    case 'pwd':
      return 'Password';
    case 'passkey':
      return 'Passkey';
    case 'social':
      return provider ? (SOCIAL_LABELS[provider] ?? capitalise(provider)) : 'Social account';
    case 'sso':
      return provider ? `SSO (${SSO_LABELS[provider] ?? capitalise(provider)})` : 'SSO';
    case 'connection':
      return 'SSO or social account';
    default:
      return capitalise(method);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const CONNECTION_ID = /^conn_[A-Za-z0-9_-]{1,64}$/;

// scalekit.v1.connections.ConnectionType and ConnectionProvider numbers (connections_pb.d.ts).
const TYPE_OIDC = 1;
const TYPE_SAML = 2;
const TYPE_PASSWORD = 3;
const TYPE_OAUTH = 4;
const TYPE_PASSWORDLESS = 5;
const TYPE_WEBAUTHN = 9;
const PROVIDERS: Record<number, string> = {
  1: 'okta',
  2: 'google',
  3: 'azure_ad',
  5: 'onelogin',
  6: 'ping',
  7: 'jumpcloud',
  9: 'github',
  10: 'gitlab',
  11: 'linkedin',
  12: 'salesforce',
  13: 'microsoft',
  16: 'adfs',
};

export interface ConnectionFacts {
  type: number;
  provider: number;
}

/** Looks a connection up in the signed-in organization; null when Scalekit does not say. */
export type ConnectionLookup = (organizationId: string, connectionId: string) => Promise<ConnectionFacts | null>;

/**
 * authMethodFromAmr, plus Scalekit's connection ids: the connection's type says social (OAuth),
 * email code (passwordless), password, passkey (WebAuthn) or SSO (OIDC/SAML), its provider which
 * one. A lookup that fails, or a type we do not know, gives "connection" rather than failing the
 * sign-in or calling something SSO that is not.
 */
export async function resolveAuthMethod(
  amr: readonly string[] | undefined,
  organizationId: string,
  lookup: ConnectionLookup,
): Promise<string | null> {
  const connectionId = (amr ?? []).find((v) => CONNECTION_ID.test(v));
  if (!connectionId) return authMethodFromAmr(amr);
  const facts = await lookup(organizationId, connectionId).catch(() => null);
  if (!facts) return 'connection';
  const provider = PROVIDERS[facts.provider];
  switch (facts.type) {
    case TYPE_PASSWORDLESS:
      return 'otp';
    case TYPE_PASSWORD:
      return 'pwd';
    case TYPE_WEBAUTHN:
      return 'passkey';
    case TYPE_OAUTH:
      return provider ? `social:${provider}` : 'social';
    case TYPE_OIDC:
    case TYPE_SAML:
      return provider ? `sso:${provider}` : 'sso';
    default:
      return 'connection';
  }
}
