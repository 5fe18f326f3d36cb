import { describe, expect, it } from 'vitest';
import { emailsTo } from '@/emulator/src/testing';
import { ScalekitCallError } from '@/lib/scalekit/errors';
import { inviteSent as inviteMember } from './testing';
import { freshEmail, olga, OPEN_ORG, scalekitMembersWithEmail, useInvitationTestbed } from './testing';

// A short SDK deadline so "delay beyond the timeout" costs under a second.
const bed = await useInvitationTestbed({ timeoutMs: 400 });
const { prisma } = bed.db;

const rows = (email: string) => prisma.membership.findMany({ where: { organizationId: OPEN_ORG, email } });

describe('inviteMember when Scalekit fails', () => {
  it('RESOURCE_EXHAUSTED: a clear retryable 429, no row left, and a retry invites once', async () => {
    const email = freshEmail('throttled');
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'RESOURCE_EXHAUSTED' });
    const error = await inviteMember(olga, OPEN_ORG, { email }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScalekitCallError);
    expect(error).toMatchObject({ status: 429, code: 'scalekit_rate_limited', retryable: true });
    expect((error as Error).message).toMatch(/rate-limiting/);
    expect(await rows(email)).toHaveLength(0);
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(0);

    expect((await inviteMember(olga, OPEN_ORG, { email })).outcome).toBe('invited');
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(1);
  });

  it('UNAVAILABLE beyond the SDK’s retries: a clear 503, no row left, and a retry invites once', async () => {
    const email = freshEmail('down');
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'UNAVAILABLE', count: 4 });
    await expect(inviteMember(olga, OPEN_ORG, { email })).rejects.toMatchObject({
      status: 503,
      code: 'scalekit_unavailable',
      retryable: true,
    });
    expect(await rows(email)).toHaveLength(0);
    expect((await inviteMember(olga, OPEN_ORG, { email })).outcome).toBe('invited');
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(1);
  }, 20_000);

  it('a delay beyond the timeout: a 504, the row marked FAILED, and a retry invites once', async () => {
    const email = freshEmail('slow');
    await bed.fault({ target: 'CreateUserAndMembership', delayMs: 900 });
    await expect(inviteMember(olga, OPEN_ORG, { email, role: 'admin' })).rejects.toMatchObject({
      status: 504,
      code: 'scalekit_timeout',
      retryable: true,
    });
    const [failed] = await rows(email);
    expect(failed).toMatchObject({ syncState: 'FAILED', userId: null });
    expect(failed!.syncError).toMatch(/did not answer in time/);
    // The emulator drops a call whose client gave up, as Scalekit usually would.
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(0);

    const retry = await inviteMember(olga, OPEN_ORG, { email, role: 'admin' });
    expect(retry.outcome).toBe('invited');
    expect(retry.membership).toMatchObject({ id: failed!.id, syncState: 'SYNCED', role: 'admin', status: 'PENDING_INVITE' });
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(1);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(1);
  });

  it('a timed-out call that did reach Scalekit is adopted by the retry, not duplicated', async () => {
    const email = freshEmail('lateack');
    await bed.fault({ target: 'CreateUserAndMembership', delayMs: 900 });
    await expect(inviteMember(olga, OPEN_ORG, { email, role: 'admin' })).rejects.toMatchObject({ status: 504 });
    // What a slow Scalekit that finished the call after our deadline leaves behind.
    await bed.scalekit.user.createUserAndMembership(OPEN_ORG, { email, sendInvitationEmail: true });

    const retry = await inviteMember(olga, OPEN_ORG, { email, role: 'admin' });
    expect(retry.outcome).toBe('invited');
    expect(retry.membership).toMatchObject({ syncState: 'SYNCED', role: 'admin', status: 'PENDING_INVITE' });
    const inScalekit = await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email);
    expect(inScalekit).toHaveLength(1);
    expect(inScalekit[0]!.memberships.find((m) => m.organizationId === OPEN_ORG)!.roles.map((r) => r.name)).toEqual(['admin']);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(1);
    expect(await rows(email)).toHaveLength(1);
    expect(await prisma.auditEvent.count({ where: { organizationId: OPEN_ORG, action: 'invitation.created', targetLabel: email } })).toBe(
      1,
    );
  });

  it('a failure while setting the role leaves a truthful FAILED row that a retry completes', async () => {
    const email = freshEmail('rolefail');
    await bed.fault({ target: 'UpdateMembership', grpcCode: 'RESOURCE_EXHAUSTED' });
    await expect(inviteMember(olga, OPEN_ORG, { email, role: 'admin' })).rejects.toMatchObject({ status: 429 });
    const [failed] = await rows(email);
    expect(failed).toMatchObject({ syncState: 'FAILED' });
    expect(failed!.userId).toMatch(/^usr_/);
    expect(failed!.syncError).toMatch(/invitation was sent, but setting the role/);

    const retry = await inviteMember(olga, OPEN_ORG, { email, role: 'admin' });
    expect(retry).toMatchObject({ outcome: 'invited', membership: { id: failed!.id, role: 'admin', syncState: 'SYNCED' } });
    const inScalekit = await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email);
    expect(inScalekit).toHaveLength(1);
    expect(inScalekit[0]!.memberships[0]!.roles.map((r) => r.name)).toEqual(['admin']);
  });

  it('concurrent invites during a rate-limit fault: errors or one invitation, never two', async () => {
    const email = freshEmail('stampede');
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'RESOURCE_EXHAUSTED' });
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => inviteMember(olga, OPEN_ORG, { email })));
    const failures = settled.filter((s) => s.status === 'rejected');
    for (const f of failures) expect((f as PromiseRejectedResult).reason).toBeInstanceOf(ScalekitCallError);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect((await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).length).toBeLessThanOrEqual(1);
    expect((await rows(email)).length).toBeLessThanOrEqual(1);
    const final = await inviteMember(olga, OPEN_ORG, { email });
    expect(['invited', 'already_invited']).toContain(final.outcome);
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(1);
    expect(await rows(email)).toHaveLength(1);
  });
});
