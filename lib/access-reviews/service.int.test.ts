import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { GET as evidenceRoute } from '@/app/api/orgs/[orgId]/access-reviews/[reviewId]/evidence.csv/route';
import { API_KEY_SCOPES } from '@/lib/auth/permissions';
import type { Actor } from '@/lib/auth/actor';
import { AppError, ForbiddenError } from '@/lib/errors/app-error';
import { changeRole } from '@/lib/members/service';
import { injectFault, scalekitMembers, useTeamTestStack, userActor } from '@/lib/members/testing';
import { signedInSession } from '@/lib/session/testing';
import { accessReviewEvidenceCsv, EVIDENCE_CSV_HEADER } from './evidence';
import {
  decideAccessReviewItem,
  finishAccessReview,
  getAccessReview,
  listAccessReviews,
  startAccessReview,
  type ReviewWithItems,
} from './service';

/**
 * Access reviews against a real PostgreSQL and the real SDK talking to the emulator: who may run
 * them, one open review per organization, the frozen snapshot, and Finish applying decisions
 * through the member services (last-admin refusal per row, retries that never apply twice).
 */

const EXTRA = ['pat', 'sam', 'lee', 'kai', 'noa', 'ivy'];
const stack = await useTeamTestStack({
  extendSeed: (seed) => {
    for (const name of EXTRA) {
      seed.users.push({
        id: `usr_${name}`,
        email: `${name}@acme.test`,
        firstName: name,
        memberships: [{ organizationId: 'org_acme', roles: ['member'], status: 'ACTIVE' }],
      });
    }
  },
});
const { prisma } = stack.db;
const { acmeAdmin: ada, acmeMember: max, globexAdmin: gina } = stack;

afterEach(async () => {
  await prisma.accessReview.deleteMany({});
});

const keyActor: Actor = {
  kind: 'api_key',
  apiKeyId: 'key_review',
  label: 'review key',
  organizationId: 'org_acme',
  scopes: API_KEY_SCOPES,
};

