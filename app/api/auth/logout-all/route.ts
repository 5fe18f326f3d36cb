import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { verifyCsrf } from '@/lib/auth/csrf';
import { csrfRefused, readForm, redirectTo, sessionClaimsFromRequest } from '@/lib/auth/http';
import { logout, SIGNED_OUT_PATH } from '@/lib/auth/logout';
import { getScalekit } from '@/lib/scalekit/client';
import { clearedSessionCookieAttributes, sessionCookieName } from '@/lib/session/cookie';

/** POST /api/auth/logout-all (form: csrf_token) — "sign out of all devices". */
export async function POST(request: NextRequest) {
  const env = getEnv();
  const read = await readForm(request);
  if (!read.ok) return read.response;
  const { form } = read;
  const claims = await sessionClaimsFromRequest(request);
  let target = SIGNED_OUT_PATH;
  if (claims) {
    const token = form?.get('csrf_token');
    if (!(await verifyCsrf(request, claims.sid, typeof token === 'string' ? token : null))) return csrfRefused(request);
    ({ redirectTo: target } = await logout(claims.sid, { everywhere: true }, { scalekit: getScalekit(), appUrl: env.APP_URL }));
  }
  const response = redirectTo(target);
  response.cookies.set(sessionCookieName(env.APP_URL), '', clearedSessionCookieAttributes(env.APP_URL));
  response.headers.set('Clear-Site-Data', '"cache"');
  return response;
}
