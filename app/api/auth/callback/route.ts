import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { completeLogin, type CallbackErrorCode } from '@/lib/auth/callback';
import { clientOf, loginErrorRedirect, redirectTo, sessionClaimsFromRequest } from '@/lib/auth/http';
import { clearedLoginFlowCookieAttributes } from '@/lib/auth/login-flow';
import { getScalekit } from '@/lib/scalekit/client';
import { appSessionCookieAttributes, appSessionCookieName, signAppSessionCookie } from '@/lib/session/cookie';
import { getLoginFlowKey } from '@/lib/session/keys';
import { revokeSession } from '@/lib/session/store';

// Shown on /login for the codes app/login/login-error.ts has no text of its own for.
const DESCRIPTIONS: Partial<Record<CallbackErrorCode, string>> = {
  invalid_request: 'The sign-in response was incomplete. Please start again.',
  invalid_grant: 'That sign-in response was already used or has expired. Please start again.',
  invalid_token: 'We could not verify the sign-in response. Please start again.',
  no_organization: 'Your account is not a member of any organization yet. Ask an admin for an invitation.',
};

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
    const response = loginErrorRedirect(result.code, result.description ?? DESCRIPTIONS[result.code]);
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
