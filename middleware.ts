/**
 * First gate for protected routes: is there a session cookie with a valid signature that has
 * not expired? Nothing more — no database, no Scalekit SDK (it needs node:http2, and this file
 * runs on the Edge runtime). Every page, action and route handler that touches data still calls
 * requireSession(), which re-reads the Session row; since CVE-2025-29927 middleware must never be
 * the only check.
 *
 * Next.js 16 still runs `middleware.ts` but logs that the convention is deprecated in favour of
 * `proxy.ts`. The file name was asked for. It runs on the Node.js runtime (`config.runtime`):
 * Edge middleware is executed inside a sandbox in the `next start` process, and that sandbox
 * alone cost more per request than the whole session check (bench/protected-throughput.ts).
 * The code stays Edge-safe (jose + Web Crypto only) so it can move back without changes.
 */

import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { isApiPath, isProtectedPath, LOGIN_PATH } from '@/lib/auth/protected-routes';
import { safeReturnTo } from '@/lib/auth/return-to';
import { clearedSessionCookieAttributes, getSessionCookieVerifier, SESSION_COOKIE_NAME } from '@/lib/session/cookie';

export async function middleware(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  if (!isProtectedPath(pathname)) return NextResponse.next();

  // Machine clients call the API with an org-scoped API key instead of a cookie. The key can
  // only be checked against the database, so the route handler authenticates it; a bogus key
  // gets the same 401 there.
  if (isApiPath(pathname) && /^Bearer\s+\S/i.test(request.headers.get('authorization') ?? '')) {
    return NextResponse.next();
  }

  const token = request.cookies.get(SESSION_COOKIE_NAME)?.value;
  const verifier = await getSessionCookieVerifier();
  const check = await verifier.verify(token);
  if (check.ok) return NextResponse.next();

  const response = isApiPath(pathname)
    ? NextResponse.json(
        { error: 'unauthenticated', message: 'Sign in to continue: your session is missing or has expired.' },
        { status: 401 },
      )
    : NextResponse.redirect(loginUrl(request, pathname + search), 302);
  // Private responses: a shared cache must not replay a redirect or 401 to someone signed in.
  response.headers.set('Cache-Control', 'private, no-store');
  if (token !== undefined) {
    // Tampered, malformed or expired: drop it so the browser stops sending it.
    response.cookies.set(SESSION_COOKIE_NAME, '', clearedSessionCookieAttributes(getEnv().APP_URL));
  }
  return response;
}

function loginUrl(request: NextRequest, returnTo: string): URL {
  const url = request.nextUrl.clone();
  url.pathname = LOGIN_PATH;
  url.search = '';
  url.hash = '';
  url.searchParams.set('returnTo', safeReturnTo(returnTo));
  return url;
}

// Literal because Next.js reads it statically at build time; must list exactly
// PROTECTED_PREFIXES from lib/auth/protected-routes.ts (middleware.test.ts checks).
export const config = {
  runtime: 'nodejs',
  matcher: [
    '/dashboard/:path*',
    '/orgs/:path*',
    '/team/:path*',
    '/settings/:path*',
    '/audit/:path*',
    '/account/:path*',
    '/api/invitations/:path*',
    '/api/orgs/:path*',
    '/api/me/:path*',
  ],
};
