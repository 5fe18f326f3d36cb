import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { POST as logout } from '@/app/api/auth/logout/route';
import { POST as logoutAll } from '@/app/api/auth/logout-all/route';
import { POST as switchOrg } from '@/app/api/auth/switch-org/route';
import { POST as invite } from '@/app/api/invitations/route';
import { POST as webhook } from '@/app/api/webhooks/scalekit/route';
import { useInvitationTestbed } from '@/lib/invitations/testing';
import { signedInSession } from '@/lib/session/testing';

/**
 * Every route in app/api that reads a body stops at its limit while streaming: a lazily made
 * 128 MB body is refused with 413 in the JSON error shape after at most limit + one chunk was
 * pulled from it, with or without Content-Length. Before the streaming reader, `request.text()`
 * / `.json()` / `.formData()` pulled all 128 MB first.
 */

process.env.SCALEKIT_WEBHOOK_SECRET = 'whsec_dGVhbWdhdGUtZGV2LXdlYmhvb2stc2VjcmV0LW5vdC1yZWFs';
const bed = await useInvitationTestbed();
const { prisma } = bed.db;

const APP = 'http://localhost:3000';
const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

function lazyBody(total: number) {
  const counter = { pulledBytes: 0 };
  const piece = new Uint8Array(CHUNK).fill(0x61);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulledBytes >= total) return controller.close();
        counter.pulledBytes += CHUNK;
        controller.enqueue(piece);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

function upload(path: string, headers: Record<string, string>, withLength: boolean) {
  const { stream, counter } = lazyBody(128 * MB);
  const request = new NextRequest(`${APP}${path}`, {
    method: 'POST',
    headers: { ...headers, ...(withLength ? { 'content-length': String(128 * MB) } : {}) },
    body: stream,
    duplex: 'half',
  } as ConstructorParameters<typeof NextRequest>[1]);
  return { request, counter };
}

async function expectRefused(response: Response, counter: { pulledBytes: number }, limit: number, withLength: boolean) {
  expect(response.status).toBe(413);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error).toEqual({ code: 'body_too_large', message: expect.stringMatching(/^The request body is larger than \d+ KB/) });
  if (withLength) expect(counter.pulledBytes).toBe(0);
  else expect(counter.pulledBytes).toBeLessThanOrEqual(limit + CHUNK);
}

/** A signed-in browser's headers (cookie, CSRF token, same-origin provenance) for a fresh session of Ada's. */
async function signedIn() {
  const { session, cookie, csrf } = await signedInSession('usr_ada', 'org_acme');
  return { session, headers: { cookie, origin: APP, 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf } };
}
const { session, headers: browser } = await signedIn();

describe.each([
  ['chunked (no Content-Length)', false],
  ['with a Content-Length', true],
] as const)('a 128 MB body, %s', (_label, withLength) => {
  it('POST /api/webhooks/scalekit: 413 after at most 256 KB + one chunk, nothing processed', async () => {
    // The demo seed keeps its own marker rows in ProcessedWebhook; only a new row would mean a processed event.
    const before = await prisma.processedWebhook.count();
    const { request, counter } = upload(
      '/api/webhooks/scalekit',
      { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.77' },
      withLength,
    );
    await expectRefused(await webhook(request), counter, 256 * 1024, withLength);
    expect(await prisma.processedWebhook.count()).toBe(before);
  });

  it('POST /api/invitations (session + CSRF): 413 after at most 256 KB + one chunk, nothing invited', async () => {
    const before = await prisma.membership.count();
    const { request, counter } = upload('/api/invitations', { ...browser, 'content-type': 'application/json' }, withLength);
    await expectRefused(await invite(request), counter, 256_000, withLength);
    expect(await prisma.membership.count()).toBe(before);
  });

  it('POST /api/auth/switch-org (JSON): 413, the session unchanged', async () => {
    const { request, counter } = upload(
      '/api/auth/switch-org',
      { ...browser, 'content-type': 'application/json', accept: 'application/json' },
      withLength,
    );
    await expectRefused(await switchOrg(request), counter, 16 * 1024, withLength);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).toBeNull();
  });

  it('POST /api/auth/logout and /logout-all (form): 413, still signed in', async () => {
    // A session of its own: had the limit failed, these would have signed it out.
    const own = await signedIn();
    for (const [path, route] of [
      ['/api/auth/logout', logout],
      ['/api/auth/logout-all', logoutAll],
    ] as const) {
      const { request, counter } = upload(path, { ...own.headers, 'content-type': 'application/x-www-form-urlencoded' }, withLength);
      await expectRefused(await route(request), counter, 16 * 1024, withLength);
    }
    expect((await prisma.session.findUniqueOrThrow({ where: { id: own.session.id } })).revokedAt).toBeNull();
  });
});
