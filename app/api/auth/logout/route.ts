import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { verifyCsrf } from '@/lib/auth/csrf';
import { csrfRefused, readForm, redirectTo, sessionClaimsFromRequest } from '@/lib/auth/http';
import { parseLoginQuery } from '@/lib/auth/login';
import { logout, logoutForSwitch, SIGNED_OUT_PATH } from '@/lib/auth/logout';
import { getScalekit } from '@/lib/scalekit/client';
import { clearedSessionCookieAttributes, sessionCookieName } from '@/lib/session/cookie';

/**
 * POST /api/auth/logout (form: csrf_token; optional continue=invitation with login_hint and
 * organization_id, from the "signed in as someone else" page).
 */
export async function POST(request: NextRequest) {
  const env = getEnv();
  const read = await readForm(request);
  if (!read.ok) return read.response;
  const { form } = read;
  const claims = await sessionClaimsFromRequest(request);
  if (!claims) return signedOut(SIGNED_OUT_PATH, env.APP_URL);

  const token = form?.get('csrf_token');
  if (!(await verifyCsrf(request, claims.sid, typeof token === 'string' ? token : null))) return csrfRefused(request);

  const deps = { scalekit: getScalekit(), appUrl: env.APP_URL };
  if (form?.get('continue') === 'invitation') {
    const invite = parseLoginQuery(
      new URLSearchParams({
        login_hint: String(form.get('login_hint') ?? ''),
        organization_id: String(form.get('organization_id') ?? ''),
      }),
      'invite',
    );
    if (invite.ok) {
      await logoutForSwitch(claims.sid, deps);
      const next = new URLSearchParams({ login_hint: invite.request.loginHint! });
      if (invite.request.organizationId) next.set('organization_id', invite.request.organizationId);
      return signedOut(`/auth/login/initiate?${next.toString()}`, env.APP_URL);
    }
  }
  const { redirectTo: target } = await logout(claims.sid, { everywhere: false }, deps);
  return signedOut(target, env.APP_URL);
}

function signedOut(target: string, appUrl: string) {
  const response = redirectTo(target);
  response.cookies.set(sessionCookieName(appUrl), '', clearedSessionCookieAttributes(appUrl));
  // Tells the browser to drop what it cached for this origin (the back button then shows nothing private).
  response.headers.set('Clear-Site-Data', '"cache"');
  return response;
}
