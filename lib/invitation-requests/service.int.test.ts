import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailsTo } from '@/emulator/src/testing';
import type { Actor } from '@/lib/auth/actor';
import { resolvePermissions } from '@/lib/auth/permissions';
import { jobs } from '@/lib/jobs/registry';
import { FAST, waitFor } from '@/lib/jobs/testing';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { ada, freshEmail, gina, max, refusal, scalekitMembersWithEmail, useInvitationTestbed, userActor } from '@/lib/invitations/testing';
import { updateOrganizationSettings } from '@/lib/organizations/settings';
import { openInvitationRequest } from './create';
import {
  announceRequest,
  approveRequest,
  cancelRequest,
  denyRequest,
  listMyRequests,
  listRequests,
  pendingRequestCount,
  requestInvitation,
} from './service';

// A short SDK deadline so "Scalekit answers too late" costs about a second.
const bed = await useInvitationTestbed({ timeoutMs: 800 });
const { prisma } = bed.db;
const ACME = 'org_acme';

/** A second Acme admin, to decide at the same moment as Ada. */
const riley: Actor = { ...userActor(ACME, 'admin', { userId: 'usr_riley', email: 'riley@consultant.test' }) };
/** Acme's member with the rights of a member: may ask, may not decide. */
const member = max;

let worker: RunningWorker;
beforeAll(async () => {
  // Only the mail job: notices land in OutgoingEmail (no SMTP_URL in tests).
  worker = await startWorker({ connectionString: bed.db.url, poolSize: 2, timing: FAST, jobs: { 'mail.send': jobs['mail.send'] } });
});
afterAll(() => worker?.stop());

const boss = () => worker.boss;
const outbox = (to: string) => prisma.outgoingEmail.findMany({ where: { to }, orderBy: { createdAt: 'asc' } });
const invitationsIn = (email: string) => scalekitMembersWithEmail(bed.scalekit, ACME, email);

async function ask(email: string, extra: Record<string, unknown> = {}) {
  const { request } = await requestInvitation(
    member,
    ACME,
    { email, role: 'member', reason: 'Joins the sales team', ...extra },
    { boss: boss() },
  );
  return request;
}

