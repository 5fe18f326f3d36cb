import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '@/lib/api-keys/service';
import { ada, freshEmail, gina, scalekitMembersWithEmail, useInvitationTestbed } from '@/lib/invitations/testing';
import { signedInSession } from '@/lib/session/testing';
import { DELETE } from './[id]/route';
import { POST as RESEND } from './[id]/resend/route';
import { GET, POST } from './route';

const bed = await useInvitationTestbed();
const { prisma } = bed.db;
const APP = 'http://localhost:3000';

interface Caller {
  headers: Record<string, string>;
}

async function sessionFor(userId: string, organizationId: string): Promise<{ cookie: string; csrf: string }> {
  return signedInSession(userId, organizationId);
}

function browser(s: { cookie: string; csrf: string }, { csrf = true, origin = APP } = {}): Caller {
  return {
    headers: {
      cookie: s.cookie,
      origin,
      'sec-fetch-site': origin === APP ? 'same-origin' : 'cross-site',
      ...(csrf ? { 'x-csrf-token': s.csrf } : {}),
    },
  };
}

function machine(key: string): Caller {
  return { headers: { authorization: `Bearer ${key}` } };
}

const anonymous: Caller = { headers: {} };

function req(method: string, path: string, caller: Caller, body?: unknown): Request {
  return new Request(`${APP}${path}`, {
    method,
    headers: { ...caller.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The response shapes these tests read: an invitation, a batch, a list, or an error. */
interface ApiBody {
  outcome?: string;
  invitation: { id: string } & Record<string, unknown>;
  invitations: Array<{ id: string } & Record<string, unknown>>;
  results: Array<{ ok: boolean; status: number } & Record<string, unknown>>;
  summary: Record<string, number>;
  error: { code: string; message: string; fields?: Record<string, string> };
}

async function call(res: Response | Promise<Response>): Promise<{ status: number; body: ApiBody }> {
  const r = await res;
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

const acmeKey = (await createApiKey(ada, 'org_acme', 'HR sync')).secret;
const globexKey = (await createApiKey(gina, 'org_globex', 'Globex CRM')).secret;
const readKey = (await createApiKey(ada, 'org_acme', 'Reader', { scopes: ['invitations:read'] })).secret;
const writeKey = (await createApiKey(ada, 'org_acme', 'Writer', { scopes: ['invitations:write'] })).secret;
const membersKey = (await createApiKey(ada, 'org_acme', 'Directory', { scopes: ['members:read'] })).secret;
const adaSession = await sessionFor('usr_ada', 'org_acme');
const maxSession = await sessionFor('usr_max', 'org_acme');
const ginaSession = await sessionFor('usr_gina', 'org_globex');

describe('POST /api/invitations', () => {
  it('invites with an API key, and the same invite through the session is recognised, not repeated', async () => {
    const email = freshEmail('api');
    const byKey = await call(
      POST(
        req('POST', '/api/invitations', machine(acmeKey), {
          email,
          role: 'member',
          name: 'Api Person',
          externalId: `crm-${Date.now()}`,
          metadata: { source: 'crm' },
        }),
      ),
    );
    expect(byKey.status).toBe(201);
    expect(byKey.body).toMatchObject({
      outcome: 'invited',
      invitation: { email, role: 'member', status: 'PENDING_INVITE', syncState: 'SYNCED', metadata: { source: 'crm' } },
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'invitation.created', targetLabel: email } });
    expect(audit).toMatchObject({ actorType: 'api_key', actorLabel: 'HR sync' });
    expect(audit.metadata).toMatchObject({ source: 'api' });

    const bySession = await call(POST(req('POST', '/api/invitations', browser(adaSession), { email })));
    expect(bySession).toMatchObject({ status: 200, body: { outcome: 'already_invited', invitation: { id: byKey.body.invitation.id } } });
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(1);

    const other = freshEmail('session');
    const fresh = await call(POST(req('POST', '/api/invitations', browser(adaSession), { email: other, role: 'admin' })));
    expect(fresh).toMatchObject({
      status: 201,
      body: { outcome: 'invited', invitation: { email: other, role: 'admin', inviterEmail: 'ada@acme.test' } },
    });
  });

  it('refuses a revoked key, another org’s key, a missing or forged CSRF token, a foreign origin and no credentials — changing nothing', async () => {
    const { apiKey, secret } = await createApiKey(ada, 'org_acme', 'Soon revoked');
    await revokeApiKey(ada, 'org_acme', apiKey.id);
    const email = freshEmail('refused');
    const cases: Array<[Caller, string, number, string]> = [
      [machine(secret), '/api/invitations', 401, 'invalid_api_key'],
      [machine(globexKey), '/api/invitations?organizationId=org_acme', 403, 'forbidden'],
      [browser(adaSession, { csrf: false }), '/api/invitations', 403, 'csrf_failed'],
      [
        { headers: { ...browser(adaSession).headers, 'x-csrf-token': (await sessionFor('usr_ada', 'org_acme')).csrf } },
        '/api/invitations',
        403,
        'csrf_failed',
      ],
      [browser(adaSession, { origin: 'https://evil.example' }), '/api/invitations', 403, 'csrf_failed'],
      [browser(maxSession), '/api/invitations', 403, 'forbidden'],
      [browser(ginaSession), '/api/invitations?organizationId=org_acme', 403, 'forbidden'],
      [anonymous, '/api/invitations', 401, 'unauthenticated'],
    ];
    for (const [caller, path, status, code] of cases) {
      const res = await call(POST(req('POST', path, caller, { email })));
      expect([path, res.status, res.body.error.code]).toEqual([path, status, code]);
      expect(res.body.error.message).toEqual(expect.any(String));
    }
    expect(await prisma.membership.count({ where: { email } })).toBe(0);
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(0);
  });

  it('an org’s key invites into its own organization only', async () => {
    const email = freshEmail('g', 'globex.test');
    const res = await call(POST(req('POST', '/api/invitations', machine(globexKey), { email })));
    expect(res.status).toBe(201);
    expect((await prisma.membership.findFirstOrThrow({ where: { email } })).organizationId).toBe('org_globex');
  });

  it('answers bad bodies with clear 4xx JSON errors', async () => {
    expect(await call(POST(req('POST', '/api/invitations', machine(acmeKey), '{"email":')))).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_json' } },
    });
    const wrongType = new Request(`${APP}/api/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acmeKey}`, 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(await call(POST(wrongType))).toMatchObject({ status: 415 });
    expect(await call(POST(req('POST', '/api/invitations', machine(acmeKey), { email: 'nope', role: 'god mode!' })))).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_email', fields: { email: expect.any(String), role: expect.any(String) } } },
    });
    expect(await call(POST(req('POST', '/api/invitations', machine(acmeKey), { email: freshEmail('d', 'gmail.test') })))).toMatchObject({
      status: 201,
    });
    expect(await call(POST(req('POST', '/api/invitations', machine(globexKey), { email: freshEmail('d', 'gmail.test') })))).toMatchObject({
      status: 422,
      body: { error: { code: 'domain_not_allowed' } },
    });
    expect(await call(POST(req('POST', '/api/invitations', machine(acmeKey), 'x'.repeat(300_000))))).toMatchObject({ status: 413 });
  });

  it('never answers 500 to generated bad bodies (≥ 200 inputs)', async () => {
    const before = await prisma.membership.count();
    const badBody = fc.oneof(
      fc.anything(),
      fc.record(
        {
          email: fc.oneof(
            fc.string({ maxLength: 20 }).filter((s) => !s.includes('@')),
            fc.integer(),
            fc.constant(null),
          ),
          role: fc.anything(),
        },
        { requiredKeys: ['email'] },
      ),
      fc.record({ email: fc.constant('ok@x.test'), role: fc.string({ maxLength: 8 }).filter((r) => r !== 'admin' && r !== 'member') }),
      fc.record({ invitations: fc.oneof(fc.anything(), fc.array(fc.anything(), { minLength: 101, maxLength: 102 }), fc.constant([])) }),
    );
    await fc.assert(
      fc.asyncProperty(badBody, async (body) => {
        const res = await call(POST(req('POST', '/api/invitations', machine(acmeKey), JSON.stringify(body) ?? 'null')));
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.body.error.message.length).toBeGreaterThan(5);
        else for (const r of res.body.results) expect(r.ok ? true : r.status < 500).toBe(true);
      }),
      { numRuns: 220 },
    );
    expect(await prisma.membership.count()).toBe(before);
  });

  it('invites a batch and reports each item', async () => {
    const good = freshEmail('batch');
    const res = await call(
      POST(
        req('POST', '/api/invitations', machine(acmeKey), {
          invitations: [{ email: good }, { email: 'broken' }, { email: 'max@acme.test' }],
        }),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ invited: 1, already_invited: 0, already_member: 1, held: 0, failed: 1 });
    expect(res.body.results[1]).toMatchObject({ index: 1, ok: false, status: 400, error: { code: 'invalid_email' } });
  });
});

