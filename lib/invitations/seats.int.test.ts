import { describe, expect, it } from 'vitest';
import { emailsTo } from '@/emulator/src/testing';
import { countSeats } from '@/lib/members/service';
import { previewBulkInvite, runBulkInvite } from './bulk';
import { AppError } from '@/lib/errors/app-error';
import { inviteMember } from './service';
import { freshEmail, olga, OPEN_ORG, scalekitMembersWithEmail, useInvitationTestbed } from './testing';

/**
 * The seat limit under concurrency. Scalekit is told nothing of the limit in these tests (the
 * open org has none there), so only Teamgate's own count stands between parallel requests and
 * Organization.maxAllowedUsers: it must count and claim under one lock, or parallel invites each
 * see a free seat and all go through. (Real Scalekit enforces its own copy too, but nothing
 * documents that check as atomic, and the mirror's limit is the one the team page promises.)
 */

const bed = await useInvitationTestbed();
const { prisma } = bed.db;

const SEAT_MESSAGE = /^Open Co has used all \d+ seats\. Raise the seat limit in Settings or remove someone first\.$/;

/** Leave exactly `free` seats in the open org's mirror. */
async function leaveFreeSeats(free: number): Promise<number> {
  const { used } = await countSeats(OPEN_ORG);
  await prisma.organization.update({ where: { id: OPEN_ORG }, data: { maxAllowedUsers: used + free } });
  return used + free;
}

async function inScalekit(emails: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const email of emails) if ((await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).length) found.push(email);
  return found;
}

describe('seat limit under concurrency', () => {
  it('seatLimit_parallelInvites: 30 parallel invites with 10 free seats → exactly 10 invited, 20 refused with the seat message, Scalekit holds 10', async () => {
    const limit = await leaveFreeSeats(10);
    const emails = Array.from({ length: 30 }, () => freshEmail('seat'));
    const results = await Promise.allSettled(emails.map((email) => inviteMember(olga, OPEN_ORG, { email })));

    const invited = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'invited');
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(invited).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const error of refused) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'seat_limit_reached', status: 409 });
      expect((error as Error).message).toMatch(SEAT_MESSAGE);
    }
    expect((await countSeats(OPEN_ORG)).used).toBe(limit);
    expect(await inScalekit(emails)).toHaveLength(10);
    let mails = 0;
    for (const email of emails) mails += (await emailsTo(bed.emulator, email)).length;
    expect(mails).toBe(10);
    expect(await prisma.membership.count({ where: { organizationId: OPEN_ORG, email: { in: emails } } })).toBe(10);
  }, 60_000);

  it('seatLimit_bulkBesideSingles: a bulk run and 15 single invites at the same moment fill the 8 free seats and not one more', async () => {
    await prisma.organization.update({ where: { id: OPEN_ORG }, data: { maxAllowedUsers: null } });
    const bulkEmails = Array.from({ length: 15 }, () => freshEmail('bulk-seat'));
    const { job } = await previewBulkInvite(olga, OPEN_ORG, { text: ['email', ...bulkEmails].join('\n') });
    expect(await prisma.bulkInviteRow.count({ where: { jobId: job.id, status: 'PENDING' } })).toBe(15);

    const limit = await leaveFreeSeats(8);
    const singles = Array.from({ length: 15 }, () => freshEmail('single-seat'));
    const [bulk, ...single] = await Promise.allSettled([
      runBulkInvite(olga, OPEN_ORG, job.id, { concurrency: 4 }),
      ...singles.map((email) => inviteMember(olga, OPEN_ORG, { email })),
    ]);
    expect(bulk.status).toBe('fulfilled');
    const run = (bulk as PromiseFulfilledResult<Awaited<ReturnType<typeof runBulkInvite>>>).value;
    const singleInvited = single.filter((r) => r.status === 'fulfilled').length;
    expect(singleInvited + run.counts.invited).toBe(8);
    for (const r of single) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'seat_limit_reached' });
    const over = await prisma.bulkInviteRow.findMany({ where: { jobId: job.id, status: { not: 'INVITED' } } });
    expect(over).toHaveLength(15 - run.counts.invited);
    for (const row of over) expect(row).toMatchObject({ status: 'SKIPPED', reason: expect.stringMatching(/^Over the seat limit/) });
    expect((await countSeats(OPEN_ORG)).used).toBe(limit);
    expect(await inScalekit([...bulkEmails, ...singles])).toHaveLength(8);
  }, 60_000);

  it('an invite that Scalekit refuses gives its seat back', async () => {
    await leaveFreeSeats(1);
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'INVALID_ARGUMENT', count: 1 });
    await expect(inviteMember(olga, OPEN_ORG, { email: freshEmail('refused') })).rejects.toBeTruthy();
    await bed.clearFaults();
    expect((await inviteMember(olga, OPEN_ORG, { email: freshEmail('after') })).outcome).toBe('invited');
    await expect(inviteMember(olga, OPEN_ORG, { email: freshEmail('full') })).rejects.toMatchObject({ code: 'seat_limit_reached' });
  });

  it('an address already invited is reported as such even when the organization is full', async () => {
    const email = freshEmail('known');
    await prisma.organization.update({ where: { id: OPEN_ORG }, data: { maxAllowedUsers: null } });
    await inviteMember(olga, OPEN_ORG, { email });
    await leaveFreeSeats(0);
    expect((await inviteMember(olga, OPEN_ORG, { email })).outcome).toBe('already_invited');
  });
});