describe('invitation requests', () => {
  it('a member asks, the inviters get a notice; approval sends one invitation as the admin’s, marks it APPROVED and tells the member', async () => {
    const email = freshEmail('asked');
    const opened = await requestInvitation(member, ACME, { email, role: 'member', reason: 'Joins\nthe sales team' }, { boss: boss() });
    expect(opened.created).toBe(true);
    expect(opened.request).toMatchObject({ status: 'PENDING', source: 'MEMBER', origin: 'form', reason: 'Joins the sales team' });
    expect(await pendingRequestCount(ada, ACME)).toBeGreaterThanOrEqual(1);
    expect(await pendingRequestCount(member, ACME)).toBeNull();

    const [notice] = await waitFor('the admin notice', async () => {
      const rows = (await outbox('ada@acme.test')).filter((r) => r.text.includes(email));
      return rows.length ? rows : null;
    });
    expect(notice!.subject).toBe(`Invitation request for ${email} in Acme`);
    expect(notice!.text).toContain('max@acme.test asked');
    expect(notice!.text).toContain('/orgs/org_acme/requests');
    // Nothing at Scalekit yet: a request is not an invitation.
    expect(await invitationsIn(email)).toHaveLength(0);

    const { request, outcome } = await approveRequest(ada, ACME, opened.request.id, { note: 'Welcome aboard', boss: boss() });
    expect(outcome).toBe('invited');
    expect(request).toMatchObject({ status: 'APPROVED', pendingEmail: null, decidedByUserId: 'usr_ada', decisionNote: 'Welcome aboard' });
    const membership = await prisma.membership.findUniqueOrThrow({ where: { id: request.membershipId! } });
    expect(membership).toMatchObject({ email, status: 'PENDING_INVITE', syncState: 'SYNCED', invitedByUserId: 'usr_ada' });
    expect(await invitationsIn(email)).toHaveLength(1);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(1);

    const created = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'invitation.created', targetId: membership.id } });
    expect(created).toMatchObject({ actorId: 'usr_ada' });
    expect(created.metadata).toMatchObject({ approvedRequestId: request.id });
    expect(await prisma.auditEvent.count({ where: { action: 'request.approved', targetId: request.id } })).toBe(1);

    const told = await waitFor('the requester notice', async () => {
      const rows = (await outbox('max@acme.test')).filter((r) => r.subject.includes(email));
      return rows.length ? rows : null;
    });
    expect(told[0]!.subject).toBe(`Your invitation request for ${email} was approved`);
    expect(told[0]!.text).toContain('Note: Welcome aboard');
    expect((await listMyRequests(member, ACME)).find((r) => r.id === request.id)).toMatchObject({ status: 'APPROVED' });
  });

  it('approved twice by one admin and by two admins at once: exactly one invitation, one approval; the late click is told who approved', async () => {
    const email = freshEmail('twice');
    const request = await ask(email);
    const results = await Promise.allSettled([
      approveRequest(ada, ACME, request.id, { boss: boss() }),
      approveRequest(riley, ACME, request.id, { boss: boss() }),
      approveRequest(ada, ACME, request.id, { boss: boss() }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const l of lost) {
      expect(l.reason).toMatchObject({ code: 'request_decided', status: 409 });
      expect((l.reason as Error).message).toMatch(/already approved by (ada@acme\.test|riley@consultant\.test) on /);
    }
    expect(await invitationsIn(email)).toHaveLength(1);
    expect(await emailsTo(bed.emulator, email)).toHaveLength(1);
    expect(await prisma.membership.count({ where: { organizationId: ACME, email } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: 'request.approved', targetId: request.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: 'invitation.created', targetLabel: email } })).toBe(1);

    // And once decided, a deny is refused the same way.
    const late = await refusal(denyRequest(ada, ACME, request.id, { boss: boss() }));
    expect(late).toMatchObject({ code: 'request_decided', status: 409 });
  });

  it('Scalekit down at approval: the request stays PENDING and nothing is sent; the retry finishes it with one invitation', async () => {
    const email = freshEmail('down');
    const request = await ask(email);
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'RESOURCE_EXHAUSTED' });
    await expect(approveRequest(ada, ACME, request.id, { boss: boss() })).rejects.toMatchObject({ status: 429, retryable: true });
    expect(await prisma.invitationRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: 'PENDING',
      pendingEmail: email,
      membershipId: null,
    });
    expect(await invitationsIn(email)).toHaveLength(0);

    const { request: approved, outcome } = await approveRequest(ada, ACME, request.id, { boss: boss() });
    expect(outcome).toBe('invited');
    expect(approved.status).toBe('APPROVED');
    expect(await invitationsIn(email)).toHaveLength(1);
    expect(await prisma.auditEvent.count({ where: { action: 'request.approved', targetId: request.id } })).toBe(1);
  });

  it('Scalekit answering too late (it did create the invitation): the request stays PENDING, and the retry adopts that invitation instead of sending a second', async () => {
    const email = freshEmail('late');
    const request = await ask(email);
    await bed.fault({ target: 'CreateUserAndMembership', delayMs: 1600 });
    await expect(approveRequest(ada, ACME, request.id, { boss: boss() })).rejects.toMatchObject({ status: 504 });
    expect((await prisma.invitationRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('PENDING');
    // What a slow Scalekit that finished the call after our deadline leaves behind.
    await bed.scalekit.user.createUserAndMembership(ACME, { email, sendInvitationEmail: true });

    const { request: approved } = await approveRequest(ada, ACME, request.id, { boss: boss() });
    expect(approved).toMatchObject({ status: 'APPROVED' });
    expect(await invitationsIn(email)).toHaveLength(1);
    expect(await prisma.membership.count({ where: { organizationId: ACME, email } })).toBe(1);
    expect(approved.membershipId).toBe((await prisma.membership.findFirstOrThrow({ where: { organizationId: ACME, email } })).id);
  });

  it('deny with a note: DENIED, audited, the member is told, nothing reaches Scalekit; the address may be asked for again', async () => {
    const email = freshEmail('denied');
    const request = await ask(email);
    const denied = await denyRequest(ada, ACME, request.id, { note: 'We hire through HR', boss: boss() });
    expect(denied).toMatchObject({
      status: 'DENIED',
      decisionNote: 'We hire through HR',
      pendingEmail: null,
      decidedByLabel: 'ada@acme.test',
    });
    expect(await prisma.auditEvent.count({ where: { action: 'request.denied', targetId: request.id } })).toBe(1);
    expect(await invitationsIn(email)).toHaveLength(0);
    const told = await waitFor('the denial notice', async () => {
      const rows = (await outbox('max@acme.test')).filter((r) => r.subject === `Your invitation request for ${email} was denied`);
      return rows.length ? rows : null;
    });
    expect(told[0]!.text).toContain('Note: We hire through HR');
    expect((await ask(email)).id).not.toBe(request.id);
  });

  it('the member who asked may cancel while it is pending; nobody else may, and a cancelled request cannot be approved', async () => {
    const email = freshEmail('cancel');
    const request = await ask(email);
    const other = userActor(ACME, 'member', { userId: 'usr_riley', email: 'riley@consultant.test' });
    expect(await refusal(cancelRequest(other, ACME, request.id))).toMatchObject({ code: 'request_not_found', status: 404 });
    expect(await refusal(cancelRequest(ada, ACME, request.id))).toMatchObject({ code: 'request_not_found' });
    const cancelled = await cancelRequest(member, ACME, request.id);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', pendingEmail: null });
    expect(await prisma.auditEvent.count({ where: { action: 'request.cancelled', targetId: request.id } })).toBe(1);
    const error = await refusal(approveRequest(ada, ACME, request.id, { boss: boss() }));
    expect(error).toMatchObject({ code: 'request_decided', status: 409 });
    expect(error.message).toMatch(/already cancelled by max@acme\.test/);
    expect(await invitationsIn(email)).toHaveLength(0);
  });

  it('authorization: a member cannot list or decide; another organization’s admin cannot see or decide; an API key needs invitations:write', async () => {
    const request = await ask(freshEmail('authz'));
    for (const call of [
      listRequests(member, ACME),
      approveRequest(member, ACME, request.id),
      denyRequest(member, ACME, request.id),
      listRequests(gina, ACME),
      approveRequest(gina, ACME, request.id),
      denyRequest(gina, ACME, request.id),
      // Gina's own organization does not hold Acme's request.
      approveRequest(gina, 'org_globex', request.id),
    ]) {
      const error = await refusal(call);
      expect([403, 404]).toContain(error.status);
    }
    expect((await listRequests(gina, 'org_globex')).requests.some((r) => r.id === request.id)).toBe(false);
    expect((await prisma.invitationRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('PENDING');

    const readOnlyKey: Actor = {
      kind: 'api_key',
      apiKeyId: 'key_ro',
      label: 'HR sync',
      organizationId: ACME,
      scopes: ['invitations:read'],
    };
    expect(await refusal(requestInvitation(readOnlyKey, ACME, { email: freshEmail('key'), role: 'member' }))).toMatchObject({
      status: 403,
    });
    const writeKey: Actor = { ...readOnlyKey, apiKeyId: 'key_rw', scopes: ['invitations:write'] };
    const viaKey = await requestInvitation(writeKey, ACME, { email: freshEmail('key'), role: 'member' }, { origin: 'api', boss: boss() });
    expect(viaKey.request).toMatchObject({ origin: 'api', requestedByLabel: 'HR sync', requestedByUserId: null });
    const listed = await listRequests(writeKey, ACME, { status: 'PENDING' });
    expect(listed.requests.map((r) => r.id)).toContain(viaKey.request.id);
  });

  it('refusals say what to do and queue nothing: setting off, already a member, already invited, domain, role, bad input', async () => {
    const before = await prisma.invitationRequest.count();
    expect(await refusal(requestInvitation(member, ACME, { email: 'ada@acme.test', role: 'member' }))).toMatchObject({
      code: 'already_member',
      status: 409,
      message: expect.stringContaining('already a member of Acme'),
    });
    expect(await refusal(requestInvitation(member, ACME, { email: 'new.hire@acme.test', role: 'member' }))).toMatchObject({
      code: 'already_invited',
      message: expect.stringContaining('already has a pending invitation'),
    });
    expect(await refusal(requestInvitation(member, ACME, { email: 'not-an-email', role: 'member' }))).toMatchObject({
      code: 'invalid_email',
      field: 'email',
    });
    expect(await refusal(requestInvitation(member, ACME, { email: freshEmail(), role: 'overlord' }))).toMatchObject({
      code: 'unknown_role',
      field: 'role',
    });
    expect(await refusal(requestInvitation(member, ACME, { email: freshEmail(), role: 'member', reason: 'x'.repeat(501) }))).toMatchObject({
      field: 'reason',
      message: 'The reason can be at most 500 characters.',
    });

    // Globex only invites its own domains, and does not take requests until an admin turns them on.
    const globexMember = userActor('org_globex', 'member', { userId: 'usr_riley', email: 'riley@consultant.test' });
    const off = await refusal(requestInvitation(globexMember, 'org_globex', { email: freshEmail('x', 'globex.test'), role: 'member' }));
    expect(off).toMatchObject({ code: 'requests_disabled', status: 403 });
    expect(off.message).toMatch(/Members can request invitations/);
    await prisma.organization.update({ where: { id: 'org_globex' }, data: { membersMayRequest: true } });
    expect(
      await refusal(requestInvitation(globexMember, 'org_globex', { email: freshEmail('x', 'elsewhere.test'), role: 'member' })),
    ).toMatchObject({ code: 'domain_not_allowed' });
    expect(await prisma.invitationRequest.count()).toBe(before);
  });

  it('asking twice for one address returns the waiting request; each member has an hourly budget (429 with Retry-After)', async () => {
    const email = freshEmail('again');
    const first = await requestInvitation(member, ACME, { email, role: 'member' }, { boss: boss() });
    const second = await requestInvitation(member, ACME, { email, role: 'member' }, { boss: boss() });
    expect(second).toMatchObject({ created: false, request: { id: first.request.id } });

    const busy = userActor(ACME, 'member', { userId: 'usr_busy', email: 'busy@acme.test' });
    await prisma.rateLimitBucket.create({
      data: { key: 'request:actor:user:usr_busy', count: 20, resetAt: new Date(Date.now() + 30 * 60_000) },
    });
    const limited = await refusal(requestInvitation(busy, ACME, { email: freshEmail('limited'), role: 'member' }));
    expect(limited).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(limited.retryAfter).toBeGreaterThan(60);
    expect(limited.message).toMatch(/You have asked for 20 invitations this hour.*try again in \d+ minutes/);
    expect(await prisma.invitationRequest.count({ where: { requestedByUserId: 'usr_busy' } })).toBe(0);
  });

  it('lists the queue by status, newest first, in keyset pages', async () => {
    const asked = [];
    for (let i = 0; i < 3; i++) asked.push(await ask(freshEmail(`page${i}`)));
    const first = await listRequests(ada, ACME, { status: 'PENDING', limit: 2 });
    expect(first.requests).toHaveLength(2);
    expect(first.requests[0]!.id).toBe(asked[2]!.id);
    expect(first.nextCursor).not.toBeNull();
    const next = await listRequests(ada, ACME, { status: 'PENDING', limit: 2, cursor: first.nextCursor });
    expect(next.requests[0]!.id).toBe(asked[0]!.id);
    expect((await listRequests(ada, ACME, { status: 'DECIDED' })).requests.every((r) => r.status !== 'PENDING')).toBe(true);
    expect(await refusal(listRequests(ada, ACME, { cursor: 'garbage' }))).toMatchObject({ status: 400 });
    // The member's own list holds only what they asked for.
    expect((await listMyRequests(member, ACME)).every((r) => r.requestedByUserId === 'usr_max')).toBe(true);
    expect(resolvePermissions('member', null)).not.toContain('members:invite');
  });

  it('the Settings toggle is audited as org.settings_changed; off, members are refused and waiting requests can still be decided', async () => {
    const waiting = await ask(freshEmail('before-off'));
    const settings = { maxAllowedUsers: 25, allowedEmailDomains: [] as string[] };
    const off = await updateOrganizationSettings(ada, ACME, { ...settings, membersMayRequest: false });
    expect(off).toMatchObject({ changed: true, settings: { membersMayRequest: false } });
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { organizationId: ACME, action: 'org.settings_changed' },
      orderBy: { createdAt: 'desc' },
    });
    expect(audit.metadata).toEqual({ membersMayRequest: { from: true, to: false } });
    expect(await refusal(requestInvitation(member, ACME, { email: freshEmail('after-off'), role: 'member' }))).toMatchObject({
      code: 'requests_disabled',
    });
    // A settings save that leaves the toggle out keeps it as it is.
    expect((await updateOrganizationSettings(ada, ACME, settings)).changed).toBe(false);
    expect((await denyRequest(ada, ACME, waiting.id, { boss: boss() })).status).toBe('DENIED');
    await updateOrganizationSettings(ada, ACME, { ...settings, membersMayRequest: true });
  });

  it('a rule’s held invitation and a verified-domain request go through the same approval, and the inviters are told of each', async () => {
    const held = freshEmail('held');
    const rule = await openInvitationRequest(riley, {
      organizationId: ACME,
      email: held,
      role: 'member',
      source: 'RULE',
      origin: 'bulk',
      rule: { id: 'rule_ext', description: 'Emails outside acme.test need approval' },
    });
    const asker = freshEmail('asker', 'acme.test');
    const domain = await openInvitationRequest(userActor('org_globex', 'member', { userId: 'usr_gina', email: 'gina@globex.test' }), {
      organizationId: ACME,
      email: asker,
      role: 'member',
      source: 'DOMAIN',
      origin: 'domain',
    });
    expect(await announceRequest(rule.request, { boss: boss() })).toBeGreaterThan(0);
    expect(await announceRequest(domain.request, { boss: boss() })).toBeGreaterThan(0);
    const ruleNotice = await waitFor('the rule notice', async () => {
      const rows = (await outbox('ada@acme.test')).filter((r) => r.text.includes(held));
      return rows.length ? rows : null;
    });
    expect(ruleNotice[0]!.text).toContain('held by the rule "Emails outside acme.test need approval"');

    for (const request of [rule.request, domain.request]) {
      const { request: approved, outcome } = await approveRequest(ada, ACME, request.id, { boss: boss() });
      expect(outcome).toBe('invited');
      expect(approved.status).toBe('APPROVED');
      expect(await invitationsIn(approved.email)).toHaveLength(1);
    }
    const created = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'invitation.created', targetLabel: held } });
    expect(created.metadata).toMatchObject({ approvedRequestId: rule.request.id });
  });
});
