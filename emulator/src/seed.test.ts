import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED_PATH } from './index.js';
import { loadSeedFile, parseSeed, withAppUrl } from './seed.js';

describe('seed', () => {
  it('loads the shared demo seed', () => {
    const seed = loadSeedFile(DEFAULT_SEED_PATH);
    expect(seed.organizations.map((o) => o.id)).toEqual(['org_acme', 'org_globex']);
    expect(seed.environment.invitationExpirySeconds).toBe(15 * 24 * 3600);
    expect(seed.environment.appName).toBe('Teamgate');
  });

  it('names the bad field of an invalid seed', () => {
    const seed = loadSeedFile(DEFAULT_SEED_PATH);
    const broken = { ...seed, users: [{ ...seed.users[0], email: 'nope', memberships: [{ organizationId: 'org_x' }] }] };
    expect(() => parseSeed(broken)).toThrow(/users\.0\.email[\s\S]*unknown organization org_x/);
  });

  it('checks role permissions, bases and names against the seed', () => {
    const seed = loadSeedFile(DEFAULT_SEED_PATH);
    const roles = [...seed.roles, { ...seed.roles[0]!, name: 'ops', permissions: ['deploy:prod'], extends: 'nobody' }];
    expect(() => parseSeed({ ...seed, roles })).toThrow(
      /role ops: unknown permission deploy:prod[\s\S]*role ops: extends unknown role nobody/,
    );
    const organizations = seed.organizations.map((o, i) => (i === 0 ? { ...o, roles: [{ ...o.roles[0]!, name: 'member' }] } : o));
    expect(() => parseSeed({ ...seed, organizations })).toThrow(/organization org_acme: role member is already an environment role/);
    expect(() => parseSeed({ ...seed, roles: [{ ...seed.roles[0]!, name: 'has space' }] })).toThrow(/roles\.0\.name/);
  });

  it('points the client at the app under test, keeping the seed URIs', () => {
    const seed = withAppUrl(loadSeedFile(DEFAULT_SEED_PATH), 'http://127.0.0.1:4555/ignored-path');
    const client = seed.clients[0]!;
    expect(client.initiateLoginUrl).toBe('http://127.0.0.1:4555/auth/login/initiate');
    expect(client.webhook?.url).toBe('http://127.0.0.1:4555/api/webhooks/scalekit');
    expect(client.redirectUris).toContain('http://localhost:3000/api/auth/callback');
    expect(client.redirectUris).toContain('http://127.0.0.1:4555/api/auth/callback');
    expect(client.postLogoutRedirectUris).toContain('http://127.0.0.1:4555/signed-out');
  });
});
