import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/actor';
import { createApiKey } from '@/lib/api-keys/service';
import { POST } from '@/app/api/invitations/route';
import { previewBulkInvite, runBulkInvite } from './bulk';
import { inviteMember } from './service';
import { freshEmail, olga, OPEN_ORG, scalekitMembersWithEmail, refusal, useInvitationTestbed } from './testing';

// Small budgets so each limit is reached in a few calls; read by lib/env.ts on first use.
process.env.RATE_LIMIT_INVITES_PER_ADMIN_PER_HOUR = '3';
process.env.RATE_LIMIT_INVITES_PER_ORG_PER_HOUR = '5';

const bed = await useInvitationTestbed();
const { prisma } = bed.db;

function keyActor(id: string): Actor {
  return { kind: 'api_key', apiKeyId: id, label: id, organizationId: OPEN_ORG, scopes: ['invitations:write'] };
}

describe('invitation rate limits (per sender and per organization, shared by form, API and bulk)', () => {
  it('rateLimit_invitesPerAdmin: the 4th invite of an admin in an hour is refused with 429, a wait time, and nothing sent', async () => {
    for (let i = 0; i < 3; i++) expect((await inviteMember(olga, OPEN_ORG, { email: freshEmail('rl') })).outcome).toBe('invited');
    const blocked = freshEmail('rl-blocked');
    const error = await refusal(inviteMember(olga, OPEN_ORG, { email: blocked }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(error.message).toMatch(/You have sent 3 invitations this hour.*Nothing more was sent; try again in \d+ minutes/);
    expect(error.retryAfter).toBeGreaterThan(3000);
    expect(await prisma.membership.count({ where: { email: blocked } })).toBe(0);
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, blocked)).toHaveLength(0);
  });

  it('bulk draws on the same budget: rows beyond it stay PENDING (not sent) and the run says why', async () => {
    const other = keyActor('key_bulk');
    const emails = Array.from({ length: 5 }, () => freshEmail('rl-bulk'));
    const { job } = await previewBulkInvite(other, OPEN_ORG, { text: ['email', ...emails].join('\n') });
    const run = await runBulkInvite(other, OPEN_ORG, job.id);
    // The org has 2 of its 5 left (this sender 3 of its own): 2 go out, 3 wait.
    expect(run.counts).toMatchObject({ invited: 2, pending: 3, failed: 0 });
    expect(run.stoppedBy).toMatchObject({ code: 'rate_limited' });
    expect(run.stoppedBy!.message).toMatch(/Open Co has sent its 5 invitations for this hour/);
    expect(run.done).toBe(false);
    const pending = (await prisma.bulkInviteRow.findMany({ where: { jobId: job.id, status: 'PENDING' } })).map((r) => r.email);
    for (const email of pending) expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(0);
  });

  it('rateLimit_invitesPerOrg: the API answers 429 with Retry-After and a JSON message once the organization is out of budget', async () => {
    const { secret } = await createApiKey(olga, OPEN_ORG, 'rate limit test');
    const email = freshEmail('rl-api');
    const res = await POST(
      new Request('http://localhost:3000/api/invitations', {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      }),
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3000);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/Open Co has sent its 5 invitations for this hour/);
    expect(await prisma.membership.count({ where: { email } })).toBe(0);
  });

  it('a refused invite does not use up budget: after the window resets, sending works again', async () => {
    await prisma.rateLimitBucket.updateMany({ where: { key: { startsWith: 'invite:' } }, data: { resetAt: new Date(Date.now() - 1000) } });
    expect((await inviteMember(olga, OPEN_ORG, { email: freshEmail('rl-after') })).outcome).toBe('invited');
  });
});
