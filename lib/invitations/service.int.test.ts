import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/errors/app-error';
import { AppError } from '@/lib/errors/app-error';
import { listInvitations, resendInvitation, revokeInvitation } from './service';
import { inviteSent as inviteMember } from './testing';
import { ada, freshEmail, gina, max, olga, OPEN_ORG, scalekitMembersWithEmail, tim, TINY_ORG, useInvitationTestbed } from './testing';
import { emailsTo } from '@/emulator/src/testing';

const bed = await useInvitationTestbed();
const { prisma } = bed.db;

describe('inviteMember', () => {
  it('creates the invitation in Scalekit, mirrors it, emails the invitee and audits it', async () => {
    const email = freshEmail();
    const result = await inviteMember(ada, 'org_acme', { email: `  ${email.toUpperCase()} `, role: 'member', name: 'Nora Newcomer' });

    expect(result.outcome).toBe('invited');
    expect(result.membership).toMatchObject({
      email,
      status: 'PENDING_INVITE',
      syncState: 'SYNCED',
      role: 'member',
      name: 'Nora Newcomer',
      inviterEmail: 'ada@acme.test',
    });
    expect(result.membership.userId).toMatch(/^usr_/);
    expect(result.membership.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 14 * 86_400_000);

    const inScalekit = await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email);
    expect(inScalekit.map((u) => u.id)).toEqual([result.membership.userId]);
    expect(inScalekit[0]!.userProfile?.firstName).toBe('Nora');
    expect(await emailsTo(bed.emulator, email)).toHaveLength(1);
    const user = await prisma.user.findUnique({ where: { id: result.membership.userId! } });
    expect(user).toMatchObject({ email, firstName: 'Nora', lastName: 'Newcomer' });

    const audit = await prisma.auditEvent.findMany({ where: { organizationId: 'org_acme', targetId: result.membership.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'invitation.created',
      actorType: 'user',
      actorId: 'usr_ada',
      targetLabel: email,
      ip: '203.0.113.7',
    });
  });

  it('sets a non-default role in Scalekit after creating the membership', async () => {
    const email = freshEmail('boss');
    const { membership } = await inviteMember(ada, 'org_acme', { email, role: 'admin' });
    expect(membership.role).toBe('admin');
    const [user] = await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email);
    expect(user!.memberships.find((m) => m.organizationId === 'org_acme')!.roles.map((r) => r.name)).toEqual(['admin']);
  });

  it('passes externalId and metadata through and keeps them on the mirror row', async () => {
    const email = freshEmail('crm');
    const externalId = `hr-${Date.now()}`;
    const { membership } = await inviteMember(ada, 'org_acme', { email, externalId, metadata: { department: 'sales' } });
    expect(membership).toMatchObject({ externalId, metadata: { department: 'sales' } });
    const [user] = await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email);
    expect(user!.externalId).toBe(externalId);
    expect(user!.metadata).toEqual({ department: 'sales' });
  });

  it('refuses an externalId that another user holds, leaving nothing behind', async () => {
    const externalId = `dup-${Date.now()}`;
    await inviteMember(ada, 'org_acme', { email: freshEmail(), externalId });
    const email = freshEmail();
    await expect(inviteMember(ada, 'org_acme', { email, externalId })).rejects.toMatchObject({
      code: 'external_id_taken',
      status: 409,
      field: 'externalId',
    });
    expect(await bed.mirrorRows('org_acme', email)).toHaveLength(0);
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(0);
  });

  it('reports an address that is already invited without inviting it twice', async () => {
    const email = freshEmail();
    const first = await inviteMember(ada, 'org_acme', { email });
    const second = await inviteMember(ada, 'org_acme', { email, role: 'admin' });
    expect(second.outcome).toBe('already_invited');
    expect(second.membership.id).toBe(first.membership.id);
    expect(second.membership.role).toBe('member');
    expect(await emailsTo(bed.emulator, email)).toHaveLength(1);
    expect(await prisma.auditEvent.count({ where: { targetId: first.membership.id } })).toBe(1);
  });

  it('reports an existing member as already a member', async () => {
    const result = await inviteMember(ada, 'org_acme', { email: 'Max@Acme.test' });
    expect(result.outcome).toBe('already_member');
    expect(result.membership.userId).toBe('usr_max');
    expect(await emailsTo(bed.emulator, 'max@acme.test')).toHaveLength(0);
  });

  it('adopts a membership that exists in Scalekit but not in the mirror', async () => {
    const email = freshEmail('outside');
    await bed.scalekit.user.createUserAndMembership('org_acme', { email, sendInvitationEmail: true });
    const result = await inviteMember(ada, 'org_acme', { email });
    expect(result.outcome).toBe('already_invited');
    expect(result.membership).toMatchObject({ syncState: 'SYNCED', status: 'PENDING_INVITE' });
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(1);
  });

  it('20 concurrent invites of one address make exactly one invitation in Scalekit and in PostgreSQL', async () => {
    const email = freshEmail('race');
    const results = await Promise.all(Array.from({ length: 20 }, () => inviteMember(olga, OPEN_ORG, { email })));
    expect(results.filter((r) => r.outcome === 'invited')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already_invited')).toHaveLength(19);
    expect(new Set(results.map((r) => r.membership.id)).size).toBe(1);
    expect(await bed.mirrorRows(OPEN_ORG, email)).toHaveLength(1);
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(1);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(1);
    expect(await prisma.auditEvent.count({ where: { organizationId: OPEN_ORG, action: 'invitation.created', targetLabel: email } })).toBe(
      1,
    );
  });

  it.each([
    ['a member of the org', max],
    ['an admin of another org', gina],
  ])('refuses %s and changes nothing', async (_label, actor) => {
    const email = freshEmail('nope');
    await expect(inviteMember(actor, 'org_acme', { email })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await bed.mirrorRows('org_acme', email)).toHaveLength(0);
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(0);
  });

  it.each([
    [{ email: 'not-an-email' }, 'invalid_email', 'email'],
    [{ email: '' }, 'invalid_email', 'email'],
    [{ email: 'a@b.test', role: 'owner!' }, 'invalid_role', 'role'],
    [{ email: 'a@b.test', role: 'owner' }, 'unknown_role', 'role'],
    [{ email: 'a@b.test', name: 'x'.repeat(101) }, 'validation_failed', 'name'],
    [{ email: 'a@b.test', isAdmin: true }, 'validation_failed', undefined],
  ])('refuses bad input %j with a 400 naming the field', async (input, code, field) => {
    const before = await prisma.membership.count();
    const error = await inviteMember(ada, 'org_acme', input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, status: 400, field });
    expect(await prisma.membership.count()).toBe(before);
  });

  it('refuses addresses outside the organization’s allowed domains', async () => {
    const email = freshEmail('outsider', 'gmail.test');
    await expect(inviteMember(gina, 'org_globex', { email })).rejects.toMatchObject({
      code: 'domain_not_allowed',
      status: 422,
      field: 'email',
    });
    expect(await bed.mirrorRows('org_globex', email)).toHaveLength(0);
    const ok = await inviteMember(gina, 'org_globex', { email: freshEmail('insider', 'consultant.test') });
    expect(ok.outcome).toBe('invited');
  });

  it('refuses an invite over the seat limit with nothing half-written', async () => {
    await inviteMember(tim, TINY_ORG, { email: freshEmail() });
    await inviteMember(tim, TINY_ORG, { email: freshEmail() });
    const email = freshEmail('fourth');
    await expect(inviteMember(tim, TINY_ORG, { email })).rejects.toMatchObject({ code: 'seat_limit_reached', status: 409 });
    expect(await bed.mirrorRows(TINY_ORG, email)).toHaveLength(0);
    expect(await prisma.membership.count({ where: { organizationId: TINY_ORG } })).toBe(3);
  });
});