describe('API keys act by their scopes, never as admins', () => {
  it('a key can never mint an admin: role admin, alone or in a batch, is 403 with a clear message and nothing is sent', async () => {
    const lone = freshEmail('would-be-admin');
    const single = await call(POST(req('POST', '/api/invitations', machine(acmeKey), { email: lone, role: 'admin' })));
    expect(single).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: expect.stringMatching(/An API key cannot invite someone as Admin/) } },
    });

    const innocent = freshEmail('batch-member');
    const smuggled = freshEmail('batch-admin');
    const batch = await call(
      POST(req('POST', '/api/invitations', machine(acmeKey), { invitations: [{ email: innocent }, { email: smuggled, role: 'admin' }] })),
    );
    expect(batch).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: expect.stringMatching(/An API key cannot invite someone as Admin/) } },
    });

    for (const email of [lone, innocent, smuggled]) {
      expect(await prisma.membership.count({ where: { email } })).toBe(0);
      expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(0);
    }
    expect(
      await prisma.auditEvent.count({ where: { action: 'invitation.created', targetLabel: { in: [lone, innocent, smuggled] } } }),
    ).toBe(0);
  });

  it('each call needs its scope: invitations:read lists, invitations:write invites, resends and revokes, members:read does neither', async () => {
    const email = freshEmail('scoped');
    const invited = await call(POST(req('POST', '/api/invitations', machine(writeKey), { email })));
    expect(invited.status).toBe(201);
    const id = invited.body.invitation.id as string;

    expect(await call(GET(req('GET', '/api/invitations', machine(readKey))))).toMatchObject({ status: 200 });
    const refusals: Array<[string, Response | Promise<Response>, RegExp]> = [
      ['read key invites', POST(req('POST', '/api/invitations', machine(readKey), { email: freshEmail('nope') })), /invitations:write/],
      ['read key resends', RESEND(req('POST', `/api/invitations/${id}/resend`, machine(readKey)), params(id)), /invitations:write/],
      ['read key revokes', DELETE(req('DELETE', `/api/invitations/${id}`, machine(readKey)), params(id)), /invitations:write/],
      ['write key lists', GET(req('GET', '/api/invitations', machine(writeKey))), /invitations:read/],
      ['members key lists', GET(req('GET', '/api/invitations', machine(membersKey))), /invitations:read/],
      [
        'members key invites',
        POST(req('POST', '/api/invitations', machine(membersKey), { email: freshEmail('nope') })),
        /invitations:write/,
      ],
    ];
    for (const [what, response, message] of refusals) {
      const res = await call(response);
      expect([what, res.status, res.body.error.code]).toEqual([what, 403, 'forbidden']);
      expect(res.body.error.message).toMatch(message);
    }
    expect(await prisma.membership.count({ where: { email: { startsWith: 'nope.' } } })).toBe(0);
    expect((await prisma.membership.findUniqueOrThrow({ where: { id } })).resentCount).toBe(0);
    expect((await DELETE(req('DELETE', `/api/invitations/${id}`, machine(writeKey)), params(id))).status).toBe(204);
  });

  it('an expired key is refused with 401, saying it expired', async () => {
    const { apiKey, secret } = await createApiKey(ada, 'org_acme', 'Expiring', { expiresAt: new Date(Date.now() + 86_400_000) });
    await prisma.apiKey.update({ where: { id: apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await call(GET(req('GET', '/api/invitations', machine(secret))));
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'invalid_api_key', message: expect.stringMatching(/expired/) } } });
  });

  it('invitation metadata, externalId and sync errors are listed for admins and invitations:read keys, never for a plain member', async () => {
    const email = freshEmail('private');
    await prisma.membership.create({
      data: {
        organizationId: 'org_acme',
        email,
        role: 'member',
        status: 'PENDING_INVITE',
        syncState: 'FAILED',
        syncError: 'Scalekit said: internal detail',
        externalId: 'crm-secret-42',
        metadata: { salary: 'band 7' },
      },
    });
    const find = async (caller: Caller) => {
      const res = await call(GET(req('GET', '/api/invitations?status=FAILED&limit=100', caller)));
      expect(res.status).toBe(200);
      return (res.body.invitations as Array<Record<string, unknown>>).find((i) => i.email === email)!;
    };
    const full = { externalId: 'crm-secret-42', metadata: { salary: 'band 7' }, syncError: 'Scalekit said: internal detail' };
    expect(await find(browser(adaSession))).toMatchObject(full);
    expect(await find(machine(readKey))).toMatchObject(full);

    const asMember = await find(browser(maxSession));
    expect(asMember).toMatchObject({ email, status: 'PENDING_INVITE', syncState: 'FAILED' });
    for (const field of ['externalId', 'metadata', 'syncError']) expect(asMember).not.toHaveProperty(field);
    expect(JSON.stringify(asMember)).not.toMatch(/crm-secret-42|band 7|internal detail/);
  });
});

