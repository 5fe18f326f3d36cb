import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { readSignOutForm, signedOutRedirect } from '@/lib/auth/http';
import { parseLoginQuery } from '@/lib/auth/login';
import { logout, logoutForSwitch, SIGNED_OUT_PATH } from '@/lib/auth/logout';
import { getScalekit } from '@/lib/scalekit/client';

/**
 * POST /api/auth/logout (form: csrf_token; optional continue=invitation with login_hint and
 * organization_id, from the "signed in as someone else" page).
 */
export async function POST(request: NextRequest) {
  const read = await readSignOutForm(request);
  if (!read.ok) return read.response;
  const { form, claims } = read;
  if (!claims) return signedOutRedirect(SIGNED_OUT_PATH);

  const deps = { scalekit: getScalekit(), appUrl: getEnv().APP_URL };
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
      return signedOutRedirect(`/auth/login/initiate?${next.toString()}`);
    }
  }
  const { redirectTo } = await logout(claims.sid, { everywhere: false }, deps);
  return signedOutRedirect(redirectTo);
}
