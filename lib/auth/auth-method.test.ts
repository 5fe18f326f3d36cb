import { describe, expect, it } from 'vitest';
import { authMethodFromAmr, describeAuthMethod, resolveAuthMethod, type ConnectionFacts } from '@/lib/auth/auth-method';

describe('auth method', () => {
  it.each([
    [['otp'], 'otp', 'Email code'],
    [['social', 'google'], 'social:google', 'Google'],
    [['social', 'github'], 'social:github', 'GitHub'],
    [['social', 'microsoft'], 'social:microsoft', 'Microsoft'],
    [['sso', 'okta'], 'sso:okta', 'SSO (Okta)'],
    [['SSO'], 'sso', 'SSO'],
  ])('%j → %s → %s', (amr, stored, label) => {
    expect(authMethodFromAmr(amr)).toBe(stored);
    expect(describeAuthMethod(stored)).toBe(label);
  });

  it('ignores junk in the claim and says Unknown when nothing is known', () => {
    expect(authMethodFromAmr(undefined)).toBeNull();
    expect(authMethodFromAmr(['<script>', 'a b'])).toBeNull();
    expect(describeAuthMethod(null)).toBe('Unknown');
  });

  describe('a connection id, as Scalekit sends amr', () => {
    // Connection facts as Scalekit's ConnectionService answers them (type and provider numbers of connections_pb).
    const connections: Record<string, ConnectionFacts> = {
      conn_okta: { type: 2, provider: 1 }, // SAML, Okta
      conn_entra: { type: 1, provider: 3 }, // OIDC, Microsoft AD
      conn_google: { type: 4, provider: 2 }, // OAuth, Google
      conn_github: { type: 4, provider: 9 },
      conn_magic: { type: 5, provider: 0 }, // passwordless
      conn_password: { type: 3, provider: 0 },
      conn_passkey: { type: 9, provider: 0 }, // WebAuthn
      conn_custom_oidc: { type: 1, provider: 8 }, // OIDC, a provider we have no name for
      conn_microsoft: { type: 4, provider: 13 }, // OAuth, Microsoft (social, not Entra ID SSO)
      conn_m2m: { type: 10, provider: 0 }, // OAUTH_M2M: not a way people sign in
    };
    const asked: string[] = [];
    const lookup = async (organizationId: string, id: string) => {
      asked.push(`${organizationId}/${id}`);
      return connections[id] ?? null;
    };

    it.each([
      ['conn_okta', 'sso:okta', 'SSO (Okta)'],
      ['conn_entra', 'sso:azure_ad', 'SSO (Microsoft Entra ID)'],
      ['conn_google', 'social:google', 'Google'],
      ['conn_github', 'social:github', 'GitHub'],
      ['conn_magic', 'otp', 'Email code'],
      ['conn_password', 'pwd', 'Password'],
      ['conn_passkey', 'passkey', 'Passkey'],
      ['conn_custom_oidc', 'sso', 'SSO'],
      ['conn_microsoft', 'social:microsoft', 'Microsoft'],
      ['conn_m2m', 'connection', 'SSO or social account'],
      ['conn_unknown', 'connection', 'SSO or social account'],
    ])('%s → %s → %s', async (id, stored, label) => {
      expect(await resolveAuthMethod([id], 'org_acme', lookup)).toBe(stored);
      expect(describeAuthMethod(stored)).toBe(label);
    });

    it('asks in the signed-in organization; a failing lookup never fails the sign-in', async () => {
      await resolveAuthMethod(['conn_okta'], 'org_globex', lookup);
      expect(asked.at(-1)).toBe('org_globex/conn_okta');
      expect(await resolveAuthMethod(['conn_okta'], 'org_globex', () => Promise.reject(new Error('down')))).toBe('connection');
      expect(await resolveAuthMethod(['otp'], 'org_acme', () => Promise.reject(new Error('not asked')))).toBe('otp');
    });
  });
});
