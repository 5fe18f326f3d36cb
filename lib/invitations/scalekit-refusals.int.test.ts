import { describe, expect, it } from 'vitest';
import { authStackFor, signInAtEmulator } from '@/lib/auth/test-support';
import { resendInvitation } from './service';
import { inviteSent as inviteMember } from './testing';
import { ada, freshEmail, olga, OPEN_ORG, scalekitMembersWithEmail, useInvitationTestbed } from './testing';

/**
 * Scalekit documents its gRPC statuses, not the ErrorInfo strings the emulator adds
 * (SEAT_LIMIT_REACHED, INVITE_NOT_PENDING, ...). Each refusal here is injected with a status and
 * no code at all, as real Scalekit may send it: the app must still tell the person what happened,
 * from the status and what it knows of the request (lib/invitations/scalekit-refusals.ts).
 */

const bed = await useInvitationTestbed();
const { prisma } = bed.db;

describe('an invitation Scalekit refuses with a status and no error code', () => {
  it('FAILED_PRECONDITION in an organization with a seat limit → the seat-limit sentence, nothing half-written', async () => {
    const email = freshEmail('precondition');
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'FAILED_PRECONDITION' });
    await expect(inviteMember(ada, 'org_acme', { email })).rejects.toMatchObject({ code: 'seat_limit_reached', status: 409 });
    expect(await bed.mirrorRows('org_acme', email)).toHaveLength(0);
  });

  it('FAILED_PRECONDITION where no seat limit is set, or INVALID_ARGUMENT → Scalekit’s refusal as such, not a guess', async () => {
    for (const [orgId, actor, grpcCode] of [
      [OPEN_ORG, olga, 'FAILED_PRECONDITION'],
      ['org_acme', ada, 'INVALID_ARGUMENT'],
    ] as const) {
      const email = freshEmail('refused');
      await bed.fault({ target: 'CreateUserAndMembership', grpcCode });
      await expect(inviteMember(actor, orgId, { email })).rejects.toMatchObject({ code: 'scalekit_bad_request', status: 400 });
      expect(await bed.mirrorRows(orgId, email)).toHaveLength(0);
    }
  });

  it('NOT_FOUND → the organization is gone at Scalekit', async () => {
    const email = freshEmail('nowhere');
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'NOT_FOUND' });
    await expect(inviteMember(ada, 'org_acme', { email })).rejects.toMatchObject({ code: 'organization_not_found' });
    expect(await bed.mirrorRows('org_acme', email)).toHaveLength(0);
  });

  it('ALREADY_EXISTS with an externalId, and the email not in the organization → the externalId is taken', async () => {
    const email = freshEmail('dup-ext');
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'ALREADY_EXISTS' });
    await expect(inviteMember(ada, 'org_acme', { email, externalId: 'hr-123' })).rejects.toMatchObject({
      code: 'external_id_taken',
      field: 'externalId',
    });
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(0);
  });
});

describe('a resend Scalekit refuses with a status and no error code', () => {
  it('when the person already accepted at Scalekit (our mirror not told yet) → "already joined"', async () => {
    const email = freshEmail('accepted');
    const { membership } = await inviteMember(ada, 'org_acme', { email });
    await signInAtEmulator(authStackFor(bed.db, bed.emulator), email);
    await prisma.membership.update({ where: { id: membership.id }, data: { lastSentAt: new Date(Date.now() - 120_000) } });
    await bed.fault({ target: 'ResendInvite', grpcCode: 'FAILED_PRECONDITION' });
    await expect(resendInvitation(ada, 'org_acme', membership.id)).rejects.toMatchObject({ code: 'not_pending', status: 409 });
  });

  it('when the invitation is still pending at Scalekit → Scalekit’s refusal, not "already joined"', async () => {
    const email = freshEmail('pending');
    const { membership } = await inviteMember(ada, 'org_acme', { email });
    await prisma.membership.update({ where: { id: membership.id }, data: { lastSentAt: new Date(Date.now() - 120_000) } });
    await bed.fault({ target: 'ResendInvite', grpcCode: 'FAILED_PRECONDITION' });
    await expect(resendInvitation(ada, 'org_acme', membership.id)).rejects.toMatchObject({ code: 'scalekit_bad_request' });
  });
});
