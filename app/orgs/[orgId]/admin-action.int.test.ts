import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors/app-error';
import { useInvitationTestbed } from '@/lib/invitations/testing';
import { signedInSession } from '@/lib/session/testing';

/**
 * adminAction, the one wrapper of org-admin server actions: input parsed once, then the real
 * session check against PostgreSQL, then the body; every failure an ActionResult. Only Next.js's
 * request scope (cookies/headers) is stood in for, as in team/actions.int.test.ts.
 */

const request = vi.hoisted(() => ({ cookie: '' }));
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (request.cookie.startsWith(`${name}=`) ? { name, value: request.cookie.slice(name.length + 1) } : undefined),
  }),
  headers: async () => new Headers({ cookie: request.cookie, 'user-agent': 'vitest-admin-action', 'x-request-id': 'req_admin_action' }),
}));

await useInvitationTestbed();
const { adminAction, orgIdSchema } = await import('./admin-action');

async function signInAs(userId: string, organizationId: string): Promise<void> {
  request.cookie = (await signedInSession(userId, organizationId)).cookie;
}

const input = z.object({
  orgId: orgIdSchema,
  name: z.string().min(1, 'Enter a name.'),
  size: z.number({ error: 'Size must be a number.' }),
});

describe('adminAction', () => {
  it('runs the body with an Actor built from the action’s own headers (no stand-in Request)', async () => {
    await signInAs('usr_ada', 'org_acme');
    let seen: Actor | null = null;
    const act = adminAction('org:settings', input, async (parsed, actor) => {
      seen = actor;
      return { message: `ok ${parsed.name}` };
    });
    expect(await act({ orgId: 'org_acme', name: 'n', size: 1 })).toEqual({ ok: true, message: 'ok n' });
    expect(seen).toMatchObject({
      kind: 'user',
      userId: 'usr_ada',
      organizationId: 'org_acme',
      role: 'admin',
      request: { userAgent: 'vitest-admin-action', requestId: 'req_admin_action' },
    });
  });

  it('passes every field error through, and the body never runs on bad input', async () => {
    await signInAs('usr_ada', 'org_acme');
    const body = vi.fn(async () => ({ message: 'ran' }));
    const result = await adminAction('org:settings', input, body)({ orgId: 'org_acme', name: '', size: 'x' });
    expect(result).toEqual({
      ok: false,
      error: 'Enter a name.',
      code: 'validation_failed',
      fieldErrors: { name: 'Enter a name.', size: 'Size must be a number.' },
    });
    expect(body).not.toHaveBeenCalled();
  });

  it('refuses an org id that is not one, a member, and a signed-out caller, with sentences a person can act on', async () => {
    const body = vi.fn(async () => ({ message: 'ran' }));
    const act = adminAction('org:settings', input, body);
    await signInAs('usr_max', 'org_acme');
    expect(await act({ orgId: '../org_acme', name: 'n', size: 1 })).toMatchObject({ ok: false, error: 'Unknown organization.' });
    expect(await act({ orgId: 'org_acme', name: 'n', size: 1 })).toMatchObject({
      ok: false,
      code: 'forbidden',
      error: 'Your role in this organization does not allow that. Ask an admin.',
    });
    await signInAs('usr_ada', 'org_acme');
    expect(await act({ orgId: 'org_globex', name: 'n', size: 1 })).toMatchObject({ ok: false, code: 'forbidden' });
    request.cookie = '';
    expect(await act({ orgId: 'org_acme', name: 'n', size: 1 })).toMatchObject({
      ok: false,
      code: 'unauthenticated',
      error: 'Your session has ended. Sign in again to continue.',
    });
    expect(body).not.toHaveBeenCalled();
  });

  it('an AppError from the body keeps its sentence; anything else is logged and answered generically', async () => {
    await signInAs('usr_ada', 'org_acme');
    expect(
      await adminAction('org:settings', input, async () =>
        Promise.reject(new AppError('seat_limit_reached', 'Acme has used all 5 seats.')),
      )({
        orgId: 'org_acme',
        name: 'n',
        size: 1,
      }),
    ).toEqual({
      ok: false,
      code: 'seat_limit_reached',
      error: 'Acme has used all 5 seats.',
    });
    const generic = await adminAction('org:settings', input, async () =>
      Promise.reject(new Error('connection string postgres://secret@db')),
    )({
      orgId: 'org_acme',
      name: 'n',
      size: 1,
    });
    expect(generic).toMatchObject({ ok: false, error: expect.stringMatching(/^Something went wrong on our side\./) });
    expect(JSON.stringify(generic)).not.toContain('secret');
  });
});
