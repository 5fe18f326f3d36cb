/**
 * The security headers middleware.ts puts on every page and API response (static assets get
 * the static ones from next.config.ts). Edge-safe: Web Crypto only.
 *
 * CSP: scripts run only with this response's nonce ('strict-dynamic' lets those scripts load
 * Next.js's chunks); Next.js finds the nonce in the request's CSP header and stamps it on its
 * own inline and external scripts. Styles allow 'unsafe-inline': React renders `style`
 * attributes (progress bars, Radix popper positions) into the server HTML, and sonner and Radix
 * inject <style> elements at run time; none of them take a nonce. Style injection cannot run
 * script, and the script policy stays strict.
 */

export interface CspOptions {
  nonce: string;
  /** Origin of the Scalekit environment: the sign-in and sign-out forms redirect there, and its admin portal is framed. */
  scalekitOrigin: string;
  /** `next dev` needs eval (React's dev tools, fast refresh) and a websocket. */
  development?: boolean;
  /** Upgrade any http:// subresource when the app itself is served over https. */
  https?: boolean;
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy({ nonce, scalekitOrigin, development = false, https = false }: CspOptions): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...(development ? ['ws:', 'wss:'] : [])]],
    // Scalekit's admin portal is embedded in an iframe on the SSO settings page (developer-docs
    // _admin-portal.mdx): that origin, and no other, may be framed.
    ['frame-src', [scalekitOrigin]],
    ['frame-ancestors', ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'", scalekitOrigin]],
  ];
  const policy = directives.map(([name, sources]) => `${name} ${sources.join(' ')}`);
  if (https) policy.push('upgrade-insecure-requests');
  return policy.join('; ');
}

/** HSTS only where there is TLS to pin: an http:// APP_URL (localhost) must never send it. */
export function strictTransportSecurity(appUrl: string): string | null {
  return appUrl.startsWith('https://') ? 'max-age=63072000; includeSubDomains' : null;
}

/**
 * Headers with no per-request part, set by next.config.ts on every response (pages, APIs,
 * redirects and static assets alike).
 */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  // A login page inside someone else's frame is a clickjacking target. (The CSP, with its
  // per-request nonce and frame-ancestors 'none', is set by middleware.ts on every page.)
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Keeps ?returnTo / ?error query strings from leaking to other origins.
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
  // Our pages get a browsing context group of their own: a page that opened ours (or that ours
  // opened) on another origin gets no window handle to navigate or probe it. Sign-in and
  // sign-out are full-page redirects to Scalekit, never popups, so nothing relies on an opener.
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/**
 * The policy of an uploaded image served by the app (GET /api/orgs/:orgId/logo): nothing may run
 * or load, and `sandbox` gives the document an opaque origin should a browser ever render one
 * as a page. middleware.ts sends it instead of the pages' policy on these paths.
 */
export const UPLOADED_IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

export function isUploadedImagePath(pathname: string): boolean {
  return /^\/api\/orgs\/[^/]+\/logo$/.test(pathname);
}