function item(review: ReviewWithItems, email: string) {
  const found = review.items.find((i) => i.email === email);
  if (!found) throw new Error(`${email} is not in the review`);
  return found;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function decideAll(
  review: ReviewWithItems,
  decisions: Record<string, { decision: 'KEEP' | 'CHANGE_ROLE' | 'REMOVE'; role?: string }>,
) {
  for (const i of review.items) {
    await decideAccessReviewItem(ada, 'org_acme', review.id, i.id, decisions[i.email] ?? { decision: 'KEEP' });
  }
}

async function readAll(lines: AsyncIterator<string>): Promise<string> {
  let out = '';
  for (let next = await lines.next(); !next.done; next = await lines.next()) out += next.value;
  return out;
}

const auditCount = (action: string) => prisma.auditEvent.count({ where: { organizationId: 'org_acme', action } });

describe('authorization', () => {
  it('accessReview_forbidden: every action answers 403 to a member, an admin of another organization and an API key, and changes nothing', async () => {
    const review = await startAccessReview(ada, 'org_acme');
    const target = item(review, 'max@acme.test');
    const audits = await prisma.auditEvent.count();
    const actions: Record<string, (actor: Actor) => Promise<unknown>> = {
      start: (a) => startAccessReview(a, 'org_acme'),
      list: (a) => listAccessReviews(a, 'org_acme'),
      view: (a) => getAccessReview(a, 'org_acme', review.id),
      decide: (a) => decideAccessReviewItem(a, 'org_acme', review.id, target.id, { decision: 'REMOVE' }),
      finish: (a) => finishAccessReview(a, 'org_acme', review.id),
      evidence: (a) => accessReviewEvidenceCsv(a, 'org_acme', review.id),
    };
    for (const [name, action] of Object.entries(actions)) {
      for (const actor of [max, gina, keyActor]) {
        const error = await rejection(action(actor));
        expect(error, `${name} as ${actor.kind === 'user' ? actor.email : actor.label}`).toBeInstanceOf(ForbiddenError);
        expect(error.status).toBe(403);
      }
    }
    expect(await prisma.accessReview.count()).toBe(1);
    expect((await prisma.accessReviewItem.findUniqueOrThrow({ where: { id: target.id } })).decision).toBeNull();
    expect(await prisma.auditEvent.count()).toBe(audits);

    // The evidence route: 403 for a member, 401 signed out, 404 for another organization's review id.
    const asMax = (await signedInSession('usr_max', 'org_acme')).cookie;
    const call = (cookie: string | null, orgId = 'org_acme', reviewId = review.id) =>
      evidenceRoute(
        new Request(`http://localhost/api/orgs/${orgId}/access-reviews/${reviewId}/evidence.csv`, { headers: cookie ? { cookie } : {} }),
        {
          params: Promise.resolve({ orgId, reviewId }),
        },
      );
    expect((await call(asMax)).status).toBe(403);
    expect((await call(null)).status).toBe(401);
    const asGina = (await signedInSession('usr_gina', 'org_globex')).cookie;
    const foreign = await call(asGina, 'org_globex');
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('review_not_found');
  });
});

describe('starting a review', () => {
  it('accessReview_oneOpen: one review in progress per organization, also when two admins start at once; another once it is finished', async () => {
    const startedBefore = await auditCount('access_review.started');
    const secondAdmin = userActor('usr_riley', 'riley@consultant.test', 'org_acme', 'admin');
    const results = await Promise.allSettled([startAccessReview(ada, 'org_acme'), startAccessReview(secondAdmin, 'org_acme')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'review_in_progress', status: 409 });
    expect(await prisma.accessReview.count({ where: { organizationId: 'org_acme' } })).toBe(1);
    expect(await auditCount('access_review.started')).toBe(startedBefore + 1);

    const open = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<ReviewWithItems>).value;
    expect(await rejection(startAccessReview(ada, 'org_acme'))).toMatchObject({ code: 'review_in_progress' });
    // Another organization is not affected.
    await expect(startAccessReview(gina, 'org_globex')).resolves.toMatchObject({ organizationId: 'org_globex' });

    await decideAll(open, {});
    await finishAccessReview(ada, 'org_acme', open.id);
    const next = await startAccessReview(ada, 'org_acme');
    expect(next.id).not.toBe(open.id);
    expect((await listAccessReviews(ada, 'org_acme')).map((r) => r.status)).toEqual(['IN_PROGRESS', 'FINISHED']);
  });

  it('accessReview_snapshot: each member as they stood at the start (role, sign-in, sessions, API keys), frozen after', async () => {
    const loginAt = new Date('2026-11-01T09:00:00.000Z');
    await prisma.membership.updateMany({
      where: { organizationId: 'org_acme', userId: 'usr_sam' },
      data: { lastSignInAt: loginAt, lastSignInMethod: 'social:github' },
    });
    await signedInSession('usr_sam', 'org_acme');
    await signedInSession('usr_sam', 'org_globex');
    await prisma.apiKey.create({
      data: {
        organizationId: 'org_acme',
        name: 'CI deploys',
        prefix: 'tg_live_ab',
        hash: `hash-${Date.now()}`,
        createdByUserId: 'usr_sam',
      },
    });

    const review = await startAccessReview(ada, 'org_acme');
    // Members only: the pending invitation of new.hire is not access (it is revoked, not reviewed).
    expect(review.items.map((i) => i.email)).not.toContain('new.hire@acme.test');
    expect(review.items.map((i) => i.email)).toEqual(expect.arrayContaining(['ada@acme.test', 'max@acme.test', 'sam@acme.test']));
    expect(item(review, 'sam@acme.test')).toMatchObject({
      role: 'member',
      status: 'ACTIVE',
      lastSignInAt: loginAt,
      signInMethod: 'social:github',
      openSessions: 2,
      apiKeys: ['CI deploys (tg_live_ab…)'],
    });
    expect(item(review, 'kai@acme.test')).toMatchObject({ openSessions: 0, apiKeys: [], lastSignInAt: null, signInMethod: null });

    // Changes after the start do not alter what was reviewed.
    const sam = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', email: 'sam@acme.test' } });
    await changeRole(ada, 'org_acme', sam.id, 'admin');
    await prisma.membership.update({ where: { id: sam.id }, data: { lastSignInAt: new Date(), lastSignInMethod: 'otp' } });
    await prisma.session.updateMany({ where: { userId: 'usr_sam' }, data: { revokedAt: new Date() } });
    const again = await getAccessReview(ada, 'org_acme', review.id);
    expect(item(again, 'sam@acme.test')).toMatchObject({
      role: 'member',
      lastSignInAt: loginAt,
      signInMethod: 'social:github',
      openSessions: 2,
    });
    await changeRole(ada, 'org_acme', sam.id, 'member');
  });
});

