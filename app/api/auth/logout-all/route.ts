import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { readSignOutForm, signedOutRedirect } from '@/lib/auth/http';
import { logout, SIGNED_OUT_PATH } from '@/lib/auth/logout';
import { getScalekit } from '@/lib/scalekit/client';

/** POST /api/auth/logout-all (form: csrf_token) — "sign out of all devices". */
export async function POST(request: NextRequest) {
  const read = await readSignOutForm(request);
  if (!read.ok) return read.response;
  if (!read.claims) return signedOutRedirect(SIGNED_OUT_PATH);
  const { redirectTo } = await logout(read.claims.sid, { everywhere: true }, { scalekit: getScalekit(), appUrl: getEnv().APP_URL });
  return signedOutRedirect(redirectTo);
}
