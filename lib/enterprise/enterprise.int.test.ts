import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/errors/app-error';
import { injectFault, useTeamTestStack } from '@/lib/members/testing';
import { openAdminPortal } from '@/lib/enterprise/portal';
import { getEnterpriseStatus } from '@/lib/enterprise/status';

// The "Single sign-on & directory" page's two server-side pieces, against the emulator through
// the real SDK: the status read from ConnectionService/DirectoryService, and the admin portal link.

const stack = await useTeamTestStack();
const { prisma } = stack.db;

/** What an admin does in the portal's page (emulator/src/oauth/portal.ts), as a browser would: post its forms. */
async function inPortal(location: string, forms: Array<Record<string, string>>): Promise<string> {
  const opened = await fetch(location, { redirect: 'manual' });
  expect(opened.status).toBe(303);
  const portal = new URL(opened.headers.get('location')!, location).toString();
  let html = '';
  for (const form of forms) {
    const id = form.id === 'FIRST_CONNECTION' || form.id === 'FIRST_DIRECTORY' ? firstId(html, form.id) : form.id;
    const res = await fetch(portal, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, ...(id ? { id } : {}) }).toString(),
    });
    html = await res.text();
    expect(res.status, html).toBe(200);
  }
  return html;
}

function firstId(html: string, which: string): string {
  const prefix = which === 'FIRST_CONNECTION' ? 'conn' : 'dir';
  return new RegExp(`name="id" value="(${prefix}_\\d+)"`).exec(html)![1]!;
}

describe('getEnterpriseStatus', () => {
  it('an organization with nothing set up: no connections, no directories', async () => {
    expect(await getEnterpriseStatus(stack.acmeAdmin, 'org_acme')).toEqual({ ok: true, connections: [], directories: [] });
  });

  it('lists a seeded enabled connection with its protocol, provider and domains', async () => {
    const status = await getEnterpriseStatus(stack.globexAdmin, 'org_globex');
    expect(status).toMatchObject({
      ok: true,
      connections: [
        { id: 'conn_globex_okta', protocol: 'OIDC', provider: 'Okta', enabled: true, status: 'Configured', domains: ['globex.test'] },
      ],
    });
  });

  it('shows what the admin portal set up: an enabled SAML connection and a SCIM directory with its counts', async () => {
    const { location } = await openAdminPortal(stack.acmeAdmin, 'org_acme');
    await inPortal(location, [
      { action: 'create_connection', protocol: 'SAML', provider: 'MICROSOFT_AD', displayName: 'Entra (Acme)', domains: 'corp.acme.test' },
      { action: 'enable_connection', id: 'FIRST_CONNECTION' },
      { action: 'create_directory', provider: 'OKTA', name: 'Acme Okta' },
      { action: 'enable_directory', id: 'FIRST_DIRECTORY' },
    ]);
    const status = await getEnterpriseStatus(stack.acmeAdmin, 'org_acme');
    expect(status).toEqual({
      ok: true,
      connections: [
        {
          id: expect.stringMatching(/^conn_/),
          protocol: 'SAML',
          provider: 'Microsoft Entra ID',
          enabled: true,
          status: 'Configured',
          domains: ['corp.acme.test'],
        },
      ],
      directories: [
        {
          id: expect.stringMatching(/^dir_/),
          name: 'Acme Okta',
          type: 'SCIM',
          provider: 'Okta',
          enabled: true,
          status: 'Configured',
          lastSyncedAt: null,
          totalUsers: 0,
          totalGroups: 0,
        },
      ],
    });
  });

  it('Scalekit failing is an error state with a sentence, not a throw and not the error text', async () => {
    await injectFault(stack.emulator, { target: 'ListDirectories', grpcCode: 'RESOURCE_EXHAUSTED' });
    expect(await getEnterpriseStatus(stack.acmeAdmin, 'org_acme')).toEqual({
      ok: false,
      retryable: true,
      message: 'Scalekit is not reachable — try again in a moment.',
    });
    await injectFault(stack.emulator, { target: 'ListConnections', grpcCode: 'PERMISSION_DENIED' });
    const refused = await getEnterpriseStatus(stack.acmeAdmin, 'org_acme');
    expect(refused).toMatchObject({ ok: false, retryable: false, message: expect.stringContaining('Scalekit refused') });
    expect(JSON.stringify(refused)).not.toMatch(/sks_|fault injected|Bearer/);
  });

  it('members and admins of other organizations are refused before Scalekit is asked', async () => {
    await expect(getEnterpriseStatus(stack.acmeMember, 'org_acme')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getEnterpriseStatus(stack.globexAdmin, 'org_acme')).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('openAdminPortal', () => {
  it('mints a single-use link on the Scalekit environment, audited without the link', async () => {
    const before = Date.now();
    const link = await openAdminPortal(stack.acmeAdmin, 'org_acme');
    expect(link.location).toMatch(new RegExp(`^${stack.emulator.url}/magicLink/[0-9a-f-]{36}$`));
    expect(new Date(link.expiresAt!).getTime()).toBeGreaterThan(before);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { organizationId: 'org_acme', action: 'org.admin_portal_opened' },
      orderBy: { createdAt: 'desc' },
    });
    expect(audit).toMatchObject({ actorLabel: 'ada@acme.test', targetType: 'organization', targetId: 'org_acme' });
    // The link is a bearer credential for the portal: not a trace of it in the log.
    const linkId = link.location.split('/').pop()!;
    expect(JSON.stringify(audit)).not.toContain(linkId);
    // Each click gets its own link; the first still opens once.
    const second = await openAdminPortal(stack.acmeAdmin, 'org_acme');
    expect(second.location).not.toBe(link.location);
    expect((await fetch(link.location, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(link.location, { redirect: 'manual' })).status).toBe(410);
  });

  it('refuses a member and another organization’s admin, auditing nothing', async () => {
    const count = () => prisma.auditEvent.count({ where: { action: 'org.admin_portal_opened' } });
    const before = await count();
    await expect(openAdminPortal(stack.acmeMember, 'org_acme')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(openAdminPortal(stack.globexAdmin, 'org_acme')).rejects.toBeInstanceOf(ForbiddenError);
    expect(await count()).toBe(before);
  });

  it('Scalekit unreachable: a retryable error saying so, and no audit row', async () => {
    const before = await prisma.auditEvent.count({ where: { action: 'org.admin_portal_opened' } });
    await injectFault(stack.emulator, { target: 'GeneratePortalLink', grpcCode: 'RESOURCE_EXHAUSTED' });
    await expect(openAdminPortal(stack.acmeAdmin, 'org_acme')).rejects.toMatchObject({
      retryable: true,
      message: 'Scalekit is not reachable — try again in a moment. The admin portal was not opened.',
    });
    expect(await prisma.auditEvent.count({ where: { action: 'org.admin_portal_opened' } })).toBe(before);
  });
});
