import { describe, expect, it } from 'vitest';
import { authMethodFromAmr, describeAuthMethod } from '@/lib/auth/auth-method';

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
});
