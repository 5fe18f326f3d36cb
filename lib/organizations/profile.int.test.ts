import { ScalekitClient } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { GET as getLogo } from '@/app/api/orgs/[orgId]/logo/route';
import { MAX_LOGO_BYTES } from '@/lib/organizations/logo-limits';
import { removeLogo, uploadLogo } from '@/lib/organizations/logo';
import { renameOrganization } from '@/lib/organizations/rename';
import { injectFault, useTeamTestStack } from '@/lib/members/testing';
import { signedInSession } from '@/lib/session/testing';
import { JPEG_BYTES, PNG_BYTES, SVG_BYTES, WEBP_BYTES } from './logo-fixtures';

/**
 * The organization profile (issue 14 item 6): renaming through Scalekit's UpdateOrganization and
 * the logo kept in PostgreSQL, against a real database and the emulator through the real SDK.
 */

const stack = await useTeamTestStack();
const { prisma } = stack.db;
const sdk = () => new ScalekitClient(stack.emulator.url, 'skc_teamgate_dev', 'sks_teamgate_dev_only_not_a_real_secret');

async function logoRequest(orgId: string, as: { userId: string; orgId: string }, headers: Record<string, string> = {}) {
  const { cookie } = await signedInSession(as.userId, as.orgId);
  const request = new Request(`http://localhost:3000/api/orgs/${orgId}/logo?v=x`, { headers: { cookie, ...headers } });
  return getLogo(request, { params: Promise.resolve({ orgId }) });
}

describe('renameOrganization', () => {
  it('renames at Scalekit first, then the mirror, and audits the change', async () => {
    expect(await renameOrganization(stack.acmeAdmin, 'org_acme', '  Acme   Industries ')).toEqual({
      name: 'Acme Industries',
      changed: true,
    });
    expect((await sdk().organization.getOrganization('org_acme')).organization?.displayName).toBe('Acme Industries');
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).name).toBe('Acme Industries');
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: 'org_acme', action: 'org.renamed' } });
    expect(audit).toMatchObject({ actorLabel: 'ada@acme.test', metadata: { from: 'Acme', to: 'Acme Industries' } });
    // The same name again changes nothing and calls nobody.
    expect(await renameOrganization(stack.acmeAdmin, 'org_acme', 'Acme Industries')).toEqual({ name: 'Acme Industries', changed: false });
    expect(await prisma.auditEvent.count({ where: { organizationId: 'org_acme', action: 'org.renamed' } })).toBe(1);
  });

  it('refuses an empty, an over-long or a control-character name with the field named, and changes nothing', async () => {
    const before = (await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).name;
    for (const name of ['   ', 'x'.repeat(201), 'Acme\u0000Evil', 42]) {
      await expect(renameOrganization(stack.acmeAdmin, 'org_acme', name)).rejects.toMatchObject({
        code: 'invalid_input',
        status: 400,
        field: 'name',
      });
    }
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).name).toBe(before);
    expect((await sdk().organization.getOrganization('org_acme')).organization?.displayName).toBe(before);
  });

  it('Scalekit down: a retryable error, and neither the mirror nor the audit log changes', async () => {
    const before = (await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).name;
    const audits = await prisma.auditEvent.count({ where: { organizationId: 'org_acme' } });
    await injectFault(stack.emulator, { target: 'UpdateOrganization', count: 10, grpcCode: 'UNAVAILABLE' });
    await expect(renameOrganization(stack.acmeAdmin, 'org_acme', 'Never Saved')).rejects.toMatchObject({
      code: 'scalekit_unavailable',
      status: 503,
      retryable: true,
    });
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).name).toBe(before);
    expect(await prisma.auditEvent.count({ where: { organizationId: 'org_acme' } })).toBe(audits);
  });

  it('two admins renaming at the same moment leave Scalekit and the mirror with the same name, each change audited', async () => {
    const audits = await prisma.auditEvent.count({ where: { organizationId: 'org_acme', action: 'org.renamed' } });
    const results = await Promise.all(['Acme North', 'Acme South'].map((name) => renameOrganization(stack.acmeAdmin, 'org_acme', name)));
    expect(results.every((r) => r.changed)).toBe(true);
    const mirror = (await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).name;
    expect((await sdk().organization.getOrganization('org_acme')).organization?.displayName).toBe(mirror);
    expect(await prisma.auditEvent.count({ where: { organizationId: 'org_acme', action: 'org.renamed' } })).toBe(audits + 2);
  });

  it('a member without org:settings gets 403, and an admin of another organization too', async () => {
    await expect(renameOrganization(stack.acmeMember, 'org_acme', 'Hijacked')).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(renameOrganization(stack.globexAdmin, 'org_acme', 'Hijacked')).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).name).not.toBe('Hijacked');
  });
});

