import { describe, expect, it } from 'vitest';
import { emailsTo } from '@/emulator/src/testing';
import type { Actor } from '@/lib/auth/actor';
import { createApiKey } from '@/lib/api-keys/service';
import { POST as RESEND } from '@/app/api/invitations/[id]/resend/route';
import { AppError } from '@/lib/errors/app-error';
import { resendInvitation } from './service';
import { inviteSent as inviteMember } from './testing';
import { freshEmail, olga, OPEN_ORG, refusal, useInvitationTestbed, userActor } from './testing';

// A small per-sender budget, so "the (N+1)th action of any kind" is a few calls away; the org's
// budget stays out of the way except where a test uses it up on purpose.
process.env.RATE_LIMIT_INVITES_PER_ADMIN_PER_HOUR = '4';
process.env.RATE_LIMIT_INVITES_PER_ORG_PER_HOUR = '1000';

const bed = await useInvitationTestbed();
const { prisma } = bed.db;

const COOLDOWN = /^This invitation was sent less than a minute ago\. You can resend it in (\d+) seconds?\.$/;

let senders = 0;
/** An admin of the open org with a budget of its own (the budget is per sender). */
function freshAdmin(): Actor {
  const n = senders++;
  return userActor(OPEN_ORG, 'admin', { userId: `usr_resender${n}`, email: `resender${n}@open.test` });
}

/** Pretend the last email went out `seconds` ago: the cooldown is measured from Membership.lastSentAt. */
async function sentAgo(membershipId: string, seconds: number): Promise<void> {
  await prisma.membership.update({ where: { id: membershipId }, data: { lastSentAt: new Date(Date.now() - seconds * 1000) } });
}

/** A fresh admin's invitation whose email went out two minutes ago, so a resend is allowed straight away. */
async function invitedOutsideCooldown(prefix: string) {
  const admin = freshAdmin();
  const email = freshEmail(prefix);
  const { membership } = await inviteMember(admin, OPEN_ORG, { email });
  await sentAgo(membership.id, 120);
  return { admin, email, membership };
}

describe('resend cooldown (one resend per invitation per minute)', () => {
  it('resendCooldown: a second resend within a minute is refused with 429 and the wait in seconds, and nothing reaches Scalekit', async () => {
    const admin = freshAdmin();
    const email = freshEmail('cool');
    const { membership } = await inviteMember(admin, OPEN_ORG, { email });
    expect(await emailsTo(bed.emulator, email)).toHaveLength(1);

    // Straight after the invitation itself: that email was sent less than a minute ago.
    const early = await refusal(resendInvitation(admin, OPEN_ORG, membership.id));
    expect(early).toMatchObject({ code: 'resend_too_soon', status: 429 });
    expect(early.message).toMatch(COOLDOWN);

    await sentAgo(membership.id, 61);
    const resent = await resendInvitation(admin, OPEN_ORG, membership.id);
    expect(resent.resentCount).toBe(1);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(2);

    await sentAgo(membership.id, 18);
    const again = await refusal(resendInvitation(admin, OPEN_ORG, membership.id));
    expect(again).toMatchObject({ code: 'resend_too_soon', status: 429 });
    const seconds = Number(COOLDOWN.exec(again.message)![1]);
    expect(seconds).toBeGreaterThanOrEqual(40);
    expect(seconds).toBeLessThanOrEqual(43);
    expect(again.retryAfter).toBe(seconds);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(2);
    const row = await prisma.membership.findUniqueOrThrow({ where: { id: membership.id } });
    expect(row.resentCount).toBe(1);
    expect(await prisma.auditEvent.count({ where: { targetId: membership.id, action: 'invitation.resent' } })).toBe(1);
  });

  it('resendCooldown_concurrent: 8 resends of one invitation at the same moment send exactly one email', async () => {
    const { admin, email, membership } = await invitedOutsideCooldown('burst');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => resendInvitation(admin, OPEN_ORG, membership.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as AppError);
    expect(refused).toHaveLength(7);
    for (const error of refused) {
      expect(error).toMatchObject({ code: 'resend_too_soon', status: 429 });
      expect(error.message).toMatch(COOLDOWN);
    }
    expect(await emailsTo(bed.emulator, email)).toHaveLength(2);
    expect(await prisma.auditEvent.count({ where: { targetId: membership.id, action: 'invitation.resent' } })).toBe(1);
  });

  it('a resend that Scalekit refuses before acting gives the cooldown back', async () => {
    const { admin, email, membership } = await invitedOutsideCooldown('unavailable');
    await bed.fault({ target: 'ResendInvite', grpcCode: 'RESOURCE_EXHAUSTED', count: 1 });
    await expect(resendInvitation(admin, OPEN_ORG, membership.id)).rejects.toMatchObject({ code: 'scalekit_rate_limited' });
    // Nothing was sent, so the admin may try again at once.
    expect((await resendInvitation(admin, OPEN_ORG, membership.id)).resentCount).toBe(1);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(2);
  });
});

