/**
 * Ending sessions on request: the logic behind POST /api/auth/logout and /api/auth/logout-all,
 * kept out of the route files so it is testable without Next.js.
 */

import { randomBytes } from 'node:crypto';
import type { ScalekitClient } from '@scalekit-sdk/node';
import { errorForLog, log } from '@/lib/log';
import { getActiveSession, readIdTokenHint, revokeSession, revokeUserSessions } from '@/lib/session/store';

export const SIGNED_OUT_PATH = '/signed-out';

export interface LogoutDeps {
  scalekit: Pick<ScalekitClient, 'getLogoutUrl'> & { session: Pick<ScalekitClient['session'], 'revokeSession' | 'revokeAllUserSessions'> };
  appUrl: string;
}

export interface LogoutResult {
  /** Where to send the browser: Scalekit's logout endpoint, or straight to our signed-out page. */
  redirectTo: string;
  revoked: number;
}

/**
 * Revokes our row first (the cookie stops working at once, whatever happens next), then sends
 * the browser to Scalekit's logout so its own session ends too and cannot silently sign the user
 * back in. `everywhere` ends every session of the user, here and at Scalekit.
 */
export async function logout(sessionId: string, options: { everywhere: boolean }, deps: LogoutDeps): Promise<LogoutResult> {
  const session = await getActiveSession(sessionId);
  if (!session) return { redirectTo: SIGNED_OUT_PATH, revoked: 0 };
  const idTokenHint = await readIdTokenHint(sessionId);
  let revoked: number;
  if (options.everywhere) {
    revoked = await revokeUserSessions(session.userId, { reason: 'logout_all' });
    // Other browsers' Scalekit sessions would otherwise still sign them back in without a prompt.
    await deps.scalekit.session.revokeAllUserSessions(session.userId).catch((error: unknown) => {
      log.warn({ err: errorForLog(error) }, "could not revoke the user's Scalekit sessions");
    });
  } else {
    revoked = (await revokeSession(sessionId, 'logout')) ? 1 : 0;
  }
  log.info({ userId: session.userId, sessionId, everywhere: options.everywhere, revoked }, 'signed out');
  const logoutUrl = deps.scalekit.getLogoutUrl({
    ...(idTokenHint ? { idTokenHint } : {}),
    postLogoutRedirectUri: `${deps.appUrl}${SIGNED_OUT_PATH}`,
    state: randomBytes(16).toString('base64url'),
  });
  return { redirectTo: logoutUrl, revoked };
}

/**
 * Signs out locally without visiting Scalekit's logout page, for "sign out and continue with the
 * invitation": the browser goes straight on to the invitee's signup. The Scalekit session is
 * revoked through the API instead, so it cannot be reused.
 */
export async function logoutForSwitch(sessionId: string, deps: LogoutDeps): Promise<void> {
  const session = await getActiveSession(sessionId);
  if (!session) return;
  await revokeSession(sessionId, 'signed_in_as_other');
  if (session.scalekitSessionId) {
    await deps.scalekit.session.revokeSession(session.scalekitSessionId).catch((error: unknown) => {
      log.warn({ err: errorForLog(error) }, 'could not revoke the Scalekit session');
    });
  }
}
