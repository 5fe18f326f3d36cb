/**
 * How a user proved who they are, from the ID token's `amr` claim, in a form we store on the
 * Session row ("otp", "social:github", "sso:okta") and a label people understand.
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
    case 'social':
      return provider ? (SOCIAL_LABELS[provider] ?? capitalise(provider)) : 'Social account';
    case 'sso':
      return provider ? `SSO (${SSO_LABELS[provider] ?? capitalise(provider)})` : 'SSO';
    default:
      return capitalise(method);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
