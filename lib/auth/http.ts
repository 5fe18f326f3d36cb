/**
 * Small response helpers shared by the auth route handlers. Redirects are absolute to APP_URL
 * (never to the Host header, which a client controls) and never cached.
 */

import { NextResponse } from 'next/server';
import { getEnv } from '@/lib/env';
import { csrfRejectedResponse, verifyCsrf } from '@/lib/auth/csrf';
import { clientIpOrNull } from '@/lib/http/client-ip';
import { AppError } from '@/lib/errors/app-error';
import type { ErrorCode } from '@/lib/errors/codes';
import { problemJson } from '@/lib/errors/respond';
import { bodyReadErrorResponse, readBodyForm } from '@/lib/http/read-body';
import {
  appSessionCookieName,
  clearedSessionCookieAttributes,
  getSessionCookieVerifier,
  readCookie,
  sessionCookieName,
  type SessionClaims,
} from '@/lib/session/cookie';

export const NO_STORE = 'private, no-store';

/** 303: after a POST the browser must GET the target, and a GET redirect stays a GET. */
export function redirectTo(target: string, status: 302 | 303 = 303): NextResponse {
  const url = /^https?:\/\//.test(target) ? target : new URL(target, `${getEnv().APP_URL}/`).toString();
  const response = NextResponse.redirect(url, status);
  response.headers.set('Cache-Control', NO_STORE);
  return response;
}

/**
 * Sends the browser on to Scalekit's authorize endpoint.
 *
 * A redirect is not enough when the navigation is a form submission (the sign-in page's forms):
 * the CSP's `form-action 'self' <scalekit>` then applies to every hop of the redirect chain, and
 * Scalekit goes on to Google, GitHub, Microsoft or the customer's identity provider, a third
 * origin that no list can name in advance: Chromium stops the navigation and the button does
 * nothing. So a browser navigation gets a page of our own that moves on with a meta refresh, a
 * new navigation that form-action does not govern (and that replaces this page in history, so
 * Back returns to the sign-in page). form-action stays strict; anything else (an API client, a
 * test) gets the plain 302. e2e/auth-signin.spec.ts runs the providers on a second emulator
 * origin to keep this honest.
 */
export function redirectToScalekit(request: Request, authorizeUrl: string): NextResponse {
  const browserNavigation = request.headers.get('sec-fetch-dest') === 'document' && request.headers.get('sec-fetch-mode') === 'navigate';
  // Serialised URLs escape quotes and spaces; refuse to embed anything else in markup.
  if (!browserNavigation || !/^https?:\/\/[^\s"'<>\\]+$/.test(authorizeUrl)) return redirectTo(authorizeUrl, 302);
  const href = authorizeUrl.replaceAll('&', '&amp;');
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">' +
    `<meta http-equiv="refresh" content="0; url='${href}'"><title>Continuing to sign in</title></head>` +
    `<body><p><a href="${href}">Continue to sign in</a></p></body></html>`;
  return new NextResponse(html, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': NO_STORE } });
}

/**
 * Back to the sign-in page with a banner. Only the code travels: app/login/login-error.ts has the
 * sentence for it, and the page shows no text from the URL.
 */
export function loginErrorRedirect(code: string): NextResponse {
  return redirectTo(`/login?${new URLSearchParams({ error: code }).toString()}`);
}

/** The session cookie's verified claims (signature + expiry only), whatever the row says. */
export async function sessionClaimsFromRequest(request: Request): Promise<SessionClaims | null> {
  const token = readCookie(request.headers.get('cookie'), appSessionCookieName());
  if (!token) return null;
  const check = await (await getSessionCookieVerifier()).verify(token);
  return check.ok ? check.claims : null;
}

/** Client address (hop-aware, lib/http/client-ip.ts) and agent for the Session row (shown on the account page). */
export function clientOf(request: Request): { ip: string | null; userAgent: string | null } {
  return {
    ip: clientIpOrNull(request.headers),
    userAgent: request.headers.get('user-agent')?.slice(0, 512) ?? null,
  };
}

/** The auth forms carry a token and an id or two; nothing legitimate comes near this. */
export const FORM_MAX_BYTES = 16 * 1024;

/**
 * Reads a urlencoded or multipart form (`form` is null when the body is something else or
 * unreadable), counting bytes while streaming: past FORM_MAX_BYTES it stops reading and gives
 * the 413 to answer with, chunked or not.
 */
export async function readForm(request: Request): Promise<{ ok: true; form: FormData | null } | { ok: false; response: Response }> {
  const read = await readBodyForm(request, FORM_MAX_BYTES);
  if (read.ok) return { ok: true, form: read.value };
  if (read.status === 413) return { ok: false, response: bodyReadErrorResponse(read) };
  return { ok: true, form: null };
}

export function wantsJson(request: Request): boolean {
  const type = request.headers.get('content-type') ?? '';
  const accept = request.headers.get('accept') ?? '';
  return /application\/json/i.test(type) || (/application\/json/i.test(accept) && !/text\/html/i.test(accept));
}

/** An auth route's JSON refusal, in the app's one error shape (lib/errors/respond.ts). */
export function jsonError(code: ErrorCode, message?: string, status?: number): Response {
  return problemJson(new AppError(code, message, status === undefined ? {} : { status }));
}

/**
 * A failed CSRF check: JSON for fetch callers, a short page for a form post (a stale tab after
 * signing in again elsewhere is the usual honest cause). Nothing was changed.
 */
export function csrfRefused(request: Request): Response {
  if (wantsJson(request)) return csrfRejectedResponse();
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Request refused · Teamgate</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">
<h1 style="font-size:1.25rem">This request was refused</h1>
<p>It did not come from a Teamgate page of your current session, so nothing was changed.
If you signed in again in another tab, reload the page and try once more.</p>
<p><a href="/dashboard">Back to the dashboard</a></p></body></html>`;
  return new Response(body, {
    status: 403,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': NO_STORE },
  });
}

/**
 * Where every sign-out ends: the session cookie cleared, and the browser told to drop what it
 * cached for this origin (the back button then shows nothing private).
 */
export function signedOutRedirect(target: string): NextResponse {
  const { APP_URL } = getEnv();
  const response = redirectTo(target);
  response.cookies.set(sessionCookieName(APP_URL), '', clearedSessionCookieAttributes(APP_URL));
  response.headers.set('Clear-Site-Data', '"cache"');
  return response;
}

/**
 * The sign-out forms (csrf_token): the form, and the session's claims when there is one, its CSRF
 * token checked. No session is not an error (the browser is signed out already); a bad token
 * or an unreadable form is the response to send.
 */
export async function readSignOutForm(
  request: Request,
): Promise<{ ok: true; form: FormData | null; claims: SessionClaims | null } | { ok: false; response: Response }> {
  const read = await readForm(request);
  if (!read.ok) return read;
  const claims = await sessionClaimsFromRequest(request);
  if (claims) {
    const token = read.form?.get('csrf_token');
    if (!(await verifyCsrf(request, claims.sid, typeof token === 'string' ? token : null)))
      return { ok: false, response: csrfRefused(request) };
  }
  return { ok: true, form: read.form, claims };
}
