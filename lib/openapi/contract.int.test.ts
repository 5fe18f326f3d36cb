import { describe, expect, it } from 'vitest';
import { GET as ACCESS_REVIEW_CSV } from '@/app/api/orgs/[orgId]/access-reviews/[reviewId]/evidence.csv/route';
import { GET as AUDIT_CSV } from '@/app/api/orgs/[orgId]/audit.csv/route';
import { GET as BULK_ACTIONS_CSV } from '@/app/api/orgs/[orgId]/bulk-actions.csv/route';
import { GET as LOGO } from '@/app/api/orgs/[orgId]/logo/route';
import { GET as MEMBERS_CSV } from '@/app/api/orgs/[orgId]/members.csv/route';
import { GET as HEALTH } from '@/app/api/health/route';
import { DELETE as REVOKE, GET as GET_ONE } from '@/app/api/invitations/[id]/route';
import { POST as RESEND } from '@/app/api/invitations/[id]/resend/route';
import { GET as LIST, POST as INVITE } from '@/app/api/invitations/route';
import { GET as OPENAPI } from '@/app/api/openapi.json/route';
import { POST as APPROVE_REQUEST } from '@/app/api/invitation-requests/[id]/approve/route';
import { POST as DENY_REQUEST } from '@/app/api/invitation-requests/[id]/deny/route';
import { GET as LIST_REQUESTS, POST as OPEN_REQUEST } from '@/app/api/invitation-requests/route';
import { createApiKey } from '@/lib/api-keys/service';
import { addInvitationRule } from '@/lib/invitation-rules/service';
import { ada, freshEmail, gina, useInvitationTestbed } from '@/lib/invitations/testing';
import { signedInSession } from '@/lib/session/testing';
import { buildOpenApiDocument } from './document';
import { OPERATIONS } from './operations';
import { documentAjv, documentedPath, expectDocumented, type OpenApiDocument } from './testing';

/**
 * The contract: every operation of the OpenAPI document, called through its real route handler
 * (real PostgreSQL, the real SDK against the emulator), success and error cases, and each answer
 * — status, content type, JSON body — validated with Ajv against the document's own response
 * schema. A field the code adds, a status or an error code the document does not list, fails here.
 */

const bed = await useInvitationTestbed();
const { prisma } = bed.db;
const APP = 'http://localhost:3000';
const document = buildOpenApiDocument() as OpenApiDocument;
const ajv = documentAjv(document);

const acmeKey = (await createApiKey(ada, 'org_acme', 'Contract HR')).secret;
const readKey = (await createApiKey(ada, 'org_acme', 'Contract reader', { scopes: ['invitations:read'] })).secret;
const writeKey = (await createApiKey(ada, 'org_acme', 'Contract writer', { scopes: ['invitations:write'] })).secret;
const globexKey = (await createApiKey(gina, 'org_globex', 'Contract Globex')).secret;
const adaSession = await signedInSession('usr_ada', 'org_acme');
const maxSession = await signedInSession('usr_max', 'org_acme');
const ginaSession = await signedInSession('usr_gina', 'org_globex');

type Headers = Record<string, string>;
const key = (secret: string): Headers => ({ authorization: `Bearer ${secret}` });
const browser = (s: { cookie: string; csrf: string }, csrf = true): Headers => ({
  cookie: s.cookie,
  origin: APP,
  'sec-fetch-site': 'same-origin',
  ...(csrf ? { 'x-csrf-token': s.csrf } : {}),
});

/** Operations whose answers this file checked, by operationId. */
const exercised = new Map<string, Set<string>>();

type Handler = (request: Request, segment: { params: Promise<never> }) => Response | Promise<Response>;

/** The parts of the answers these tests read (the document's schemas check the rest). */
interface ApiBody {
  outcome?: string;
  invitation: { id: string } & Record<string, unknown>;
  invitations: Array<{ id: string } & Record<string, unknown>>;
  summary: Record<string, number>;
  error: { code: string; message: string };
}

