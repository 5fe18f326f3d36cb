import { SCALEKIT_PERMISSIONS } from '@/lib/auth/permissions';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/errors/app-error';
import { ada, gina, max, olga, OPEN_ORG, tim, TINY_ORG, useInvitationTestbed } from '@/lib/invitations/testing';
import { authenticateApiKey, createApiKey, hashApiKey, listApiKeys, MAX_ACTIVE_KEYS_PER_ORG, revokeApiKey } from './service';

const bed = await useInvitationTestbed();
const { prisma } = bed.db;
const DAY = 86_400_000;

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

  it('authenticates a live key as an actor with its scopes and no role, of its own organization, and records use', async () => {
    const { apiKey, secret } = await createApiKey(ada, 'org_acme', 'CRM');
    const result = await authenticateApiKey(`Bearer ${secret}`, { ip: '198.51.100.4' });
    expect(result).toEqual({
      kind: 'ok',
      actor: {
        kind: 'api_key',
        apiKeyId: apiKey.id,
        label: 'CRM',
        organizationId: 'org_acme',
        scopes: ['invitations:read', 'invitations:write'],
        request: { ip: '198.51.100.4' },
      },
    });
    if (result.kind !== 'ok') throw new Error('expected a valid key');
    expect(result.actor).not.toHaveProperty('role');
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).not.toBeNull();
  });

  it('creates a key with the scopes chosen (invitations:read + invitations:write by default) and an optional expiry', async () => {
    const plain = await createApiKey(ada, 'org_acme', 'Default scopes');
    expect(plain.apiKey).toMatchObject({ scopes: ['invitations:read', 'invitations:write'], expiresAt: null });

    const expiresAt = new Date(Date.now() + 30 * DAY);
    const narrow = await createApiKey(ada, 'org_acme', 'Reader', {
      scopes: ['members:read', 'invitations:read', 'members:read'],
      expiresAt: expiresAt.toISOString(),
    });
    expect(narrow.apiKey).toMatchObject({ scopes: ['invitations:read', 'members:read'], expiresAt });
    const auth = await authenticateApiKey(`Bearer ${narrow.secret}`);
    expect(auth).toMatchObject({ kind: 'ok', actor: { scopes: ['invitations:read', 'members:read'] } });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'api_key.created', targetId: narrow.apiKey.id } });
    expect(audit.metadata).toMatchObject({
      prefix: narrow.apiKey.prefix,
      scopes: ['invitations:read', 'members:read'],
      expiresAt: expiresAt.toISOString(),
    });
    expect((await listApiKeys(ada, 'org_acme')).find((k) => k.id === narrow.apiKey.id)).toMatchObject({
      scopes: ['invitations:read', 'members:read'],
      expiresAt,
    });
  });

  it('refuses unknown, empty or admin-like scopes and an expiry that is not a future date, with a 400 naming the field and nothing created', async () => {
    const before = await prisma.apiKey.count();
    for (const scopes of [
      [],
      ['admin'],
      ['api_keys:manage'],
      ['members:manage'],
      ['invitations:read', 'org:settings'],
      'invitations:read',
      [42],
      null,
    ]) {
      const error = await createApiKey(ada, 'org_acme', 'Bad scopes', { scopes }).catch((e: unknown) => e);
      expect(error, JSON.stringify(scopes)).toMatchObject({ status: 400, field: 'scopes', message: expect.stringMatching(/scope/i) });
    }
    for (const expiresAt of [
      'next week',
      new Date(Date.now() - 60_000).toISOString(),
      new Date(Date.now() + 6 * 365 * DAY).toISOString(),
      12,
      {},
    ]) {
      const error = await createApiKey(ada, 'org_acme', 'Bad expiry', { expiresAt }).catch((e: unknown) => e);
      expect(error, JSON.stringify(expiresAt)).toMatchObject({ status: 400, field: 'expiresAt', message: expect.stringMatching(/expir/i) });
    }
    expect(await prisma.apiKey.count()).toBe(before);
  });

  it('refuses an expired key like a revoked one, with a message saying it expired', async () => {
    const { apiKey, secret } = await createApiKey(ada, 'org_acme', 'Short lived', { expiresAt: new Date(Date.now() + DAY) });
    expect(await authenticateApiKey(`Bearer ${secret}`)).toMatchObject({ kind: 'ok' });
    const past = new Date(Date.now() - 1000);
    await prisma.apiKey.update({ where: { id: apiKey.id }, data: { expiresAt: past, lastUsedAt: null } });
    const result = await authenticateApiKey(`Bearer ${secret}`);
    expect(result).toEqual({ kind: 'invalid', message: expect.stringMatching(/expired on \d{4}-\d{2}-\d{2}/) });
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).toBeNull();
    // Listed with its expiry, so the keys page can show it as expired rather than active.
    expect((await listApiKeys(ada, 'org_acme')).find((k) => k.id === apiKey.id)).toMatchObject({ expiresAt: past, revokedAt: null });
  });

  it('a key stops working as soon as the admin who created it is no longer an active admin (e.g. demoted in Scalekit), and works again if they are restored', async () => {
    const { secret } = await createApiKey(tim, TINY_ORG, 'Tiny sync');
    expect(await authenticateApiKey(`Bearer ${secret}`)).toMatchObject({ kind: 'ok' });
    // What a user.organization_membership_updated webhook or a resync writes when Scalekit demotes the creator.
    const where = { organizationId_userId: { organizationId: TINY_ORG, userId: 'usr_tim' } };
    await prisma.membership.update({ where, data: { role: 'member', permissions: ['members:read'] } });
    expect(await authenticateApiKey(`Bearer ${secret}`)).toEqual({ kind: 'invalid', message: expect.stringMatching(/no longer an admin/) });
    await prisma.membership.update({ where, data: { role: 'admin', permissions: [...SCALEKIT_PERMISSIONS] } });
    expect(await authenticateApiKey(`Bearer ${secret}`)).toMatchObject({ kind: 'ok' });
  });

  it('holds the active-key cap under concurrency: 30 parallel creates at cap − 5 end with exactly the cap', async () => {
    await prisma.apiKey.createMany({
      data: Array.from({ length: MAX_ACTIVE_KEYS_PER_ORG - 5 }, (_, i) => ({
        organizationId: OPEN_ORG,
        name: `prefill ${i}`,
        prefix: 'tg_live_pre',
        hash: `prefill-${i}-${Math.random()}`,
        scopes: ['invitations:read'],
      })),
    });
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => createApiKey(olga, OPEN_ORG, `parallel ${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refusals).toHaveLength(25);
    for (const reason of refusals) expect(reason).toMatchObject({ status: 409, code: 'too_many_keys' });
    expect(await prisma.apiKey.count({ where: { organizationId: OPEN_ORG, revokedAt: null } })).toBe(MAX_ACTIVE_KEYS_PER_ORG);
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
    await expect(createApiKey(auth.actor, 'org_acme', 'minted')).rejects.toThrow(/managed by admins in the Teamgate app/);
    await expect(revokeApiKey(auth.actor, 'org_acme', apiKey.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listApiKeys(auth.actor, 'org_acme')).rejects.toBeInstanceOf(ForbiddenError);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).revokedAt).toBeNull();
  });

  it('rejects a blank or overlong name with a 400 naming the field', async () => {
    await expect(createApiKey(ada, 'org_acme', '   ')).rejects.toMatchObject({ status: 400, field: 'name' });
    await expect(createApiKey(ada, 'org_acme', 'x'.repeat(61))).rejects.toMatchObject({ status: 400, field: 'name' });
  });
});
