import { ScalekitClient } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { injectFault, useTeamTestStack } from '@/lib/members/testing';
import { resyncOrganization } from '@/lib/organizations/resync';
import { getOrganizationSettings, updateOrganizationSettings } from '@/lib/organizations/settings';

const stack = await useTeamTestStack();
const { prisma } = stack.db;
const scalekit = new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');

describe('organization settings', () => {
  it('sets the seat limit in Scalekit and the mirror, and the allowed domains in the mirror, audited', async () => {
    const { settings, changed } = await updateOrganizationSettings(stack.acmeAdmin, 'org_acme', {
      maxAllowedUsers: 30,
      allowedEmailDomains: 'acme.test, @Consultant.test',
    });
    expect(changed).toBe(true);
    expect(settings).toMatchObject({ maxAllowedUsers: 30, allowedEmailDomains: ['acme.test', 'consultant.test'] });
    expect((await scalekit.organization.getOrganizationUserManagementSetting('org_acme')).settings?.maxAllowedUsers).toBe(30);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'org.settings_changed' } });
    expect(audit.metadata).toEqual({
      maxAllowedUsers: { from: 25, to: 30 },
      allowedEmailDomains: { from: [], to: ['acme.test', 'consultant.test'] },
    });
  });

  it('null means unlimited, in Scalekit too', async () => {
    await updateOrganizationSettings(stack.acmeAdmin, 'org_acme', { maxAllowedUsers: null, allowedEmailDomains: [] });
    expect((await scalekit.organization.getOrganizationUserManagementSetting('org_acme')).settings?.maxAllowedUsers).toBeUndefined();
    expect(await getOrganizationSettings(stack.acmeAdmin, 'org_acme')).toMatchObject({ maxAllowedUsers: null, allowedEmailDomains: [] });
  });

  it('saving the same values changes and audits nothing', async () => {
    const before = await prisma.auditEvent.count();
    expect(
      (await updateOrganizationSettings(stack.acmeAdmin, 'org_acme', { maxAllowedUsers: null, allowedEmailDomains: '' })).changed,
    ).toBe(false);
    expect(await prisma.auditEvent.count()).toBe(before);
  });

  it.each([
    [{ maxAllowedUsers: 0, allowedEmailDomains: '' }, 'maxAllowedUsers', 'invalid_input'],
    [{ maxAllowedUsers: 2.5, allowedEmailDomains: '' }, 'maxAllowedUsers', 'invalid_input'],
    [{ maxAllowedUsers: 1, allowedEmailDomains: '' }, 'maxAllowedUsers', 'seat_limit_below_usage'],
    [{ maxAllowedUsers: null, allowedEmailDomains: 'not a domain' }, 'allowedEmailDomains', 'invalid_input'],
  ])('refuses %j with a 400 on the field, changing nothing', async (input, field, code) => {
    const before = await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } });
    await expect(updateOrganizationSettings(stack.acmeAdmin, 'org_acme', input)).rejects.toMatchObject({ status: 400, field, code });
    expect(await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).toEqual(before);
  });

  it('a Scalekit failure leaves the mirror as it was', async () => {
    await injectFault(stack.emulator, { target: 'UpsertUserManagementSettings', grpcCode: 'RESOURCE_EXHAUSTED' });
    await expect(
      updateOrganizationSettings(stack.acmeAdmin, 'org_acme', { maxAllowedUsers: 50, allowedEmailDomains: 'acme.test' }),
    ).rejects.toMatchObject({ status: 429, retryable: true });
    expect(await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).toMatchObject({
      maxAllowedUsers: null,
      allowedEmailDomains: [],
    });
  });
});

describe('re-sync from Scalekit', () => {
  it('adds, updates and removes mirror rows to match Scalekit, across pages, keeping in-flight invitations', async () => {
    // Drift: the seat limit was raised in the Scalekit dashboard, and Scalekit has 120 members the mirror never saw (more than one page of 100)…
    await scalekit.organization.upsertUserManagementSettings('org_globex', { maxAllowedUsers: 500 });
    for (let i = 0; i < 120; i++)
      await scalekit.user.createUserAndMembership('org_globex', { email: `bulk${i}@globex.test`, sendInvitationEmail: false });
    // …the mirror has a stale row Scalekit no longer has, a wrong role, and an invitation mid-send.
    await prisma.user.create({ data: { id: 'usr_ghost', email: 'ghost@globex.test' } });
    await prisma.membership.create({
      data: { organizationId: 'org_globex', userId: 'usr_ghost', email: 'ghost@globex.test', status: 'ACTIVE' },
    });
    await prisma.membership.update({
      where: { organizationId_email: { organizationId: 'org_globex', email: 'gina@globex.test' } },
      data: { role: 'member' },
    });
    await prisma.membership.create({ data: { organizationId: 'org_globex', email: 'sending@globex.test', syncState: 'SENDING' } });

    const result = await resyncOrganization(stack.globexAdmin, 'org_globex');
    // gina (wrong role) at least; seeded rows whose timestamps differ from Scalekit's are updated too.
    expect(result).toEqual({ total: 122, added: 120, updated: expect.any(Number), removed: 1, maxAllowedUsers: 500 });
    expect(result.updated).toBeGreaterThanOrEqual(1);
    expect(await prisma.membership.count({ where: { organizationId: 'org_globex', syncState: 'SYNCED' } })).toBe(122);
    expect(
      await prisma.membership.findUnique({ where: { organizationId_email: { organizationId: 'org_globex', email: 'ghost@globex.test' } } }),
    ).toBeNull();
    expect(
      await prisma.membership.findUnique({ where: { organizationId_email: { organizationId: 'org_globex', email: 'gina@globex.test' } } }),
    ).toMatchObject({ role: 'admin' });
    expect(
      await prisma.membership.findUnique({
        where: { organizationId_email: { organizationId: 'org_globex', email: 'sending@globex.test' } },
      }),
    ).toMatchObject({ syncState: 'SENDING' });
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: 'org_globex' } })).syncedAt).toBeInstanceOf(Date);

    // Running it again finds nothing to do.
    expect(await resyncOrganization(stack.globexAdmin, 'org_globex')).toEqual({
      total: 122,
      added: 0,
      updated: 0,
      removed: 0,
      maxAllowedUsers: 500,
    });
  });

  it('a Scalekit failure while listing changes nothing', async () => {
    const before = await prisma.membership.findMany({ where: { organizationId: 'org_globex' }, orderBy: { id: 'asc' } });
    await injectFault(stack.emulator, { target: 'ListOrganizationUsers', grpcCode: 'RESOURCE_EXHAUSTED' });
    await expect(resyncOrganization(stack.globexAdmin, 'org_globex')).rejects.toMatchObject({
      status: 429,
      message: expect.stringContaining('changed nothing'),
    });
    expect(await prisma.membership.findMany({ where: { organizationId: 'org_globex' }, orderBy: { id: 'asc' } })).toEqual(before);
  });
});
