import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { getSessionContextFromRequest } from '@/lib/auth/guards';
import { revokedInvitation } from '@/lib/auth/dead-ends';
import { loginErrorRedirect, redirectTo } from '@/lib/auth/http';
import { beginLogin, parseLoginQuery } from '@/lib/auth/login';
import { getScalekit } from '@/lib/scalekit/client';
import { getLoginFlowKey } from '@/lib/session/keys';
import { loginRateLimited } from '@/lib/rate-limit/login';

/**
 * GET /auth/login/initiate?login_hint&organization_id — the invitation email's link (Scalekit's
 * "initiate login URL"). Starts a signup (`prompt=create`), which Scalekit allows for invited
 * addresses even with public signup off. Someone already signed in as another person gets a
 * choice page instead of silently accepting the invitation into the wrong account.
 */
export async function GET(request: NextRequest) {
  // Before any work: each start mints a flow and may make Scalekit email a code.
  const limited = await loginRateLimited(request);
  if (limited) return limited;
  const params = request.nextUrl.searchParams;
  const parsed = parseLoginQuery(params, 'invite');
  if (!parsed.ok) return loginErrorRedirect(parsed.code);
  const invite = parsed.request;
  // A revoked invitation: say so (app/auth/invitation/revoked) instead of letting the identity
  // provider answer "signup is by invitation only".
  if (invite.organizationId && (await revokedInvitation(invite.loginHint!, invite.organizationId))) {
    return redirectTo(
      `/auth/invitation/revoked?${new URLSearchParams({ login_hint: invite.loginHint!, organization_id: invite.organizationId }).toString()}`,
    );
  }

  const current = await getSessionContextFromRequest(request);
  if (current && current.user.email.toLowerCase() !== invite.loginHint) {
    const choice = new URLSearchParams({ login_hint: invite.loginHint! });
    if (invite.organizationId) choice.set('organization_id', invite.organizationId);
    return redirectTo(`/auth/invitation?${choice.toString()}`);
  }
  if (current && invite.organizationId && current.memberships.some((m) => m.organizationId === invite.organizationId)) {
    // Already a member: nothing to accept; the org switcher changes the active organization.
    return redirectTo('/dashboard');
  }

  const begun = await beginLogin(invite, { scalekit: getScalekit(), appUrl: getEnv().APP_URL, flowKey: await getLoginFlowKey() });
  const response = redirectTo(begun.authorizeUrl, 302);
  response.cookies.set(begun.flowCookie.name, begun.flowCookie.value, begun.flowCookie.attributes);
  return response;
}
