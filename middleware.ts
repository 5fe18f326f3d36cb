/**
 * Runs for every page and API request (static assets skip it, see `config.matcher`):
 *
 * 1. Security headers: a fresh CSP nonce per request (lib/http/security-headers.ts), passed to
 *    Next.js in the request's own CSP header so it stamps the nonce on its scripts, and the CSP,
 *    HSTS (https only) and x-request-id set on the response. Nonces make every page dynamic,
 *    which Teamgate's pages are anyway (they read the session).
 * 2. A request id (x-request-id, kept from a proxy when well-formed), for logs and audit events.
 * 3. First gate for protected routes only: is there a session cookie with a valid signature
 *    that has not expired? Nothing more — no database, no Scalekit SDK (it needs node:http2, and
 *    this code stays Edge-safe, see below). Every page, action and route handler that touches data
 *    still calls requireSession(), which re-reads the Session row; since CVE-2025-29927 middleware
 *    must never be the only check.
 *
 * Runtime: Node.js only. Next.js 16.4.6 builds `middleware.ts` for the Edge runtime unless its
 * `config.runtime` is 'nodejs', as it is below (next/dist/build/entries.js, runDependingOnPageType).
 * Edge middleware is executed inside a sandbox in the `next start` process, and that sandbox alone
 * cost more per request than the whole session check (bench/protected-throughput.ts). The code
 * stays Edge-safe (jose + Web Crypto only) so it can move back by dropping that one line.
 *
 * Next.js 16 logs that `middleware.ts` is deprecated in favour of `proxy.ts`. It stays
 * middleware.ts because proxy.ts is always Node.js and accepts no `config.runtime`, which would
 * take that one-line way back to the Edge runtime away; renaming is a later, deliberate choice.
 */

import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { isApiPath, isProtectedPath, LOGIN_PATH } from '@/lib/auth/protected-routes';
import { safeReturnTo } from '@/lib/auth/return-to';
import { clearedSessionCookieAttributes, getSessionCookieVerifier, sessionCookieName } from '@/lib/session/cookie';
import { REQUEST_ID_HEADER, requestIdFrom } from '@/lib/http/request-id';
import {
  contentSecurityPolicy,
  isUploadedImagePath,
  newNonce,
  strictTransportSecurity,
  UPLOADED_IMAGE_CSP,
} from '@/lib/http/security-headers';

export async function middleware(request: NextRequest): Promise<NextResponse> {
  const env = getEnv();
  const requestId = requestIdFrom(request.headers);
  const nonce = newNonce();
  const csp = contentSecurityPolicy({
    nonce,
    scalekitOrigin: new URL(env.SCALEKIT_ENVIRONMENT_URL).origin,
    development: env.NODE_ENV === 'development',
    https: env.APP_URL.startsWith('https://'),
  });
  const forwarded = new Headers(request.headers);
  forwarded.set(REQUEST_ID_HEADER, requestId);
  forwarded.set('x-nonce', nonce);
  forwarded.set('content-security-policy', csp);

  const response = await gate(request, env.APP_URL, () => NextResponse.next({ request: { headers: forwarded } }));
  response.headers.set('Content-Security-Policy', isUploadedImagePath(request.nextUrl.pathname) ? UPLOADED_IMAGE_CSP : csp);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  const hsts = strictTransportSecurity(env.APP_URL);
  if (hsts) response.headers.set('Strict-Transport-Security', hsts);
  return response;
}

/** The session check on protected routes; `pass` lets the request through to the app. */
async function gate(request: NextRequest, appUrl: string, pass: () => NextResponse): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  if (!isProtectedPath(pathname)) return pass();

  // Machine clients call the API with an org-scoped API key instead of a cookie. The key can
  // only be checked against the database, so the route handler authenticates it; a bogus key
  // gets the same 401 there.
  if (isApiPath(pathname) && /^Bearer\s+\S/i.test(request.headers.get('authorization') ?? '')) {
    return pass();
  }

  const token = request.cookies.get(sessionCookieName(appUrl))?.value;
  const verifier = await getSessionCookieVerifier();
  const check = await verifier.verify(token);
  if (check.ok) return pass();

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
    response.cookies.set(sessionCookieName(appUrl), '', clearedSessionCookieAttributes(appUrl));
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

// Every path except Next.js's static assets and image optimiser (immutable files: no nonce to
// stamp, no session to check; next.config.ts gives them the static headers). Literal because
// Next.js reads it at build time; middleware.test.ts checks which paths it covers.
export const config = {
  runtime: 'nodejs',
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