describe('deciding', () => {
  it('accessReview_decisions: saved as they are made and read back; bad decisions are refused with the field to fix and nothing saved', async () => {
    const review = await startAccessReview(ada, 'org_acme');
    const maxItem = item(review, 'max@acme.test');
    await decideAccessReviewItem(ada, 'org_acme', review.id, maxItem.id, {
      decision: 'CHANGE_ROLE',
      role: 'admin',
      note: '  Runs on-call  ',
    });
    expect(item(await getAccessReview(ada, 'org_acme', review.id), 'max@acme.test')).toMatchObject({
      decision: 'CHANGE_ROLE',
      newRole: 'admin',
      note: 'Runs on-call',
      decidedByEmail: 'ada@acme.test',
    });

    const refusals = await Promise.all([
      rejection(decideAccessReviewItem(ada, 'org_acme', review.id, maxItem.id, { decision: 'CHANGE_ROLE', role: 'no_such_role' })),
      rejection(decideAccessReviewItem(ada, 'org_acme', review.id, maxItem.id, { decision: 'CHANGE_ROLE' })),
      rejection(decideAccessReviewItem(ada, 'org_acme', review.id, maxItem.id, { decision: 'CHANGE_ROLE', role: 'member' })),
      rejection(decideAccessReviewItem(ada, 'org_acme', review.id, maxItem.id, { decision: 'REMOVE', note: 'x'.repeat(501) })),
      rejection(decideAccessReviewItem(ada, 'org_acme', review.id, maxItem.id, { decision: 'DELETE' as 'REMOVE' })),
      rejection(decideAccessReviewItem(ada, 'org_acme', review.id, 'item_of_someone_else', { decision: 'KEEP' })),
    ]);
    expect(refusals.map((e) => [e.code, e.status, e.field])).toEqual([
      ['unknown_role', 400, 'role'],
      ['invalid_input', 400, 'role'],
      ['invalid_input', 400, 'role'],
      ['invalid_input', 400, 'note'],
      ['invalid_input', 400, 'decision'],
      ['not_found', 404, undefined],
    ]);
    expect(item(await getAccessReview(ada, 'org_acme', review.id), 'max@acme.test')).toMatchObject({
      decision: 'CHANGE_ROLE',
      newRole: 'admin',
    });

    expect(await rejection(finishAccessReview(ada, 'org_acme', review.id))).toMatchObject({ code: 'review_incomplete', status: 409 });
    expect((await getAccessReview(ada, 'org_acme', review.id)).status).toBe('IN_PROGRESS');
  });
});