describe('resends are charged to the invitation budgets', () => {
  it('rateLimit_resendsCount: with a budget of 4, invites and resends together use it up and the 5th action of either kind is refused, sending nothing', async () => {
    const admin = freshAdmin();
    const a = freshEmail('budget-a');
    const b = freshEmail('budget-b');
    const first = await inviteMember(admin, OPEN_ORG, { email: a });
    const second = await inviteMember(admin, OPEN_ORG, { email: b });
    await sentAgo(first.membership.id, 120);
    await sentAgo(second.membership.id, 120);
    await resendInvitation(admin, OPEN_ORG, first.membership.id);
    await resendInvitation(admin, OPEN_ORG, second.membership.id);

    // Four actions so far: a fifth invitation is refused…
    const c = freshEmail('budget-c');
    const invite = await refusal(inviteMember(admin, OPEN_ORG, { email: c }));
    expect(invite).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(invite.message).toMatch(/You have sent 4 invitations this hour/);
    expect(await prisma.membership.count({ where: { email: c } })).toBe(0);

    // …and so is a fifth resend, even past its cooldown; Scalekit sends nothing.
    await sentAgo(first.membership.id, 120);
    const resend = await refusal(resendInvitation(admin, OPEN_ORG, first.membership.id));
    expect(resend).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(resend.retryAfter).toBeGreaterThan(3000);
    expect(await emailsTo(bed.emulator, a)).toHaveLength(2);
    expect((await prisma.membership.findUniqueOrThrow({ where: { id: first.membership.id } })).resentCount).toBe(1);

    // The budget refusal did not use up the invitation's cooldown: once the window resets, it goes.
    await prisma.rateLimitBucket.updateMany({
      where: { key: `invite:actor:user:${admin.kind === 'user' ? admin.userId : ''}` },
      data: { resetAt: new Date(Date.now() - 1000) },
    });
    expect((await resendInvitation(admin, OPEN_ORG, first.membership.id)).resentCount).toBe(2);
    expect(await emailsTo(bed.emulator, a)).toHaveLength(3);
  });

  it('a resend refused by its cooldown costs no budget', async () => {
    const admin = freshAdmin();
    const { membership } = await inviteMember(admin, OPEN_ORG, { email: freshEmail('free') });
    for (let i = 0; i < 5; i++) await refusal(resendInvitation(admin, OPEN_ORG, membership.id));
    // 1 of 4 used: three more invitations go out.
    for (let i = 0; i < 3; i++) expect((await inviteMember(admin, OPEN_ORG, { email: freshEmail('free') })).outcome).toBe('invited');
  });
});

describe('POST /api/invitations/:id/resend', () => {
  it('resendCooldown_api: answers 429 with Retry-After and the sentence, and Scalekit sends nothing', async () => {
    const { secret } = await createApiKey(olga, OPEN_ORG, 'Resend bot');
    const email = freshEmail('api');
    const { membership } = await inviteMember(freshAdmin(), OPEN_ORG, { email });
    const call = () =>
      RESEND(
        new Request(`http://localhost:3000/api/invitations/${membership.id}/resend`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}` },
        }),
        {
          params: Promise.resolve({ id: membership.id }),
        },
      );

    await sentAgo(membership.id, 90);
    expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(58);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('resend_too_soon');
    expect(body.error.message).toMatch(COOLDOWN);
    expect(body.error.message).toContain(`resend it in ${retryAfter} seconds`);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(2);
  });

  it('an API key’s resends draw on its own budget and its organization’s', async () => {
    const { apiKey, secret } = await createApiKey(olga, OPEN_ORG, 'Budget bot');
    const rows = [];
    for (let i = 0; i < 5; i++) rows.push((await inviteMember(freshAdmin(), OPEN_ORG, { email: freshEmail('keyed') })).membership);
    for (const row of rows) await sentAgo(row.id, 120);
    const statuses: number[] = [];
    for (const row of rows) {
      const res = await RESEND(
        new Request(`http://localhost:3000/api/invitations/${row.id}/resend`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}` },
        }),
        {
          params: Promise.resolve({ id: row.id }),
        },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(await prisma.rateLimitBucket.findUnique({ where: { key: `invite:actor:key:${apiKey.id}` } })).toMatchObject({ count: 4 });
    expect(await emailsTo(bed.emulator, rows[4]!.email)).toHaveLength(1);
  });
});
