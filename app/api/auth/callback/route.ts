import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { completeLogin } from '@/lib/auth/callback';
import { clientOf, loginErrorRedirect, redirectTo, sessionClaimsFromRequest } from '@/lib/auth/http';
import { clearedLoginFlowCookieAttributes } from '@/lib/auth/login-flow';
import { getScalekit } from '@/lib/scalekit/client';
import { appSessionCookieAttributes, appSessionCookieName, signAppSessionCookie } from '@/lib/session/cookie';
import { getLoginFlowKey } from '@/lib/session/keys';
import { revokeSession } from '@/lib/session/store';

/** GET /api/auth/callback — Scalekit sends the browser back here with ?code&state (or ?error). */
export async function GET(request: NextRequest) {
  const env = getEnv();
  const previous = await sessionClaimsFromRequest(request);
  const result = await completeLogin(
    {
      query: request.nextUrl.searchParams,
      cookie: (name) => request.cookies.get(name)?.value,
      ...clientOf(request),
    },
    {
      scalekit: getScalekit(),
      appUrl: env.APP_URL,
      issuer: env.SCALEKIT_ENVIRONMENT_URL,
      clientId: env.SCALEKIT_CLIENT_ID,
      flowKey: await getLoginFlowKey(),
    },
  );

  if (!result.ok) {
    const response = loginErrorRedirect(result.code);
    if (result.flowCookieName) response.cookies.set(result.flowCookieName, '', clearedLoginFlowCookieAttributes(env.APP_URL));
    return response;
  }

  // A new login replaces whatever session this browser had: the old row must not linger usable.
  if (previous && previous.sid !== result.session.id) await revokeSession(previous.sid, 'replaced');

  const cookie = await signAppSessionCookie({
    sessionId: result.session.id,
    userId: result.session.userId,
    organizationId: result.session.organizationId,
    expiresAt: result.session.expiresAt,
  });
  const response = redirectTo(result.redirectTo);
  response.cookies.set(appSessionCookieName(), cookie, appSessionCookieAttributes(result.session.expiresAt));
  response.cookies.set(result.flowCookieName, '', clearedLoginFlowCookieAttributes(env.APP_URL));
  return response;
}