describe('finishing', () => {
  it('accessReview_lastAdmin: demoting the last admin is refused on its row with the reason; the other rows still apply', async () => {
    const review = await startAccessReview(ada, 'org_acme');
    await decideAll(review, {
      'ada@acme.test': { decision: 'CHANGE_ROLE', role: 'member' },
      'pat@acme.test': { decision: 'REMOVE' },
    });
    const result = await finishAccessReview(ada, 'org_acme', review.id);
    expect(result.review.status).toBe('FINISHED');
    expect(item(result.review, 'ada@acme.test')).toMatchObject({ outcome: 'FAILED', retryable: false });
    expect(item(result.review, 'ada@acme.test').outcomeMessage).toMatch(/last admin/);
    expect(item(result.review, 'pat@acme.test')).toMatchObject({ outcome: 'APPLIED' });
    expect(item(result.review, 'max@acme.test')).toMatchObject({ outcome: 'UNCHANGED', outcomeMessage: 'Kept as is.' });
    expect(result).toMatchObject({ applied: 1, failed: 1, retrying: 0 });

    const ada_ = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', email: 'ada@acme.test' } });
    expect(ada_.role).toBe('admin');
    const scalekit = await scalekitMembers(stack.emulator, 'org_acme');
    expect(scalekit['ada@acme.test']!.roles).toEqual(['admin']);
    expect(scalekit['pat@acme.test']).toBeUndefined();

    const finished = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'access_review.finished', targetId: review.id } });
    expect(finished.metadata).toMatchObject({ applied: 1, failed: 1 });
    expect(await prisma.auditEvent.count({ where: { action: 'access_review.change_applied', targetLabel: 'pat@acme.test' } })).toBe(1);

    // The evidence says the same, row by row.
    const csv = await readAll(await accessReviewEvidenceCsv(ada, 'org_acme', review.id));
    expect(csv.split('\r\n')[0]).toBe(EVIDENCE_CSV_HEADER.map((h) => `"${h}"`).join(','));
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(rows.find((r) => r.email === 'ada@acme.test')).toMatchObject({
      organization: 'Acme',
      started_by: 'ada@acme.test',
      finished_by: 'ada@acme.test',
      review_status: 'Finished',
      role_at_review: 'Admin',
      decision: 'Change role',
      new_role: 'Member',
      result: 'Failed',
    });
    expect(rows.find((r) => r.email === 'pat@acme.test')).toMatchObject({ decision: 'Remove', result: 'Applied' });
  });

  it('accessReview_idempotentFinish: Finish again, or twice at once, applies nothing twice; a row Scalekit refused for now is retried by the next Finish', async () => {
    const review = await startAccessReview(ada, 'org_acme');
    await decideAll(review, { 'sam@acme.test': { decision: 'REMOVE' }, 'lee@acme.test': { decision: 'CHANGE_ROLE', role: 'admin' } });
    const removedBefore = await auditCount('member.removed');
    const changedBefore = await auditCount('member.role_changed');

    await injectFault(stack.emulator, { target: 'DeleteMembership', grpcCode: 'UNAVAILABLE', count: 10 });
    const first = await finishAccessReview(ada, 'org_acme', review.id);
    expect(first.review.status).toBe('IN_PROGRESS');
    expect(first.retrying).toBe(1);
    expect(item(first.review, 'sam@acme.test')).toMatchObject({ outcome: 'FAILED', retryable: true });
    expect(item(first.review, 'lee@acme.test')).toMatchObject({ outcome: 'APPLIED' });
    expect(await prisma.auditEvent.count({ where: { action: 'access_review.finished', targetId: review.id } })).toBe(0);
    // A row already applied cannot be re-decided.
    expect(
      await rejection(decideAccessReviewItem(ada, 'org_acme', review.id, item(first.review, 'lee@acme.test').id, { decision: 'KEEP' })),
    ).toMatchObject({
      code: 'decision_applied',
    });

    await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    const [a, b] = await Promise.allSettled([
      finishAccessReview(ada, 'org_acme', review.id),
      finishAccessReview(ada, 'org_acme', review.id),
    ]);
    // One ran; the other either found it finished or was told it is being finished. Never both applying.
    for (const r of [a, b]) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'review_busy' });
    const again = await finishAccessReview(ada, 'org_acme', review.id);
    expect(again.review.status).toBe('FINISHED');
    expect(item(again.review, 'sam@acme.test')).toMatchObject({ outcome: 'APPLIED' });
    expect(await finishAccessReview(ada, 'org_acme', review.id)).toMatchObject({ applied: 2, retrying: 0 });

    expect(await auditCount('member.removed')).toBe(removedBefore + 1);
    expect(await auditCount('member.role_changed')).toBe(changedBefore + 1);
    expect(await auditCount('access_review.change_applied')).toBeGreaterThanOrEqual(2);
    expect(await prisma.auditEvent.count({ where: { action: 'access_review.finished', targetId: review.id } })).toBe(1);
    expect((await scalekitMembers(stack.emulator, 'org_acme'))['sam@acme.test']).toBeUndefined();
    // Finished: decisions are closed.
    expect(
      await rejection(decideAccessReviewItem(ada, 'org_acme', review.id, item(again.review, 'max@acme.test').id, { decision: 'REMOVE' })),
    ).toMatchObject({
      code: 'review_finished',
    });
  });
});
