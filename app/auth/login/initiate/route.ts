import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { getSessionContextFromRequest } from '@/lib/auth/guards';
import { revokedInvitation } from '@/lib/auth/dead-ends';
import { loginErrorRedirect, redirectTo, redirectToScalekit } from '@/lib/auth/http';
import { classifyInitiateLogin, loginFromIdpClaims } from '@/lib/auth/initiate-login';
import { beginLogin, type LoginRequest } from '@/lib/auth/login';
import { getScalekit } from '@/lib/scalekit/client';
import { getLoginFlowKey } from '@/lib/session/keys';
import { loginRateLimited } from '@/lib/rate-limit/login';
import { log } from '@/lib/log';

/**
 * GET /auth/login/initiate — Scalekit's "initiate login URL" (every case in
 * lib/auth/initiate-login.ts): third-party-initiated login with `iss`, an invitation forwarded by
 * Scalekit's hosted link, IdP-initiated SSO, and the app's own `login_hint` invitation links.
 * Someone already signed in as another person gets a choice page instead of silently accepting
 * an invitation into the wrong account.
 */
export async function GET(request: NextRequest) {
  // Before any work: each start mints a flow and may make Scalekit email a code.
  const limited = await loginRateLimited(request);
  if (limited) return limited;
  const env = getEnv();
  const scalekit = getScalekit();
  const found = classifyInitiateLogin(request.nextUrl.searchParams, { issuer: env.SCALEKIT_ENVIRONMENT_URL, appUrl: env.APP_URL });

  let login: LoginRequest;
  switch (found.kind) {
    case 'refused':
      log.info({ reason: found.code, detail: found.message }, 'initiate login refused');
      return loginErrorRedirect(found.code);
    case 'idp_initiated': {
      // Signature and expiry against the environment's JWKS; never the claims of an unverified token.
      const claims = await scalekit.getIdpInitiatedLoginClaims(found.token).catch(() => null);
      const read = claims ? loginFromIdpClaims(claims) : { ok: false as const, message: 'token does not verify' };
      if (!read.ok) {
        log.info({ reason: 'idp_login_invalid', detail: read.message }, 'initiate login refused');
        return loginErrorRedirect('idp_login_invalid');
      }
      login = read.request;
      break;
    }
    default:
      login = found.request;
  }

  if (login.intent === 'invite') {
    const early = await invitationShortcut(request, login);
    if (early) return early;
  }
  const begun = await beginLogin(login, { scalekit, appUrl: env.APP_URL, flowKey: await getLoginFlowKey() });
  const response = redirectToScalekit(request, begun.authorizeUrl);
  response.cookies.set(begun.flowCookie.name, begun.flowCookie.value, begun.flowCookie.attributes);
  return response;
}

/** Revoked, meant for someone else, or already accepted: answered here, before Scalekit. */
async function invitationShortcut(request: NextRequest, invite: LoginRequest): Promise<Response | null> {
  // A revoked invitation: say so (app/auth/invitation/revoked) instead of letting the identity
  // provider answer "signup is by invitation only".
  if (invite.organizationId && (await revokedInvitation(invite.loginHint!, invite.organizationId))) {
    return redirectTo(
      `/auth/invitation/revoked?${new URLSearchParams({ login_hint: invite.loginHint!, organization_id: invite.organizationId }).toString()}`,
    );
  }
  const current = await getSessionContextFromRequest(request);
  if (current && current.user.email.toLowerCase() !== invite.loginHint) {
    // The choice page sends the person back here with the same query once they chose.
    const choice = new URLSearchParams(request.nextUrl.searchParams);
    return redirectTo(`/auth/invitation?${choice.toString()}`);
  }
  if (current && invite.organizationId && current.memberships.some((m) => m.organizationId === invite.organizationId)) {
    // Already a member: nothing to accept; the org switcher changes the active organization.
    return redirectTo('/dashboard');
  }
  return null;
}
