import { describe, expect, it } from 'vitest';
import { createApiKey, listApiKeys, revokeApiKey } from '@/lib/api-keys/service';
import type { Actor } from '@/lib/auth/actor';
import { ForbiddenError } from '@/lib/errors/app-error';
import { API_KEY_SCOPES, type ApiKeyScope } from '@/lib/auth/permissions';
import { auditCsv, listAuditEvents } from '@/lib/audit/query';
import { listInvitations, resendInvitation, revokeInvitation } from '@/lib/invitations/service';
import { inviteSent as inviteMember } from '@/lib/invitations/testing';
import { changeRole, getSeatUsage, listMembers, removeMember } from '@/lib/members/service';
import { scalekitMembers, useTeamTestStack } from '@/lib/members/testing';
import { removeLogo, uploadLogo } from '@/lib/organizations/logo';
import { PNG_BYTES } from '@/lib/organizations/logo-fixtures';
import { renameOrganization } from '@/lib/organizations/rename';
import { resyncOrganization } from '@/lib/organizations/resync';
import { getOrganizationSettings, updateOrganizationSettings } from '@/lib/organizations/settings';
import { GET as auditCsvRoute } from '@/app/api/orgs/[orgId]/audit.csv/route';

/**
 * Every admin action × {admin of this org, member of this org, admin of another org, an API key
 * with every scope}: allowed for the first only, and for the others nothing changes — not the
 * mirror, not Scalekit, not the keys, not the audit log. Then every action a key may take × each
 * scope: allowed with exactly the scope it needs. Signed out is covered through the route handler
 * (no Actor can even be built).
 */

const stack = await useTeamTestStack();
const { prisma } = stack.db;

async function snapshot() {
  const [memberships, orgs, audits, apiKeys, scalekit] = await Promise.all([
    prisma.membership.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, role: true, status: true, updatedAt: true, resentCount: true },
    }),
    prisma.organization.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, name: true, logoSha256: true, maxAllowedUsers: true, allowedEmailDomains: true, syncedAt: true },
    }),
    prisma.auditEvent.count(),
    prisma.apiKey.findMany({ orderBy: { id: 'asc' }, select: { id: true, revokedAt: true } }),
    scalekitMembers(stack.emulator, 'org_acme'),
  ]);
  return { memberships, orgs, audits, apiKeys, scalekit };
}

let counter = 0;
const freshEmail = (prefix: string) => `${prefix}.${Date.now().toString(36)}${counter++}@acme.test`;

/** What a key looks like once authenticated (lib/api-keys/service.ts authenticateApiKey). */
const keyActor = (scopes: readonly ApiKeyScope[], organizationId = 'org_acme'): Actor => ({
  kind: 'api_key',
  apiKeyId: `key_matrix_${organizationId}_${scopes.join('_')}`,
  label: `matrix key (${scopes.join(', ')})`,
  organizationId,
  scopes,
});

const standingKey = (await createApiKey(stack.acmeAdmin, 'org_acme', 'Standing key')).apiKey;

const maxId = async () =>
  (await prisma.membership.findUniqueOrThrow({ where: { organizationId_email: { organizationId: 'org_acme', email: 'max@acme.test' } } }))
    .id;

const actions: Record<string, (actor: Actor) => Promise<unknown>> = {
  'change role': async (actor) => changeRole(actor, 'org_acme', await maxId(), 'admin'),
  'remove member': async (actor) => removeMember(actor, 'org_acme', await maxId()),
  'read settings': (actor) => getOrganizationSettings(actor, 'org_acme'),
  'change settings': (actor) => updateOrganizationSettings(actor, 'org_acme', { maxAllowedUsers: 40, allowedEmailDomains: 'acme.test' }),
  'resync from Scalekit': (actor) => resyncOrganization(actor, 'org_acme'),
  'rename the organization': (actor) => renameOrganization(actor, 'org_acme', 'Acme Renamed'),
  'upload a logo': (actor) => uploadLogo(actor, 'org_acme', { bytes: PNG_BYTES() }),
  'remove the logo': (actor) => removeLogo(actor, 'org_acme'),
  'read the audit log': (actor) => listAuditEvents(actor, 'org_acme'),
  'export the audit log': (actor) => auditCsv(actor, 'org_acme'),
  'invite an admin': (actor) => inviteMember(actor, 'org_acme', { email: freshEmail('new.admin'), role: 'admin' }),
  'create an API key': (actor) => createApiKey(actor, 'org_acme', 'Minted'),
  'list API keys': (actor) => listApiKeys(actor, 'org_acme'),
  'revoke an API key': (actor) => revokeApiKey(actor, 'org_acme', standingKey.id),
};

