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
  /** Origin of the Scalekit environment: the sign-in and sign-out forms redirect there. */
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
    ['frame-src', ["'none'"]],
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