/** Calls `handler` as Next would for `method path`, checks the answer against the document, returns status and body. */
async function call(
  handler: Handler,
  method: string,
  path: string,
  { headers = {}, body, params = {} }: { headers?: Headers; body?: unknown; params?: Record<string, string> } = {},
): Promise<{ status: number; body: ApiBody; text: string }> {
  const request = new Request(`${APP}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve(params) as Promise<never> });
  const status = response.status;
  const parsed = await expectDocumented(document, ajv, method, path, response);
  const template = documentedPath(document, new URL(path, APP).pathname)!;
  const op = document.paths[template]![method.toLowerCase()]!;
  (exercised.get(op.operationId) ?? exercised.set(op.operationId, new Set()).get(op.operationId)!).add(String(status));
  return { status, body: parsed as ApiBody, text: typeof parsed === 'string' ? parsed : '' };
}

const inv = (id: string) => ({ id });

describe('POST /api/invitations against the document', () => {
  it('201 invited, 200 already_invited, a batch, and its documented refusals', async () => {
    const email = freshEmail('contract');
    const created = await call(INVITE, 'POST', '/api/invitations', {
      headers: key(acmeKey),
      body: { email, name: 'Contract Person', externalId: `ext-${Date.now()}`, metadata: { team: 'qa' } },
    });
    expect(created).toMatchObject({ status: 201, body: { outcome: 'invited', invitation: { email, metadata: { team: 'qa' } } } });
    expect(await call(INVITE, 'POST', '/api/invitations', { headers: key(acmeKey), body: { email } })).toMatchObject({
      status: 200,
      body: { outcome: 'already_invited' },
    });
    // A key with invitations:write only gets the basic shape; the document allows both.
    const basic = await call(INVITE, 'POST', '/api/invitations', { headers: key(writeKey), body: { email } });
    expect(basic.body.invitation).not.toHaveProperty('externalId');
    const batch = await call(INVITE, 'POST', '/api/invitations', {
      headers: key(acmeKey),
      body: { invitations: [{ email: freshEmail('b') }, { email: 'broken' }] },
    });
    expect(batch).toMatchObject({ status: 200, body: { summary: { invited: 1, failed: 1 } } });

    const refusals: Array<[Headers, unknown, number, string]> = [
      [key(acmeKey), { email: freshEmail('x'), colour: 'red' }, 400, 'validation_failed'],
      [key(acmeKey), '{"email":', 400, 'invalid_json'],
      [key(acmeKey), { email: 'nope' }, 400, 'invalid_email'],
      [key(acmeKey), { email: freshEmail('x'), role: 'no such role!' }, 400, 'invalid_role'],
      [key(acmeKey), { email: freshEmail('x'), role: 'wizard' }, 400, 'unknown_role'],
      [{}, { email: freshEmail('x') }, 401, 'unauthenticated'],
      [key('tg_live_' + 'x'.repeat(32)), { email: freshEmail('x') }, 401, 'invalid_api_key'],
      [key(readKey), { email: freshEmail('x') }, 403, 'forbidden'],
      [browser(adaSession, false), { email: freshEmail('x') }, 403, 'csrf_failed'],
      [key(acmeKey), 'x'.repeat(300_000), 413, 'body_too_large'],
      [key(globexKey), { email: freshEmail('x', 'gmail.test') }, 422, 'domain_not_allowed'],
    ];
    for (const [headers, body, status, code] of refusals) {
      const res = await call(INVITE, 'POST', '/api/invitations', { headers, body });
      expect([status, code]).toEqual([res.status, res.body.error.code]);
    }
    const wrongType = new Request(`${APP}/api/invitations`, {
      method: 'POST',
      headers: { ...key(acmeKey), 'content-type': 'text/plain' },
      body: 'x',
    });
    const unsupported = await INVITE(wrongType);
    expect(unsupported.status).toBe(415);
    await expectDocumented(document, ajv, 'POST', '/api/invitations', unsupported);
  });

  it('202 held by an invitation rule (alone and in a batch), and the documented 422 rule_refused', async () => {
    const hold = await addInvitationRule(ada, 'org_acme', { kind: 'REQUIRE_APPROVAL_OUTSIDE_DOMAINS', domains: 'acme.test' });
    const ruleIds = [hold.id];
    try {
      const held = await call(INVITE, 'POST', '/api/invitations', {
        headers: key(acmeKey),
        body: { email: freshEmail('held', 'outside.test') },
      });
      expect(held).toMatchObject({ status: 202, body: { outcome: 'held', rule: { id: hold.id } } });
      const batch = await call(INVITE, 'POST', '/api/invitations', {
        headers: key(acmeKey),
        body: { invitations: [{ email: freshEmail('held', 'outside.test') }] },
      });
      expect(batch).toMatchObject({ status: 200, body: { summary: { held: 1, failed: 0 } } });
      // Outside acme.test only as admin: an API key may only grant member, so member is refused (a refusal wins over a hold).
      const refuse = await addInvitationRule(ada, 'org_acme', { kind: 'EXTERNAL_DOMAINS_ROLE', domains: 'acme.test', role: 'admin' });
      ruleIds.push(refuse.id);
      const refused = await call(INVITE, 'POST', '/api/invitations', {
        headers: key(acmeKey),
        body: { email: freshEmail('refused', 'outside.test'), role: 'member' },
      });
      expect([refused.status, refused.body.error.code]).toEqual([422, 'rule_refused']);
    } finally {
      await prisma.invitationRule.deleteMany({ where: { id: { in: ruleIds } } });
    }
  });

  it('Idempotency-Key: the replay matches the document, and a reused key is the documented 422', async () => {
    const idem = { ...key(acmeKey), 'idempotency-key': `contract-${Date.now()}` };
    const email = freshEmail('idem');
    const first = await call(INVITE, 'POST', '/api/invitations', { headers: idem, body: { email } });
    expect(first.status).toBe(201);
    expect(await call(INVITE, 'POST', '/api/invitations', { headers: idem, body: { email } })).toEqual(first);
    expect(await call(INVITE, 'POST', '/api/invitations', { headers: idem, body: { email: freshEmail('other') } })).toMatchObject({
      status: 422,
      body: { error: { code: 'idempotency_key_reused' } },
    });
  });

  it('a Scalekit 429 is the documented scalekit_rate_limited with Retry-After', async () => {
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'RESOURCE_EXHAUSTED' });
    const res = await call(INVITE, 'POST', '/api/invitations', { headers: key(acmeKey), body: { email: freshEmail('busy') } });
    expect(res).toMatchObject({ status: 429, body: { error: { code: 'scalekit_rate_limited' } } });
  });
});

describe('GET /api/invitations and /api/invitations/:id against the document', () => {
  it('lists with filters, gets one (full and basic views), and refuses what the document says', async () => {
    const email = freshEmail('one');
    const { body } = await call(INVITE, 'POST', '/api/invitations', {
      headers: key(acmeKey),
      body: { email, externalId: `one-${Date.now()}` },
    });
    const id = body.invitation.id as string;

    const list = await call(LIST, 'GET', `/api/invitations?status=PENDING_INVITE&emailPrefix=one.&limit=5`, { headers: key(readKey) });
    expect(list.status).toBe(200);
    expect(list.body.invitations.map((i) => i.id)).toContain(id);
    expect(await call(LIST, 'GET', '/api/invitations?status=ACCEPTED', { headers: browser(maxSession) })).toMatchObject({ status: 200 });
    expect(await call(LIST, 'GET', '/api/invitations?status=GONE', { headers: key(readKey) })).toMatchObject({ status: 400 });
    expect(await call(LIST, 'GET', '/api/invitations', {})).toMatchObject({ status: 401 });
    expect(await call(LIST, 'GET', '/api/invitations', { headers: key(writeKey) })).toMatchObject({ status: 403 });

    const full = await call(GET_ONE, 'GET', `/api/invitations/${id}`, { headers: key(readKey), params: inv(id) });
    expect(full).toMatchObject({ status: 200, body: { invitation: { id, email, externalId: expect.any(String) } } });
    const basic = await call(GET_ONE, 'GET', `/api/invitations/${id}`, { headers: browser(maxSession), params: inv(id) });
    expect(basic.body.invitation).not.toHaveProperty('externalId');
    expect(await call(GET_ONE, 'GET', `/api/invitations/${id}`, { headers: key(globexKey), params: inv(id) })).toMatchObject({
      status: 404,
      body: { error: { code: 'invitation_not_found' } },
    });
    expect(await call(GET_ONE, 'GET', '/api/invitations/nope', { headers: key(readKey), params: inv('nope') })).toMatchObject({
      status: 404,
    });
    expect(await call(GET_ONE, 'GET', `/api/invitations/${id}`, { params: inv(id) })).toMatchObject({ status: 401 });
    expect(await call(GET_ONE, 'GET', `/api/invitations/${id}`, { headers: key(writeKey), params: inv(id) })).toMatchObject({
      status: 403,
    });
  });
});

describe('resend and revoke against the document', () => {
  it('resend: 200, then 429 resend_too_soon on a retry; 404 elsewhere; 409 for a member', async () => {
    const { body } = await call(INVITE, 'POST', '/api/invitations', { headers: key(acmeKey), body: { email: freshEmail('resend') } });
    const id = body.invitation.id as string;
    await prisma.membership.update({ where: { id }, data: { lastSentAt: new Date(Date.now() - 120_000) } });
    const path = `/api/invitations/${id}/resend`;
    expect(await call(RESEND, 'POST', path, { headers: key(acmeKey), params: inv(id) })).toMatchObject({
      status: 200,
      body: { invitation: { resentCount: 1 } },
    });
    // The retry of a resend whose answer was lost sends nothing: the cooldown answers it.
    expect(await call(RESEND, 'POST', path, { headers: key(acmeKey), params: inv(id) })).toMatchObject({
      status: 429,
      body: { error: { code: 'resend_too_soon' } },
    });
    expect((await prisma.membership.findUniqueOrThrow({ where: { id } })).resentCount).toBe(1);
    expect(await call(RESEND, 'POST', path, { headers: key(globexKey), params: inv(id) })).toMatchObject({ status: 404 });
    const member = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', userId: 'usr_max' } });
    expect(
      await call(RESEND, 'POST', `/api/invitations/${member.id}/resend`, { headers: key(acmeKey), params: inv(member.id) }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'not_pending' } },
    });
    expect(await call(RESEND, 'POST', path, { headers: browser(adaSession, false), params: inv(id) })).toMatchObject({ status: 403 });
  });

  it('revoke: 204, 204 again (idempotent), 404 for another org, 409 for a member — and the mirror agrees', async () => {
    const { body } = await call(INVITE, 'POST', '/api/invitations', { headers: key(acmeKey), body: { email: freshEmail('revoke') } });
    const id = body.invitation.id as string;
    const path = `/api/invitations/${id}`;
    expect(await call(REVOKE, 'DELETE', path, { headers: key(globexKey), params: inv(id) })).toMatchObject({ status: 404 });
    expect(await prisma.membership.count({ where: { id } })).toBe(1);
    expect((await call(REVOKE, 'DELETE', path, { headers: key(acmeKey), params: inv(id) })).status).toBe(204);
    expect((await call(REVOKE, 'DELETE', path, { headers: key(acmeKey), params: inv(id) })).status).toBe(204);
    expect(await prisma.auditEvent.count({ where: { action: 'invitation.revoked', targetId: id } })).toBe(1);
    expect(await call(REVOKE, 'DELETE', path, { headers: key(globexKey), params: inv(id) })).toMatchObject({ status: 404 });
    expect(await call(GET_ONE, 'GET', path, { headers: key(readKey), params: inv(id) })).toMatchObject({ status: 404 });
    const member = await prisma.membership.findFirstOrThrow({ where: { organizationId: 'org_acme', userId: 'usr_max' } });
    expect(await call(REVOKE, 'DELETE', `/api/invitations/${member.id}`, { headers: key(acmeKey), params: inv(member.id) })).toMatchObject({
      status: 409,
      body: { error: { code: 'not_an_invitation' } },
    });
    expect(await call(REVOKE, 'DELETE', path, { headers: key(readKey), params: inv(id) })).toMatchObject({ status: 403 });
  });
});

describe('exports, health and the document itself against the document', () => {
  const org = { orgId: 'org_acme' };

  it('CSV exports: 200 text/csv for who may, the documented JSON errors otherwise', async () => {
    const members = await call(MEMBERS_CSV, 'GET', '/api/orgs/org_acme/members.csv', {
      headers: { cookie: adaSession.cookie },
      params: org,
    });
    expect(members.status).toBe(200);
    expect(members.text).toMatch(/^"name","email"/);
    expect(
      await call(MEMBERS_CSV, 'GET', '/api/orgs/org_acme/members.csv?status=gone', { headers: { cookie: adaSession.cookie }, params: org }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input' } },
    });
    expect(await call(MEMBERS_CSV, 'GET', '/api/orgs/org_acme/members.csv', { params: org })).toMatchObject({ status: 401 });
    expect(
      await call(MEMBERS_CSV, 'GET', '/api/orgs/org_acme/members.csv', { headers: { cookie: ginaSession.cookie }, params: org }),
    ).toMatchObject({
      status: 403,
    });
    expect(
      (await call(AUDIT_CSV, 'GET', '/api/orgs/org_acme/audit.csv', { headers: { cookie: adaSession.cookie }, params: org })).status,
    ).toBe(200);
    expect(
      await call(AUDIT_CSV, 'GET', '/api/orgs/org_acme/audit.csv?from=yesterday', { headers: { cookie: adaSession.cookie }, params: org }),
    ).toMatchObject({
      status: 400,
    });
    expect(
      await call(AUDIT_CSV, 'GET', '/api/orgs/org_acme/audit.csv', { headers: { cookie: maxSession.cookie }, params: org }),
    ).toMatchObject({ status: 403 });
    expect(
      await call(BULK_ACTIONS_CSV, 'GET', '/api/orgs/org_acme/bulk-actions.csv?id=nope', {
        headers: { cookie: adaSession.cookie },
        params: org,
      }),
    ).toMatchObject({
      status: 404,
      body: { error: { code: 'bulk_action_not_found' } },
    });
    expect(
      await call(ACCESS_REVIEW_CSV, 'GET', '/api/orgs/org_acme/access-reviews/nope/evidence.csv', {
        headers: { cookie: adaSession.cookie },
        params: { orgId: 'org_acme', reviewId: 'nope' },
      }),
    ).toMatchObject({ status: 404, body: { error: { code: 'review_not_found' } } });
    expect(await call(LOGO, 'GET', '/api/orgs/org_acme/logo', { headers: { cookie: adaSession.cookie }, params: org })).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect(await call(LOGO, 'GET', '/api/orgs/org_acme/logo', { params: org })).toMatchObject({ status: 401 });
  });

  it('health: the basic report, and 401 invalid_health_token for a wrong token', async () => {
    expect(await call(HEALTH, 'GET', '/api/health')).toMatchObject({ status: 200, body: { status: 'ok', scope: 'basic' } });
    expect(await call(HEALTH, 'GET', '/api/health', { headers: { authorization: 'Bearer wrong-token' } })).toMatchObject({
      status: 401,
      body: { error: { code: 'invalid_health_token' } },
    });
  });

  it('the document describes its own route', async () => {
    expect((await call(OPENAPI, 'GET', '/api/openapi.json')).status).toBe(200);
  });

  it('the check has teeth: an undocumented field, status or error code fails it', async () => {
    const invitation = (await call(LIST, 'GET', '/api/invitations?limit=1', { headers: key(readKey) })).body.invitations[0];
    const answer = (status: number, body: unknown) => Response.json(body, { status });
    const check = (status: number, body: unknown) => expectDocumented(document, ajv, 'GET', '/api/invitations', answer(status, body));
    await expect(check(200, { invitations: [{ ...invitation, salary: 'band 7' }], nextCursor: null })).rejects.toThrow(
      /matches the document/,
    );
    await expect(check(404, { error: { code: 'invitation_not_found', message: 'Gone.' } })).rejects.toThrow(/documents status 404/);
    await expect(check(400, { error: { code: 'seat_limit_reached', message: 'Full.' } })).rejects.toThrow(/matches the document/);
    await expect(check(200, { invitations: [invitation], nextCursor: null })).resolves.toBeTruthy();
  });
});

describe('invitation requests against the document', () => {
  it('open (201, then 200), list, approve (then 409), deny, and their documented refusals', async () => {
    const email = freshEmail('contract-request');
    const opened = await call(OPEN_REQUEST, 'POST', '/api/invitation-requests', { headers: key(writeKey), body: { email, reason: 'HR' } });
    expect(opened.status).toBe(201);
    const id = (opened.body as unknown as { request: { id: string } }).request.id;
    expect((await call(OPEN_REQUEST, 'POST', '/api/invitation-requests', { headers: browser(maxSession), body: { email } })).status).toBe(
      200,
    );
    expect((await call(OPEN_REQUEST, 'POST', '/api/invitation-requests', { headers: key(writeKey), body: { email: 'nope' } })).status).toBe(
      400,
    );
    expect((await call(LIST_REQUESTS, 'GET', '/api/invitation-requests?status=PENDING', { headers: key(writeKey) })).status).toBe(200);
    expect((await call(LIST_REQUESTS, 'GET', '/api/invitation-requests', { headers: key(readKey) })).status).toBe(403);
    const approved = await call(APPROVE_REQUEST, 'POST', `/api/invitation-requests/${id}/approve`, {
      headers: key(writeKey),
      body: { note: 'ok' },
      params: { id },
    });
    expect(approved.status).toBe(200);
    const again = await call(APPROVE_REQUEST, 'POST', `/api/invitation-requests/${id}/approve`, { headers: key(writeKey), params: { id } });
    expect(again.status).toBe(409);
    const other = freshEmail('contract-deny');
    const second = await call(OPEN_REQUEST, 'POST', '/api/invitation-requests', { headers: key(writeKey), body: { email: other } });
    const otherId = (second.body as unknown as { request: { id: string } }).request.id;
    expect(
      (await call(DENY_REQUEST, 'POST', `/api/invitation-requests/${otherId}/deny`, { headers: key(writeKey), params: { id: otherId } }))
        .status,
    ).toBe(200);
    expect(
      (await call(DENY_REQUEST, 'POST', '/api/invitation-requests/nope/deny', { headers: key(writeKey), params: { id: 'nope' } })).status,
    ).toBe(404);
  });
});

describe('coverage of the contract', () => {
  // Runs last (vitest keeps file order): a new operation in the document needs its case above.
  it('called every operation of the document at least once', () => {
    expect(OPERATIONS.map((op) => op.operationId).filter((id) => !exercised.has(id))).toEqual([]);
  });
});
