import { AppError } from '@/lib/errors/app-error';
import { problemJson } from '@/lib/errors/respond';
import { clientIp } from '@/lib/http/client-ip';
import { requestLogger } from '@/lib/http/request-logger';
import { consumeRateLimit, rateLimitHeaders, rateLimits } from './limiter';

/**
 * Sign-in starts per client IP (GET /api/auth/login and /auth/login/initiate). Each start mints
 * a login flow and sends the browser to Scalekit, which may send an email code: without a limit
 * one client could flood people's inboxes and burn the app's Scalekit quota. Returns the 429 to
 * send, or null when the request may go on.
 */
export async function loginRateLimited(request: Request): Promise<Response | null> {
  const ip = clientIp(request.headers);
  const result = await consumeRateLimit(rateLimits().loginStartPerIp, ip);
  if (result.allowed) return null;
  requestLogger(request, { route: 'login' }).warn({ ip }, 'sign-in start refused: rate limit');
  const headers = { ...rateLimitHeaders(result), 'Cache-Control': 'private, no-store' };
  const wait = result.retryAfterSeconds;
  const message = `Too many sign-in attempts from your network. Wait ${wait} second${wait === 1 ? '' : 's'} and try again.`;
  if (wantsHtml(request)) {
    return new Response(tooManyPage(message), { status: 429, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
  }
  return problemJson(new AppError('rate_limited', message, { retryAfter: wait }), { headers: rateLimitHeaders(result) });
}

function wantsHtml(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept === '' || /text\/html/i.test(accept) || !/application\/json/i.test(accept);
}

/** A page of its own, not a redirect to /login: the browser must see the 429 and its Retry-After. */
function tooManyPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many sign-in attempts · Teamgate</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5">
<main><h1 style="font-size:1.25rem">Too many sign-in attempts</h1>
<p role="alert">${message}</p>
<p>Nothing was sent to your email. If you share a network with many people, this may clear in a moment.</p>
<p><a href="/login">Back to sign-in</a></p></main></body></html>`;
}
