import { describe, expect, it } from 'vitest';
import { createApiKey } from '@/lib/api-keys/service';
import { ada, freshEmail, gina, scalekitMembersWithEmail, useInvitationTestbed } from '@/lib/invitations/testing';
import { signedInSession } from '@/lib/session/testing';
import { POST as APPROVE } from './[id]/approve/route';
import { POST as DENY } from './[id]/deny/route';
import { GET, POST } from './route';

const bed = await useInvitationTestbed();
const { prisma } = bed.db;
const APP = 'http://localhost:3000';

type Caller = { headers: Record<string, string> };

function browser(s: { cookie: string; csrf: string }): Caller {
  return { headers: { cookie: s.cookie, origin: APP, 'sec-fetch-site': 'same-origin', 'x-csrf-token': s.csrf } };
}
const machine = (key: string): Caller => ({ headers: { authorization: `Bearer ${key}` } });

function req(method: string, path: string, caller: Caller, body?: unknown): Request {
  return new Request(`${APP}${path}`, {
    method,
    headers: { ...caller.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

interface Body {
  created?: boolean;
  outcome?: string;
  request: { id: string; status: string } & Record<string, unknown>;
  requests: Array<{ id: string; status: string }>;
  nextCursor: string | null;
  invitation: { id: string; email: string } & Record<string, unknown>;
  error: { code: string; message: string };
}

async function call(res: Promise<Response>): Promise<{ status: number; body: Body }> {
  const r = await res;
  return { status: r.status, body: (await r.json()) as Body };
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

const writeKey = (await createApiKey(ada, 'org_acme', 'HR sync', { scopes: ['invitations:write'] })).secret;
const readKey = (await createApiKey(ada, 'org_acme', 'Reader', { scopes: ['invitations:read'] })).secret;
const globexKey = (await createApiKey(gina, 'org_globex', 'Globex CRM', { scopes: ['invitations:write'] })).secret;
const maxSession = await signedInSession('usr_max', 'org_acme');
const adaSession = await signedInSession('usr_ada', 'org_acme');

describe('/api/invitation-requests', () => {
  it('an API key opens a request (201, then 200 for the same address), lists it, approves it once (then 409), and the invitation is the pipeline’s', async () => {
    const email = freshEmail('api-req');
    const opened = await call(
      POST(req('POST', '/api/invitation-requests', machine(writeKey), { email, role: 'member', reason: 'From HR' })),
    );
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      created: true,
      request: { email, status: 'PENDING', source: 'MEMBER', origin: 'api', requestedBy: 'HR sync' },
    });
    const again = await call(POST(req('POST', '/api/invitation-requests', machine(writeKey), { email })));
    expect(again).toMatchObject({ status: 200, body: { created: false, request: { id: opened.body.request.id } } });

    const listed = await call(GET(req('GET', '/api/invitation-requests?status=PENDING&limit=1', machine(writeKey))));
    expect(listed.status).toBe(200);
    expect(listed.body.requests.map((r) => r.id)).toEqual([opened.body.request.id]);

    const approved = await call(
      APPROVE(
        req('POST', `/api/invitation-requests/${opened.body.request.id}/approve`, machine(writeKey), { note: 'ok' }),
        params(opened.body.request.id),
      ),
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      outcome: 'invited',
      request: { status: 'APPROVED', decidedBy: 'HR sync', decisionNote: 'ok' },
      invitation: { email },
    });
    expect(approved.body.request.invitationId).toBe(approved.body.invitation.id);
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(1);

    const twice = await call(
      APPROVE(req('POST', `/api/invitation-requests/${opened.body.request.id}/approve`, machine(writeKey)), params(opened.body.request.id)),
    );
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('request_decided');
    expect(twice.body.error.message).toMatch(/already approved by HR sync/);
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(1);
  });

  it('a member asks through the session; only inviters list and decide; keys need invitations:write; another organization sees nothing', async () => {
    const email = freshEmail('session-req');
    const opened = await call(POST(req('POST', '/api/invitation-requests', browser(maxSession), { email, role: 'member' })));
    expect(opened.status).toBe(201);
    expect(opened.body.request).toMatchObject({ requestedBy: 'max@acme.test', origin: 'form' });
    const id = opened.body.request.id;

    expect((await call(GET(req('GET', '/api/invitation-requests', browser(maxSession))))).status).toBe(403);
    expect((await call(APPROVE(req('POST', `/api/invitation-requests/${id}/approve`, browser(maxSession)), params(id)))).status).toBe(403);
    expect((await call(GET(req('GET', '/api/invitation-requests', machine(readKey))))).status).toBe(403);
    const readPost = await call(POST(req('POST', '/api/invitation-requests', machine(readKey), { email: freshEmail() })));
    expect(readPost.status).toBe(403);
    expect(readPost.body.error.message).toMatch(/invitations:write/);

    const foreign = await call(DENY(req('POST', `/api/invitation-requests/${id}/deny`, machine(globexKey)), params(id)));
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'request_not_found' } } });
    const globexList = await call(GET(req('GET', '/api/invitation-requests', machine(globexKey))));
    expect(globexList.body.requests.some((r) => r.id === id)).toBe(false);

    const denied = await call(
      DENY(req('POST', `/api/invitation-requests/${id}/deny`, browser(adaSession), { note: 'Not now' }), params(id)),
    );
    expect(denied).toMatchObject({
      status: 200,
      body: { request: { status: 'DENIED', decisionNote: 'Not now', decidedBy: 'ada@acme.test' } },
    });
    expect(await prisma.auditEvent.count({ where: { action: 'request.denied', targetId: id } })).toBe(1);
  });

  it('refuses bad input with a 400 naming the problem, and changes nothing', async () => {
    const before = await prisma.invitationRequest.count();
    const unknownField = await call(POST(req('POST', '/api/invitation-requests', machine(writeKey), { email: freshEmail(), admin: true })));
    expect(unknownField.status).toBe(400);
    const badEmail = await call(POST(req('POST', '/api/invitation-requests', machine(writeKey), { email: 'nope' })));
    expect(badEmail).toMatchObject({ status: 400, body: { error: { code: 'invalid_email' } } });
    const badStatus = await call(GET(req('GET', '/api/invitation-requests?status=MAYBE', machine(writeKey))));
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.message).toMatch(/status must be PENDING/);
    const badNote = await call(
      DENY(req('POST', '/api/invitation-requests/x/deny', machine(writeKey), { note: 'n'.repeat(501) }), params('x')),
    );
    expect(badNote.status).toBe(400);
    expect(await prisma.invitationRequest.count()).toBe(before);
  });
});
