import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/auth/authorize';
import { ada, gina, max, useInvitationTestbed } from '@/lib/invitations/testing';
import { authenticateApiKey, createApiKey, hashApiKey, listApiKeys, revokeApiKey } from './service';

const bed = await useInvitationTestbed();
const { prisma } = bed.db;

describe('API keys', () => {
  it('creates a tg_live_ key shown once and stores only its SHA-256 and a prefix', async () => {
    const { apiKey, secret } = await createApiKey(ada, 'org_acme', '  HR sync ');
    expect(secret).toMatch(/^tg_live_[0-9A-Za-z]{32}$/);
    expect(apiKey).toMatchObject({ name: 'HR sync', prefix: secret.slice(0, 14), revokedAt: null, createdByUserId: 'usr_ada' });
    expect(apiKey).not.toHaveProperty('hash');
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.hash).toBe(hashApiKey(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(await listApiKeys(ada, 'org_acme'))).not.toContain(row.hash);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'api_key.created', targetId: apiKey.id } });
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('authenticates a live key as an admin actor of its own organization and records use', async () => {
    const { apiKey, secret } = await createApiKey(ada, 'org_acme', 'CRM');
    const result = await authenticateApiKey(`Bearer ${secret}`, { ip: '198.51.100.4' });
    expect(result).toEqual({ kind: 'ok', actor: { kind: 'api_key', apiKeyId: apiKey.id, label: 'CRM', organizationId: 'org_acme', role: 'admin', request: { ip: '198.51.100.4' } } });
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).not.toBeNull();
  });

  it('refuses revoked, unknown, malformed and missing keys', async () => {
    const { apiKey, secret } = await createApiKey(ada, 'org_acme', 'Temp');
    await revokeApiKey(ada, 'org_acme', apiKey.id);
    expect(await authenticateApiKey(`Bearer ${secret}`)).toMatchObject({ kind: 'invalid' });
    expect(await authenticateApiKey(`Bearer tg_live_${'A'.repeat(32)}`)).toMatchObject({ kind: 'invalid' });
    expect(await authenticateApiKey('Bearer nope')).toMatchObject({ kind: 'invalid' });
    expect(await authenticateApiKey(`Basic ${secret}`)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/Bearer/) });
    expect(await authenticateApiKey(null)).toEqual({ kind: 'none' });
    expect(await prisma.auditEvent.count({ where: { action: 'api_key.revoked', targetId: apiKey.id } })).toBe(1);
    // Revoking again changes nothing and records nothing.
    await revokeApiKey(ada, 'org_acme', apiKey.id);
    expect(await prisma.auditEvent.count({ where: { action: 'api_key.revoked', targetId: apiKey.id } })).toBe(1);
  });

  it('is managed only by admins of the organization, never by an API key', async () => {
    const { apiKey, secret } = await createApiKey(ada, 'org_acme', 'Mine');
    await expect(createApiKey(max, 'org_acme', 'x')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listApiKeys(gina, 'org_acme')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(revokeApiKey(gina, 'org_globex', apiKey.id)).rejects.toMatchObject({ status: 404 });
    const auth = await authenticateApiKey(`Bearer ${secret}`);
    if (auth.kind !== 'ok') throw new Error('expected a valid key');
    await expect(createApiKey(auth.actor, 'org_acme', 'minted')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(revokeApiKey(auth.actor, 'org_acme', apiKey.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).revokedAt).toBeNull();
  });

  it('rejects a blank or overlong name with a 400 naming the field', async () => {
    await expect(createApiKey(ada, 'org_acme', '   ')).rejects.toMatchObject({ status: 400, field: 'name' });
    await expect(createApiKey(ada, 'org_acme', 'x'.repeat(61))).rejects.toMatchObject({ status: 400, field: 'name' });
  });
});
