/**
 * A signed-in browser for integration tests: a real Session row (PostgreSQL), its signed cookie
 * and its CSRF token. Test-only; nothing in the app imports it.
 */
import { csrfTokenFor } from '@/lib/auth/csrf';
import { appSessionCookieName, signAppSessionCookie } from '@/lib/session/cookie';
import { createSession, type CreateSessionInput, type SessionRecord } from '@/lib/session/store';

const HOUR = 3_600_000;

export interface SignedInSession {
  session: SessionRecord;
  /** `name=value`, ready for a Cookie header. */
  cookie: string;
  /** The session's CSRF token, for the `x-csrf-token` header or `csrf_token` field. */
  csrf: string;
}

/** Access token good for an hour, session for a day, unless `options` says otherwise. */
export async function signedInSession(
  userId: string,
  organizationId: string,
  options: Partial<Omit<CreateSessionInput, 'userId' | 'organizationId'>> = {},
): Promise<SignedInSession> {
  const session = await createSession({
    refreshToken: 'rt_test_only',
    accessTokenExpiresAt: new Date(Date.now() + HOUR),
    expiresAt: new Date(Date.now() + 24 * HOUR),
    ...options,
    userId,
    organizationId,
  });
  const value = await signAppSessionCookie({ sessionId: session.id, userId, organizationId, expiresAt: session.expiresAt });
  return { session, cookie: `${appSessionCookieName()}=${value}`, csrf: await csrfTokenFor(session.id) };
}
