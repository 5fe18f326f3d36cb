import { afterEach, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/invitations/route';
import { createApiKey } from '@/lib/api-keys/service';
import { systemActor } from '@/lib/auth/actor';
import { AppError, ForbiddenError } from '@/lib/errors/app-error';
import { bulkResultsCsv, previewBulkInvite, runBulkInvite } from '@/lib/invitations/bulk';
import { inviteMember } from '@/lib/invitations/service';
import {
  ada,
  freshEmail,
  olga,
  OPEN_ORG,
  refusal,
  scalekitMembersWithEmail,
  useInvitationTestbed,
  userActor,
} from '@/lib/invitations/testing';
import { addInvitationRule, listInvitationRules, moveInvitationRule, removeInvitationRule, setInvitationRuleEnabled } from './service';

const bed = await useInvitationTestbed();
const { prisma } = bed.db;
const APP = 'http://localhost:3000';
const OUTSIDE_SENTENCE = "Invitations to addresses outside open.test need an admin's approval";

const openKey = (await createApiKey(olga, OPEN_ORG, 'HR sync')).secret;
const oscar = userActor(OPEN_ORG, 'member', { userId: 'usr_oscar', email: 'oscar@open.test' });

function apiPost(body: unknown): Request {
  return new Request(`${APP}/api/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${openKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function expectNothingAtScalekit(email: string) {
  expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(0);
  expect(await bed.mirrorRows(OPEN_ORG, email)).toHaveLength(0);
}

afterEach(async () => {
  await prisma.invitationRule.deleteMany({});
});

describe('invitation rules on every invite path', () => {
  it('a rule holds a row for approval on all four paths: form, API, bulk and directory each end as a PENDING request naming the rule, with nothing at Scalekit', async () => {
    const rule = await addInvitationRule(olga, OPEN_ORG, { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: 'open.test' });
    expect(rule.description).toBe(OUTSIDE_SENTENCE);
    const [form, api, bulk, directory] = ['form', 'api', 'bulk', 'directory'].map((p) => freshEmail(p, 'outside.test'));

    // Form (the server action calls inviteMember with source form)
    const byForm = await inviteMember(olga, OPEN_ORG, { email: form!, role: 'member' }, { source: 'form' });
    expect(byForm).toMatchObject({ outcome: 'held', rule: { id: rule.id, description: OUTSIDE_SENTENCE } });

    // API
    const res = await POST(apiPost({ email: api, role: 'member' }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { status: string; request: { id: string }; rule: { id: string; description: string } };
    expect(body).toMatchObject({ status: 'held', rule: { id: rule.id, description: OUTSIDE_SENTENCE } });

    // Bulk: the preview says it will be held, the run holds it (HELD, counted, in the results CSV)
    const inside = freshEmail('inside', 'open.test');
    const preview = await previewBulkInvite(olga, OPEN_ORG, {
      fileName: 'people.csv',
      text: `email,role\n${bulk},member\n${inside},member\n`,
    });
    expect(preview.rows.map((r) => [r.status, r.reason])).toEqual([
      ['PENDING', `Will be held for approval: ${OUTSIDE_SENTENCE}.`],
      ['PENDING', null],
    ]);
    const run = await runBulkInvite(olga, OPEN_ORG, preview.job.id);
    expect(run.counts).toMatchObject({ total: 2, held: 1, invited: 1, pending: 0, failed: 0 });
    const heldRow = await prisma.bulkInviteRow.findFirstOrThrow({ where: { jobId: preview.job.id, email: bulk } });
    expect(heldRow).toMatchObject({ status: 'HELD', reason: `Held for approval: ${OUTSIDE_SENTENCE}.` });
    const { csv } = await bulkResultsCsv(olga, OPEN_ORG, preview.job.id);
    expect(csv).toContain(`"2","${bulk}","","member","held for approval","Held for approval: ${OUTSIDE_SENTENCE}."`);
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, inside)).toHaveLength(1);

    // Directory (SCIM provisioning / invite from directory call inviteMember as the "directory" system actor)
    const byDirectory = await inviteMember(systemActor('directory', OPEN_ORG), OPEN_ORG, { email: directory! }, { source: 'directory' });
    expect(byDirectory).toMatchObject({ outcome: 'held', rule: { id: rule.id } });

    const requests = await prisma.invitationRequest.findMany({ where: { organizationId: OPEN_ORG, ruleId: rule.id } });
    const byEmail = new Map(requests.map((r) => [r.email, r]));
    for (const [email, origin, requestedBy] of [
      [form, 'form', 'olga@open.test'],
      [api, 'api', 'HR sync'],
      [bulk, 'bulk', 'olga@open.test'],
      [directory, 'directory', 'directory'],
    ] as const) {
      expect(byEmail.get(email!)).toMatchObject({
        status: 'PENDING',
        source: 'RULE',
        origin,
        ruleId: rule.id,
        ruleDescription: OUTSIDE_SENTENCE,
        requestedByLabel: requestedBy,
        role: 'member',
      });
      await expectNothingAtScalekit(email!);
    }
    expect(byEmail.get(api!)!.id).toBe(body.request.id);
    expect(byEmail.get(bulk!)!.bulkJobId).toBe(preview.job.id);
    expect(await prisma.auditEvent.count({ where: { organizationId: OPEN_ORG, action: 'request.created' } })).toBeGreaterThanOrEqual(4);

    // Asking again (a retried post) returns the request already waiting, not a second one.
    const again = await inviteMember(olga, OPEN_ORG, { email: form! }, { source: 'form' });
    expect(again.outcome === 'held' && again.request.id).toBe(byEmail.get(form!)!.id);
    expect(await prisma.invitationRequest.count({ where: { email: form! } })).toBe(1);
  });

  it('an API batch reports a held item as held beside the others and counts it; a key asking for admin is refused before any rule holds it', async () => {
    const rule = await addInvitationRule(olga, OPEN_ORG, { kind: 'REQUIRE_APPROVAL_FOR_ROLES', roles: ['admin'] });
    const [held, sent] = [freshEmail('batch-held', 'open.test'), freshEmail('batch-sent', 'open.test')];
    // An API key never gives admin: the whole batch is refused, and no request is queued for it either.
    const refused = await POST(apiPost({ invitations: [{ email: held, role: 'admin' }, { email: sent }] }));
    expect(refused.status).toBe(403);
    expect(await prisma.invitationRequest.count({ where: { email: held } })).toBe(0);

    await removeInvitationRule(olga, OPEN_ORG, rule.id);
    await addInvitationRule(olga, OPEN_ORG, { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: 'open.test' });
    const outside = freshEmail('batch-out', 'outside.test');
    const batch = await POST(apiPost({ invitations: [{ email: outside }, { email: sent }] }));
    expect(batch.status).toBe(200);
    const result = (await batch.json()) as { results: Array<Record<string, unknown>>; summary: Record<string, number> };
    expect(result.results[0]).toMatchObject({
      index: 0,
      ok: true,
      outcome: 'held',
      status: 'held',
      rule: { description: OUTSIDE_SENTENCE },
    });
    expect(result.results[1]).toMatchObject({ index: 1, ok: true, outcome: 'invited' });
    expect(result.summary).toEqual({ invited: 1, already_invited: 0, already_member: 0, held: 1, failed: 0 });
    await expectNothingAtScalekit(outside);
  });

  it('a bulk run applies the rules as they are when it sends: a rule added after the preview holds or refuses its rows', async () => {
    const [toHold, toRefuse, fine] = [
      freshEmail('late-hold', 'outside.test'),
      freshEmail('late-refuse', 'outside.test'),
      freshEmail('late-ok', 'open.test'),
    ];
    const preview = await previewBulkInvite(olga, OPEN_ORG, { text: `email,role\n${toHold},member\n${toRefuse},admin\n${fine},admin\n` });
    expect(preview.rows.map((r) => [r.status, r.reason])).toEqual([
      ['PENDING', null],
      ['PENDING', null],
      ['PENDING', null],
    ]);
    const refuse = await addInvitationRule(olga, OPEN_ORG, { kind: 'EXTERNAL_DOMAINS_ROLE', domains: 'open.test', role: 'member' });
    await addInvitationRule(olga, OPEN_ORG, { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: 'open.test' });
    const run = await runBulkInvite(olga, OPEN_ORG, preview.job.id);
    expect(run.counts).toMatchObject({ total: 3, held: 1, skipped: 1, invited: 1, pending: 0 });
    const rows = await prisma.bulkInviteRow.findMany({ where: { jobId: preview.job.id }, orderBy: { rowNumber: 'asc' } });
    expect(rows.map((r) => r.status)).toEqual(['HELD', 'SKIPPED', 'INVITED']);
    expect(rows[1]!.reason).toContain(`"${refuse.description}"`);
    await expectNothingAtScalekit(toHold);
    await expectNothingAtScalekit(toRefuse);
    expect(await prisma.invitationRequest.count({ where: { email: { in: [toHold, toRefuse] } } })).toBe(1);
  });

  it('an address already invited is reported as such, not held', async () => {
    const email = freshEmail('known', 'outside.test');
    await inviteMember(olga, OPEN_ORG, { email });
    await addInvitationRule(olga, OPEN_ORG, { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: 'open.test' });
    expect(await inviteMember(olga, OPEN_ORG, { email })).toMatchObject({ outcome: 'already_invited' });
    expect(await prisma.invitationRequest.count({ where: { email } })).toBe(0);
  });

  it('the daily limit under 30 parallel invites grants exactly N, refusing the rest with 429 naming the rule', async () => {
    const rule = await addInvitationRule(olga, OPEN_ORG, { kind: 'DAILY_LIMIT_PER_INVITER', limit: '7' });
    const sender = userActor(OPEN_ORG, 'admin', { userId: 'usr_olga', email: 'olga@open.test' });
    const emails = Array.from({ length: 30 }, (_, i) => freshEmail(`daily${i}`, 'open.test'));
    const settled = await Promise.allSettled(emails.map((email) => inviteMember(sender, OPEN_ORG, { email })));
    const invited = settled.filter((s) => s.status === 'fulfilled' && s.value.outcome === 'invited');
    const refused = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as AppError] : []));
    expect(invited).toHaveLength(7);
    expect(refused).toHaveLength(23);
    for (const error of refused) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'rule_limit_reached', status: 429, details: { ruleId: rule.id } });
      expect(error.message).toContain('"Each person can send at most 7 invitations a day"');
      expect(error.retryAfter).toBeGreaterThan(3600);
    }
    const atScalekit = await Promise.all(emails.map((e) => scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, e)));
    expect(atScalekit.filter((m) => m.length === 1)).toHaveLength(7);

    // Another sender has a budget of their own; over the API the refusal is a 429 with the rule id.
    for (let i = 0; i < 7; i++) expect((await POST(apiPost({ email: freshEmail('key', 'open.test') }))).status).toBe(201);
    const over = await POST(apiPost({ email: freshEmail('key-over', 'open.test') }));
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await over.json()) as { error: unknown }).error).toMatchObject({ code: 'rule_limit_reached', details: { ruleId: rule.id } });

    // Bulk stops at the budget: rows beyond it stay PENDING with the rule's refusal as the reason for stopping.
    const bulkSender = userActor(OPEN_ORG, 'admin', { userId: 'usr_bulk_sender', email: 'bulk.sender@open.test' });
    const rows = Array.from({ length: 10 }, (_, i) => `${freshEmail(`bd${i}`, 'open.test')},member`);
    const preview = await previewBulkInvite(bulkSender, OPEN_ORG, { text: `email,role\n${rows.join('\n')}\n` });
    const run = await runBulkInvite(bulkSender, OPEN_ORG, preview.job.id);
    expect(run.counts).toMatchObject({ invited: 7, pending: 3 });
    expect(run.limited).toBe(true);
    expect(run.stoppedBy).toMatchObject({ code: 'rule_limit_reached' });
  });

  it('refuses an outside address with another role than the rule allows: 422 rule_refused naming the rule, nothing held or sent', async () => {
    const rule = await addInvitationRule(olga, OPEN_ORG, { kind: 'EXTERNAL_DOMAINS_ROLE', domains: 'open.test', role: 'member' });
    expect(rule.description).toBe('Addresses outside open.test can only be invited as member');
    const email = freshEmail('ext', 'partner.test');
    const error = await refusal(inviteMember(olga, OPEN_ORG, { email, role: 'admin' }));
    expect(error).toMatchObject({ code: 'rule_refused', status: 422, details: { ruleId: rule.id }, fields: { role: expect.any(String) } });
    expect(error.message).toContain('"Addresses outside open.test can only be invited as member"');
    await expectNothingAtScalekit(email);
    expect(await prisma.invitationRequest.count({ where: { email } })).toBe(0);

    // An approval rule beside it does not turn the refusal into a request.
    await addInvitationRule(olga, OPEN_ORG, { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: 'open.test' });
    expect(await refusal(inviteMember(olga, OPEN_ORG, { email, role: 'admin' }))).toMatchObject({ code: 'rule_refused' });
    expect(await prisma.invitationRequest.count({ where: { email } })).toBe(0);

    // The bulk preview skips such a row with the same words.
    const preview = await previewBulkInvite(olga, OPEN_ORG, { text: `email,role\n${email},admin\n` });
    expect(preview.rows[0]).toMatchObject({ status: 'SKIPPED', reason: error.message });

    // The role the rule allows goes through (held by the approval rule, which is the next rule's job).
    expect(await inviteMember(olga, OPEN_ORG, { email, role: 'member' })).toMatchObject({ outcome: 'held' });
  });

  it('an approved request goes through approval rules; an id that is not a live request of this address is refused', async () => {
    const rule = await addInvitationRule(olga, OPEN_ORG, { kind: 'REQUIRE_APPROVAL_FOR_ROLES', roles: ['admin'] });
    const email = freshEmail('approved', 'open.test');
    const held = await inviteMember(olga, OPEN_ORG, { email, role: 'admin' });
    expect(held).toMatchObject({ outcome: 'held', rule: { id: rule.id } });
    const requestId = held.outcome === 'held' ? held.request.id : '';

    const other = freshEmail('other', 'open.test');
    expect(await refusal(inviteMember(olga, OPEN_ORG, { email: other, role: 'admin' }, { approvedRequestId: requestId }))).toMatchObject({
      code: 'not_found',
    });
    expect(await refusal(inviteMember(olga, OPEN_ORG, { email, role: 'admin' }, { approvedRequestId: 'req_made_up' }))).toMatchObject({
      code: 'not_found',
    });
    await expectNothingAtScalekit(email);

    await prisma.invitationRequest.update({ where: { id: requestId }, data: { status: 'APPROVED', pendingEmail: null } });
    const sent = await inviteMember(olga, OPEN_ORG, { email, role: 'admin' }, { approvedRequestId: requestId });
    expect(sent).toMatchObject({ outcome: 'invited', membership: { role: 'admin' } });
    expect(await scalekitMembersWithEmail(bed.scalekit, OPEN_ORG, email)).toHaveLength(1);
  });

  it("rules of another organization never apply, and another organization's admin cannot see or change them", async () => {
    const acmeRule = await addInvitationRule(ada, 'org_acme', { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: 'acme.test' });
    const email = freshEmail('cross', 'elsewhere.test');
    expect(await inviteMember(olga, OPEN_ORG, { email })).toMatchObject({ outcome: 'invited' });
    expect(await listInvitationRules(olga, OPEN_ORG)).toEqual([]);
    await expect(listInvitationRules(olga, 'org_acme')).rejects.toBeInstanceOf(ForbiddenError);
    expect(await refusal(removeInvitationRule(olga, OPEN_ORG, acmeRule.id))).toMatchObject({ code: 'not_found' });
    expect(await refusal(setInvitationRuleEnabled(olga, OPEN_ORG, acmeRule.id, false))).toMatchObject({ code: 'not_found' });
    expect(await prisma.invitationRule.findUnique({ where: { id: acmeRule.id } })).toMatchObject({ enabled: true });
  });
});

describe('managing invitation rules', () => {
  it('adds, lists as sentences, disables, reorders and removes, auditing each change; a disabled rule holds nothing', async () => {
    const a = await addInvitationRule(olga, OPEN_ORG, { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: 'open.test, open.io' });
    const b = await addInvitationRule(olga, OPEN_ORG, { kind: 'DAILY_LIMIT_PER_INVITER', limit: 20 });
    expect((await listInvitationRules(olga, OPEN_ORG)).map((r) => [r.description, r.enabled])).toEqual([
      ["Invitations to addresses outside open.test, open.io need an admin's approval", true],
      ['Each person can send at most 20 invitations a day', true],
    ]);

    expect(await setInvitationRuleEnabled(olga, OPEN_ORG, a.id, false)).toMatchObject({ changed: true, rule: { enabled: false } });
    expect(await inviteMember(olga, OPEN_ORG, { email: freshEmail('off', 'elsewhere.test') })).toMatchObject({ outcome: 'invited' });
    expect(await setInvitationRuleEnabled(olga, OPEN_ORG, a.id, false)).toMatchObject({ changed: false });

    const moved = await moveInvitationRule(olga, OPEN_ORG, b.id, 'up');
    expect(moved.rules.map((r) => [r.id, r.position])).toEqual([
      [b.id, 0],
      [a.id, 1],
    ]);
    expect((await moveInvitationRule(olga, OPEN_ORG, b.id, 'up')).changed).toBe(false);

    expect(await removeInvitationRule(olga, OPEN_ORG, a.id)).toEqual({
      description: "Invitations to addresses outside open.test, open.io need an admin's approval",
    });
    expect((await listInvitationRules(olga, OPEN_ORG)).map((r) => r.id)).toEqual([b.id]);

    const audit = await prisma.auditEvent.findMany({
      where: { organizationId: OPEN_ORG, action: { startsWith: 'org.rule_' }, targetId: { in: [a.id, b.id] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { action: true, targetId: true, actorLabel: true, metadata: true },
    });
    expect(audit.map((e) => [e.action, e.targetId, (e.metadata as { change?: string }).change ?? null])).toEqual([
      ['org.rule_added', a.id, null],
      ['org.rule_added', b.id, null],
      ['org.rule_changed', a.id, 'disabled'],
      ['org.rule_changed', b.id, 'moved_up'],
      ['org.rule_removed', a.id, null],
    ]);
    expect(audit.every((e) => e.actorLabel === 'olga@open.test')).toBe(true);
  });

  it('refuses bad parameters with the field at fault and changes nothing; members may not manage rules', async () => {
    expect(await refusal(addInvitationRule(olga, OPEN_ORG, { kind: 'DAILY_LIMIT_PER_INVITER', limit: 'lots' }))).toMatchObject({
      code: 'validation_failed',
      fields: { limit: 'Enter a whole number from 1 to 10,000.' },
    });
    expect(await refusal(addInvitationRule(olga, OPEN_ORG, { kind: 'REQUIRE_APPROVAL_FOR_ROLES', roles: ['wizard'] }))).toMatchObject({
      code: 'unknown_role',
      fields: { roles: 'This organization has no role named wizard. Choose one of its roles.' },
    });
    await addInvitationRule(olga, OPEN_ORG, { kind: 'DAILY_LIMIT_PER_INVITER', limit: 5 });
    expect(await refusal(addInvitationRule(olga, OPEN_ORG, { kind: 'DAILY_LIMIT_PER_INVITER', limit: 5 }))).toMatchObject({
      code: 'validation_failed',
      message: 'This rule already exists: "Each person can send at most 5 invitations a day".',
    });
    await expect(addInvitationRule(oscar, OPEN_ORG, { kind: 'DAILY_LIMIT_PER_INVITER', limit: 5 })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await prisma.invitationRule.count({ where: { organizationId: OPEN_ORG } })).toBe(1);
  });
});