describe('organization logo', () => {
  it('stores a PNG by its bytes and serves it to members with its type fixed, nosniff, its own CSP and a hash ETag', async () => {
    const { sha256 } = await uploadLogo(stack.acmeAdmin, 'org_acme', { bytes: PNG_BYTES() });
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } });
    expect(org.logoSha256).toBe(sha256);
    expect(await prisma.auditEvent.count({ where: { organizationId: 'org_acme', action: 'org.logo_changed' } })).toBe(1);

    const response = await logoRequest('org_acme', { userId: 'usr_max', orgId: 'org_acme' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none';.*sandbox$/);
    expect(response.headers.get('etag')).toBe(`"${sha256}"`);
    expect(response.headers.get('cache-control')).toMatch(/^private/);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(PNG_BYTES()))).toBe(true);

    const again = await logoRequest('org_acme', { userId: 'usr_max', orgId: 'org_acme' }, { 'if-none-match': `"${sha256}"` });
    expect(again.status).toBe(304);
  });

  it('the URL with the current hash is cacheable for a year; anyone outside the organization gets 403', async () => {
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } });
    const { cookie } = await signedInSession('usr_ada', 'org_acme');
    const current = await getLogo(
      new Request(`http://localhost:3000/api/orgs/org_acme/logo?v=${org.logoSha256!.slice(0, 16)}`, { headers: { cookie } }),
      { params: Promise.resolve({ orgId: 'org_acme' }) },
    );
    expect(current.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const outsider = await logoRequest('org_acme', { userId: 'usr_gina', orgId: 'org_globex' });
    expect(outsider.status).toBe(403);
    expect(outsider.headers.get('content-type')).not.toMatch(/^image\//);
  });

  it('takes JPEG and WebP too, each served as what its bytes are', async () => {
    await uploadLogo(stack.globexAdmin, 'org_globex', { bytes: JPEG_BYTES() });
    expect((await logoRequest('org_globex', { userId: 'usr_gina', orgId: 'org_globex' })).headers.get('content-type')).toBe('image/jpeg');
    await uploadLogo(stack.globexAdmin, 'org_globex', { bytes: WEBP_BYTES() });
    expect((await logoRequest('org_globex', { userId: 'usr_gina', orgId: 'org_globex' })).headers.get('content-type')).toBe('image/webp');
  });

  it('refuses a file over 1 MB (413), an SVG (415, saying why) and anything that is not an image (415), keeping the old logo', async () => {
    const before = await prisma.organizationLogo.findUniqueOrThrow({ where: { organizationId: 'org_acme' } });
    const big = new Uint8Array(MAX_LOGO_BYTES + 1);
    big.set(PNG_BYTES());
    await expect(uploadLogo(stack.acmeAdmin, 'org_acme', { bytes: big })).rejects.toMatchObject({
      code: 'logo_too_large',
      status: 413,
      field: 'logo',
    });
    await expect(uploadLogo(stack.acmeAdmin, 'org_acme', { bytes: SVG_BYTES() })).rejects.toMatchObject({
      code: 'logo_unsupported_type',
      status: 415,
      message: expect.stringMatching(/SVG .* not accepted/),
    });
    await expect(uploadLogo(stack.acmeAdmin, 'org_acme', { bytes: new TextEncoder().encode('GIF89a not really') })).rejects.toMatchObject({
      code: 'logo_unsupported_type',
      status: 415,
    });
    await expect(uploadLogo(stack.acmeAdmin, 'org_acme', { bytes: new Uint8Array(0) })).rejects.toMatchObject({ code: 'invalid_input' });
    const after = await prisma.organizationLogo.findUniqueOrThrow({ where: { organizationId: 'org_acme' } });
    expect(after.sha256).toBe(before.sha256);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it('a member without org:settings may neither upload nor remove (403)', async () => {
    await expect(uploadLogo(stack.acmeMember, 'org_acme', { bytes: PNG_BYTES() })).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    await expect(removeLogo(stack.acmeMember, 'org_acme')).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(removeLogo(stack.globexAdmin, 'org_acme')).rejects.toMatchObject({ code: 'forbidden' });
    expect(await prisma.organizationLogo.count({ where: { organizationId: 'org_acme' } })).toBe(1);
  });

  it('removing it clears the row and the hash, audits it once, and the route answers 404', async () => {
    expect(await removeLogo(stack.acmeAdmin, 'org_acme')).toEqual({ removed: true });
    expect(await removeLogo(stack.acmeAdmin, 'org_acme')).toEqual({ removed: false });
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: 'org_acme' } })).logoSha256).toBeNull();
    expect(await prisma.auditEvent.count({ where: { organizationId: 'org_acme', action: 'org.logo_removed' } })).toBe(1);
    expect((await logoRequest('org_acme', { userId: 'usr_ada', orgId: 'org_acme' })).status).toBe(404);
  });
});
