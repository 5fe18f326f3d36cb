import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { noLongerMember } from '@/lib/auth/dead-ends';
import { loginErrorRedirect, redirectToScalekit } from '@/lib/auth/http';
import { beginLogin, parseLoginQuery } from '@/lib/auth/login';
import { getScalekit } from '@/lib/scalekit/client';
import { getLoginFlowKey } from '@/lib/session/keys';
import { loginRateLimited } from '@/lib/rate-limit/login';

/**
 * GET /api/auth/login?returnTo&login_hint&provider&sso&organization_id — the sign-in page's
 * forms land here; the browser leaves for Scalekit's authorize endpoint with a fresh
 * state/nonce/PKCE flow sealed in its own cookie.
 */
export async function GET(request: NextRequest) {
  // Before any work: each start mints a flow and may make Scalekit email a code.
  const limited = await loginRateLimited(request);
  if (limited) return limited;
  const parsed = parseLoginQuery(request.nextUrl.searchParams, 'login');
  if (!parsed.ok) return loginErrorRedirect(parsed.code);
  // An email typed into the form: a person we know with no organization left is told so here,
  // rather than by the identity provider's refusal (lib/auth/dead-ends.ts).
  const { loginHint, provider, organizationId } = parsed.request;
  if (loginHint && !provider && !organizationId && (await noLongerMember(loginHint))) return loginErrorRedirect('no_longer_member');
  const begun = await beginLogin(parsed.request, {
    scalekit: getScalekit(),
    appUrl: getEnv().APP_URL,
    flowKey: await getLoginFlowKey(),
  });
  const response = redirectToScalekit(request, begun.authorizeUrl);
  response.cookies.set(begun.flowCookie.name, begun.flowCookie.value, begun.flowCookie.attributes);
  return response;
}