describe('GET, resend and revoke', () => {
  it('lists, resends and revokes through the API, in the caller’s organization only', async () => {
    const email = freshEmail('lifecycle');
    const created = await call(POST(req('POST', '/api/invitations', machine(acmeKey), { email })));
    const id = created.body.invitation.id as string;

    const list = await call(GET(req('GET', '/api/invitations?limit=100', machine(acmeKey))));
    expect(list.status).toBe(200);
    expect(list.body.invitations.map((i: { id: string }) => i.id)).toContain(id);
    expect(await call(GET(req('GET', '/api/invitations?limit=1000', machine(acmeKey))))).toMatchObject({
      status: 400,
      body: { error: { fields: { limit: expect.any(String) } } },
    });
    const globexList = await call(GET(req('GET', '/api/invitations', machine(globexKey))));
    expect(globexList.body.invitations.map((i: { id: string }) => i.id)).not.toContain(id);

    // Its email went out over a minute ago, past the resend cooldown (lib/invitations/resend.int.test.ts).
    await prisma.membership.update({ where: { id }, data: { lastSentAt: new Date(Date.now() - 120_000) } });
    expect(await call(RESEND(req('POST', `/api/invitations/${id}/resend`, machine(globexKey)), params(id)))).toMatchObject({ status: 404 });
    expect(
      await call(RESEND(req('POST', `/api/invitations/${id}/resend`, browser(adaSession, { csrf: false })), params(id))),
    ).toMatchObject({ status: 403 });
    const resent = await call(RESEND(req('POST', `/api/invitations/${id}/resend`, browser(adaSession)), params(id)));
    expect(resent).toMatchObject({ status: 200, body: { invitation: { id, resentCount: 1 } } });

    expect(await call(DELETE(req('DELETE', `/api/invitations/${id}`, machine(globexKey)), params(id)))).toMatchObject({ status: 404 });
    expect(await call(DELETE(req('DELETE', `/api/invitations/${id}`, browser(maxSession)), params(id)))).toMatchObject({ status: 403 });
    expect((await DELETE(req('DELETE', `/api/invitations/${id}`, machine(acmeKey)), params(id))).status).toBe(204);
    // Idempotent: the repeat (a retry after a lost answer) is done too; for another org the id stays unknown.
    expect((await DELETE(req('DELETE', `/api/invitations/${id}`, machine(acmeKey)), params(id))).status).toBe(204);
    expect(await call(DELETE(req('DELETE', `/api/invitations/${id}`, machine(globexKey)), params(id)))).toMatchObject({ status: 404 });
    expect(await scalekitMembersWithEmail(bed.scalekit, 'org_acme', email)).toHaveLength(0);
  });

  it('maps Scalekit faults to clear retryable errors', async () => {
    await bed.fault({ target: 'CreateUserAndMembership', grpcCode: 'RESOURCE_EXHAUSTED' });
    const res = await POST(req('POST', '/api/invitations', machine(acmeKey), { email: freshEmail('busy') }));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toMatchObject({
      error: { code: 'scalekit_rate_limited', message: expect.stringMatching(/Nothing was changed/) },
    });
  });
});