describe.each(Object.entries(actions))('%s', (_name, action) => {
  it.each([
    ['a member of this organization', () => stack.acmeMember],
    ['an admin of another organization', () => stack.globexAdmin],
    ['an admin of another organization claiming this org id', () => ({ ...stack.globexAdmin, organizationId: 'org_globex' }) as Actor],
    ['an API key of this organization with every scope', () => keyActor(API_KEY_SCOPES)],
    ['an API key of another organization with every scope', () => keyActor(API_KEY_SCOPES, 'org_globex')],
  ])('is refused for %s, changing nothing', async (_who, actor) => {
    const before = await snapshot();
    await expect(action(actor())).rejects.toBeInstanceOf(ForbiddenError);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the admin of this organization', () => {
  it('may do every one of them', async () => {
    // Read-only ones first; the destructive ones last (remove needs the member change role made).
    await expect(actions['read settings']!(stack.acmeAdmin)).resolves.toMatchObject({ id: 'org_acme' });
    await expect(actions['read the audit log']!(stack.acmeAdmin)).resolves.toHaveProperty('rows');
    await expect(actions['export the audit log']!(stack.acmeAdmin)).resolves.toBeDefined();
    await expect(actions['list API keys']!(stack.acmeAdmin)).resolves.toEqual(
      expect.arrayContaining([expect.objectContaining({ id: standingKey.id })]),
    );
    await expect(actions['change settings']!(stack.acmeAdmin)).resolves.toMatchObject({ changed: true, settings: { maxAllowedUsers: 40 } });
    await expect(actions['resync from Scalekit']!(stack.acmeAdmin)).resolves.toMatchObject({ maxAllowedUsers: 40 });
    await expect(actions['rename the organization']!(stack.acmeAdmin)).resolves.toEqual({ name: 'Acme Renamed', changed: true });
    await expect(actions['upload a logo']!(stack.acmeAdmin)).resolves.toHaveProperty('sha256');
    await expect(actions['remove the logo']!(stack.acmeAdmin)).resolves.toEqual({ removed: true });
    await expect(actions['invite an admin']!(stack.acmeAdmin)).resolves.toMatchObject({
      outcome: 'invited',
      membership: { role: 'admin' },
    });
    await expect(actions['create an API key']!(stack.acmeAdmin)).resolves.toMatchObject({ apiKey: { name: 'Minted' } });
    await expect(actions['revoke an API key']!(stack.acmeAdmin)).resolves.toMatchObject({
      id: standingKey.id,
      revokedAt: expect.any(Date),
    });
    await expect(actions['change role']!(stack.acmeAdmin)).resolves.toMatchObject({ changed: true });
    await expect(actions['remove member']!(stack.acmeAdmin)).resolves.toEqual({ email: 'max@acme.test' });
    const logged = await prisma.auditEvent.findMany({
      where: { organizationId: 'org_acme', actorLabel: 'ada@acme.test' },
      select: { action: true },
    });
    expect(logged.map((e) => e.action).sort()).toEqual([
      'api_key.created', // the standing key, made before the matrix
      'api_key.created',
      'api_key.revoked',
      'invitation.created',
      'member.removed',
      'member.role_changed',
      'org.logo_changed',
      'org.logo_removed',
      'org.renamed',
      'org.resynced',
      'org.settings_changed',
    ]);
  });
});

/** An invitation Ada sent, as if a while ago, for a key to resend or revoke. */
async function invitedByAda(): Promise<string> {
  const { membership } = await inviteMember(stack.acmeAdmin, 'org_acme', { email: freshEmail('for.key') });
  await prisma.membership.update({ where: { id: membership.id }, data: { lastSentAt: new Date(Date.now() - 10 * 60_000) } });
  return membership.id;
}

const keyActions: Record<
  string,
  { needs: ApiKeyScope; setup?: () => Promise<string>; run: (actor: Actor, id: string) => Promise<unknown> }
> = {
  'list invitations': { needs: 'invitations:read', run: (actor) => listInvitations(actor, 'org_acme') },
  'invite a member': { needs: 'invitations:write', run: (actor) => inviteMember(actor, 'org_acme', { email: freshEmail('by.key') }) },
  'resend an invitation': { needs: 'invitations:write', setup: invitedByAda, run: (actor, id) => resendInvitation(actor, 'org_acme', id) },
  'revoke an invitation': { needs: 'invitations:write', setup: invitedByAda, run: (actor, id) => revokeInvitation(actor, 'org_acme', id) },
  'list members and seat usage': {
    needs: 'members:read',
    run: async (actor) => [await listMembers(actor, 'org_acme'), await getSeatUsage(actor, 'org_acme')],
  },
};

describe.each(Object.entries(keyActions))('an API key may %s', (_name, action) => {
  it.each(API_KEY_SCOPES.map((scope) => [scope]))('only with the scope it needs: holding %s', async (scope) => {
    const id = action.setup ? await action.setup() : '';
    const actor = keyActor([scope]);
    if (scope === action.needs) {
      await action.run(actor, id); // throws if refused
      return;
    }
    const before = await snapshot();
    const error = await action.run(actor, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toContain(`"${action.needs}" scope`);
    expect(await snapshot()).toEqual(before);
  });
});

describe('signed out', () => {
  it('the audit export answers 401 and no CSV', async () => {
    const response = await auditCsvRoute(new Request('http://localhost/api/orgs/org_acme/audit.csv'), {
      params: Promise.resolve({ orgId: 'org_acme' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/json/);
  });
});