describe('resendInvitation', () => {
  it('sends the email again with a new expiry and counts it', async () => {
    const email = freshEmail('again');
    const { membership } = await inviteMember(ada, 'org_acme', { email });
    // Expired, and its email went out more than a minute ago (the resend cooldown is resend.int.test.ts's).
    await prisma.membership.update({
      where: { id: membership.id },
      data: { expiresAt: new Date(Date.now() - 1000), lastSentAt: new Date(Date.now() - 120_000) },
    });
    const resent = await resendInvitation(ada, 'org_acme', membership.id);
    expect(resent.resentCount).toBe(1);
    expect(resent.status).toBe('PENDING_INVITE');
    expect(resent.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 14 * 86_400_000);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(2);
    expect(await prisma.auditEvent.count({ where: { targetId: membership.id, action: 'invitation.resent' } })).toBe(1);
  });

  it('refuses a member who already joined, another org’s id, and a member actor', async () => {
    const maxRow = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', userId: 'usr_max' } });
    await expect(resendInvitation(ada, 'org_acme', maxRow.id)).rejects.toMatchObject({ code: 'not_pending', status: 409 });
    const { membership } = await inviteMember(olga, OPEN_ORG, { email: freshEmail() });
    await expect(resendInvitation(ada, 'org_acme', membership.id)).rejects.toMatchObject({ code: 'invitation_not_found', status: 404 });
    await expect(resendInvitation(max, 'org_acme', membership.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await prisma.membership.findUniqueOrThrow({ where: { id: membership.id } })).resentCount).toBe(0);
  });
});

describe('revokeInvitation', () => {
  it('deletes the membership in Scalekit and the mirror row, and audits it', async () => {
    const email = freshEmail('revoked');
    const { membership } = await inviteMember(ada, 'org_acme', { email });
    await revokeInvitation(ada, 'org_acme', membership.id);
    expect(await bed.mirrorRows('org_acme', email)).toHaveLength(0);
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(0);
    expect(await prisma.auditEvent.count({ where: { targetId: membership.id, action: 'invitation.revoked' } })).toBe(1);
    // The address can be invited afresh.
    expect((await inviteMember(ada, 'org_acme', { email })).outcome).toBe('invited');
  });

  it('refuses to revoke an active member and refuses other organizations’ admins', async () => {
    const maxRow = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', userId: 'usr_max' } });
    await expect(revokeInvitation(ada, 'org_acme', maxRow.id)).rejects.toMatchObject({ code: 'not_an_invitation', status: 409 });
    const { membership } = await inviteMember(ada, 'org_acme', { email: freshEmail() });
    await expect(revokeInvitation(gina, 'org_acme', membership.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(revokeInvitation(gina, 'org_globex', membership.id)).rejects.toMatchObject({ status: 404 });
    expect(await prisma.membership.findUnique({ where: { id: membership.id } })).not.toBeNull();
  });
});

describe('listInvitations', () => {
  it('pages through pending invitations newest first without repeats', async () => {
    const emails: string[] = [];
    for (let i = 0; i < 5; i++) emails.push((await inviteMember(olga, OPEN_ORG, { email: freshEmail(`page${i}`) })).membership.email);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listInvitations>> = await listInvitations(olga, OPEN_ORG, { cursor, limit: 2 });
      seen.push(...page.invitations.map((m) => m.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((e) => emails.includes(e))).toEqual([...emails].reverse());
    expect(seen).not.toContain('olga@open.test');
  });

  it('rejects a forged cursor with a 400', async () => {
    await expect(listInvitations(olga, OPEN_ORG, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ status: 400, field: 'cursor' });
  });
});
