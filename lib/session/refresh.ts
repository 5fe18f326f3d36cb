/**
 * Server-side access-token refresh, single-flight.
 *
 * Scalekit rotates refresh tokens: each one works once. Two requests that both try to refresh
 * with the same token would see the second refused, and a refused refresh ends the session — the
 * "parallel tabs log me out" bug other SDKs ship. So exactly one refresh per session runs at a
 * time, at two levels:
 * - in this process, concurrent callers share one promise (a Map keyed by session id);
 * - across processes, the refresher first takes a lease on the Session row with a conditional
 *   UPDATE (lease free or past, version unchanged). A loser does not call Scalekit: it waits and
 *   re-reads the row until the winner has stored the rotated token (version bumped) or the lease
 *   has lapsed (winner crashed) and it may try itself.
 *
 * The cookie never changes on refresh (it names the row, not the tokens), so this works from a
 * server component, which cannot set cookies.
 */

import { decodeJwt } from 'jose';
import { db } from '@/lib/db';
import { errorForLog, log } from '@/lib/log';
import { getScalekit } from '@/lib/scalekit/client';
import { getActiveSession, readRefreshToken, revokeSession, storeRefreshedTokens, type SessionRecord } from '@/lib/session/store';

/** Refresh this long before the access token expires, so a request never uses a dying token. */
export const REFRESH_SKEW_MS = 30_000;
/** How long a refresher may hold the row; longer than the SDK's default 10 s call deadline would be pointless. */
export const REFRESH_LEASE_MS = 10_000;
/** A loser re-reads the row this often while the winner works. */
const WAIT_STEP_MS = 50;
/**
 * While Scalekit cannot be reached, a session whose access token expired less than this long
 * ago keeps working (its row is live; only the proof from Scalekit is stale). Beyond it the
 * request is treated as signed out, so an outage cannot extend a session Scalekit has ended.
 */
export const OUTAGE_GRACE_MS = 5 * 60_000;

export type RefreshResult =
  | { status: 'fresh'; session: SessionRecord }
  | { status: 'refreshed'; session: SessionRecord }
  /** Scalekit refused the refresh token (revoked, rotated away, membership gone): the row is revoked. */
  | { status: 'ended' }
  /** Scalekit could not be asked (network, 5xx, timeout); nothing was changed. */
  | { status: 'unavailable'; session: SessionRecord };

export interface RefreshOptions {
  now?: () => number;
  /** Test hook: called once per real call to Scalekit. */
  onScalekitCall?: () => void;
}

export function needsRefresh(session: Pick<SessionRecord, 'accessTokenExpiresAt'>, now: number = Date.now()): boolean {
  return session.accessTokenExpiresAt.getTime() - REFRESH_SKEW_MS <= now;
}

const inFlight = new Map<string, Promise<RefreshResult>>();

/**
 * Returns the session with a usable access token, refreshing it first when due. Callers in the
 * same process that arrive during a refresh wait for that same refresh.
 */
export function ensureFreshSession(session: SessionRecord, options: RefreshOptions = {}): Promise<RefreshResult> {
  const now = options.now ?? Date.now;
  if (!needsRefresh(session, now())) return Promise.resolve({ status: 'fresh', session });
  let pending = inFlight.get(session.id);
  if (!pending) {
    pending = refreshWithLease(session.id, options).finally(() => inFlight.delete(session.id));
    inFlight.set(session.id, pending);
  }
  return pending;
}

/** Refresh calls currently running in this process (tests, metrics). */
export function refreshesInFlight(): number {
  return inFlight.size;
}

async function refreshWithLease(sessionId: string, options: RefreshOptions): Promise<RefreshResult> {
  const now = options.now ?? Date.now;
  // The winner holds the lease for at most REFRESH_LEASE_MS; waiting a little longer than that
  // covers a winner that crashed, after which this caller takes the lease itself.
  const giveUpAt = now() + REFRESH_LEASE_MS + 5_000;
  for (;;) {
    const session = await getActiveSession(sessionId, new Date(now()));
    if (!session) return { status: 'ended' };
    if (!needsRefresh(session, now())) return { status: 'refreshed', session };

    const leaseUntil = new Date(now() + REFRESH_LEASE_MS);
    const { count } = await db.session.updateMany({
      where: {
        id: sessionId,
        version: session.version,
        revokedAt: null,
        OR: [{ refreshLeaseUntil: null }, { refreshLeaseUntil: { lt: new Date(now()) } }],
      },
      data: { refreshLeaseUntil: leaseUntil },
    });
    if (count === 1) return refreshHoldingLease(session, options);

    if (now() >= giveUpAt) return { status: 'unavailable', session };
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

async function refreshHoldingLease(session: SessionRecord, options: RefreshOptions): Promise<RefreshResult> {
  let refreshToken: string;
  try {
    const stored = await readRefreshToken(session.id);
    if (!stored) return { status: 'ended' };
    refreshToken = stored.refreshToken;
  } catch (error) {
    // A row that no longer decrypts (SESSION_SECRET rotated, tampered) cannot be refreshed ever.
    log.warn({ sessionId: session.id, err: errorForLog(error) }, 'session refresh token unreadable; ending session');
    await revokeSession(session.id, 'refresh_unreadable');
    return { status: 'ended' };
  }

  let tokens: { accessToken: string; refreshToken: string };
  try {
    options.onScalekitCall?.();
    tokens = await getScalekit().refreshAccessToken(refreshToken);
  } catch (error) {
    if (isRefusal(error)) {
      await revokeSession(session.id, 'refresh_refused');
      log.info({ sessionId: session.id }, 'Scalekit refused the refresh token; session ended');
      return { status: 'ended' };
    }
    await releaseLease(session);
    log.warn({ sessionId: session.id, err: errorForLog(error) }, 'session refresh failed; will retry on a later request');
    return { status: 'unavailable', session };
  }

  const accessTokenExpiresAt = accessTokenExpiry(tokens.accessToken);
  const stored = await storeRefreshedTokens({
    sessionId: session.id,
    expectedVersion: session.version,
    refreshToken: tokens.refreshToken,
    accessTokenExpiresAt,
  });
  // Revoked while Scalekit answered (logout in another tab): the new tokens are simply dropped.
  const updated = stored ? await getActiveSession(session.id) : null;
  return updated ? { status: 'refreshed', session: updated } : { status: 'ended' };
}

async function releaseLease(session: SessionRecord): Promise<void> {
  await db.session.updateMany({ where: { id: session.id, version: session.version }, data: { refreshLeaseUntil: null } }).catch(() => {});
}

/** Access-token expiry from its `exp`; the SDK's refresh result carries no expires_in. */
export function accessTokenExpiry(accessToken: string, now: number = Date.now()): Date {
  try {
    const { exp } = decodeJwt(accessToken);
    if (typeof exp === 'number') return new Date(exp * 1000);
  } catch {
    // Opaque token: fall through to a conservative lifetime.
  }
  return new Date(now + 60_000);
}

/**
 * The SDK turns every token-endpoint failure into a plain Error whose message still carries
 * axios's "status code NNN". A 400/401 from the token endpoint is an OAuth refusal
 * (invalid_grant / invalid_client): retrying cannot help. Anything else is transient.
 */
export function isRefusal(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /status code 40[01]\b/.test(message) || /invalid_grant/.test(message);
}
