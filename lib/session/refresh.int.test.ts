import { describe, expect, it } from 'vitest';
import { loadSessionContext } from '@/lib/auth/guards';
import { countTokenCalls, signedInCookie, startAuthStack } from '@/lib/auth/test-support';
import { getScalekit } from '@/lib/scalekit/client';
import { ensureFreshSession, refreshesInFlight } from '@/lib/session/refresh';
import { getActiveSession, readRefreshToken } from '@/lib/session/store';

const stack = await startAuthStack();
const { prisma } = stack.db;

async function expireAccessToken(sessionId: string) {
  await prisma.session.update({ where: { id: sessionId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1_000) } });
}

describe('server-side refresh (real SDK against the emulator)', () => {
  it('10 parallel requests with an expired access token: exactly one refresh reaches Scalekit, all 10 succeed', async () => {
    const { cookie, session } = await signedInCookie(stack, 'ada@acme.test');
    const before = await readRefreshToken(session.id);
    await expireAccessToken(session.id);
    // A slow token endpoint widens the race window that a missing single-flight would lose.
    const counter = await countTokenCalls(stack, 150);
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => loadSessionContext(cookie)));
      expect(results.every((ctx) => ctx?.user.email === 'ada@acme.test')).toBe(true);
      expect(await counter.calls()).toBe(1);
    } finally {
      await counter.stop();
    }
    const row = await prisma.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.version).toBe(session.version + 1);
    expect(row.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(row.refreshLeaseUntil).toBeNull();
    // Rotated: the stored token changed, and it still works for the next refresh.
    const after = await readRefreshToken(session.id);
    expect(after!.refreshToken).not.toBe(before!.refreshToken);
    await expireAccessToken(session.id);
    expect(await loadSessionContext(cookie)).not.toBeNull();
    expect(refreshesInFlight()).toBe(0);
  });

  it('across processes: while another instance holds the lease, this one waits and uses its result without calling Scalekit', async () => {
    const { session } = await signedInCookie(stack, 'max@acme.test');
    await prisma.session.update({
      where: { id: session.id },
      data: { accessTokenExpiresAt: new Date(Date.now() - 1_000), refreshLeaseUntil: new Date(Date.now() + 10_000) },
    });
    const stale = (await getActiveSession(session.id))!;
    let scalekitCalls = 0;
    const waiting = ensureFreshSession(stale, { onScalekitCall: () => scalekitCalls++ });
    // The other instance finishes: rotated token stored, version bumped, lease released.
    await new Promise((r) => setTimeout(r, 200));
    await prisma.session.update({
      where: { id: session.id },
      data: { version: { increment: 1 }, accessTokenExpiresAt: new Date(Date.now() + 300_000), refreshLeaseUntil: null },
    });
    const result = await waiting;
    expect(result.status).toBe('refreshed');
    expect(scalekitCalls).toBe(0);
  });

  it('a lapsed lease (its holder crashed) is taken over', async () => {
    const { session } = await signedInCookie(stack, 'max@acme.test');
    await prisma.session.update({
      where: { id: session.id },
      data: { accessTokenExpiresAt: new Date(Date.now() - 1_000), refreshLeaseUntil: new Date(Date.now() - 1) },
    });
    let scalekitCalls = 0;
    const result = await ensureFreshSession((await getActiveSession(session.id))!, { onScalekitCall: () => scalekitCalls++ });
    expect(result.status).toBe('refreshed');
    expect(scalekitCalls).toBe(1);
  });

  it('a refresh Scalekit refuses (session revoked there) ends the session row', async () => {
    const { cookie, session } = await signedInCookie(stack, 'max@acme.test');
    await getScalekit().session.revokeSession(session.scalekitSessionId!);
    await expireAccessToken(session.id);
    expect(await loadSessionContext(cookie)).toBeNull();
    const row = await prisma.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.revokedAt).not.toBeNull();
    expect(row.revokedReason).toBe('refresh_refused');
  });

  it('Scalekit unreachable: the session keeps working within the grace period, and nothing is revoked', async () => {
    const { cookie, session } = await signedInCookie(stack, 'max@acme.test');
    await expireAccessToken(session.id);
    await fetch(`${stack.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: '/oauth/token', httpStatus: 503, count: 1 }),
    });
    expect((await loadSessionContext(cookie))?.user.email).toBe('max@acme.test');
    const row = await prisma.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.revokedAt).toBeNull();
    expect(row.refreshLeaseUntil).toBeNull();
    expect(row.version).toBe(session.version);
    // The fault is used up: the next request refreshes for real.
    expect(await loadSessionContext(cookie)).not.toBeNull();
    expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).version).toBe(session.version + 1);
  });

  it('Scalekit unreachable long after expiry: treated as signed out (an outage cannot extend a session)', async () => {
    const { cookie, session } = await signedInCookie(stack, 'max@acme.test');
    await prisma.session.update({ where: { id: session.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 10 * 60_000) } });
    await fetch(`${stack.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: '/oauth/token', httpStatus: 503, count: 1 }),
    });
    expect(await loadSessionContext(cookie)).toBeNull();
    expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).toBeNull();
  });
});
