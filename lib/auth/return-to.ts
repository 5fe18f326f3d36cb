/**
 * Where to send the user after login: a same-origin relative path, or the dashboard.
 *
 * returnTo arrives from the query string, so it is attacker-controlled. Open redirects through
 * it keep turning up even in mature SDKs, and browsers are lenient in surprising ways (`/\host`
 * is protocol-relative, tabs and newlines are stripped before parsing, `/./ /host` collapses to
 * `//host`). So the value is checked both before and after URL normalisation, and in every
 * percent-decoded form, and only the normalised path + query + hash is ever returned.
 * Edge-safe (used by middleware.ts).
 */

export const DEFAULT_RETURN_TO = '/dashboard';

const MAX_LENGTH = 2048;
// Any base works; only "did the origin change?" matters. `.invalid` can never resolve.
const BASE = 'https://returnto.invalid';
const BASE_ORIGIN = new URL(BASE).origin;
const MAX_DECODE_ROUNDS = 4;

// Control, format (zero-width, bidi overrides) and line/paragraph separators: never legitimate
// in a path, and the parser strips some of them, which is how `/\t/evil.com` becomes `//evil.com`.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

// Paths that would loop back into the login machinery.
const AUTH_PATHS = /^\/(?:login|api\/auth)(?:[/?#]|$)/i;

function isSafeRelative(value: string): boolean {
  // `//host` and `/\host` are protocol-relative to browsers.
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return false;
  // In the path, the parser turns `\` into `/`, so it can only help an attacker (`/.\/host`).
  // In the query it is ordinary data (a search for "a\b").
  const pathEnd = value.search(/[?#]/);
  if ((pathEnd === -1 ? value : value.slice(0, pathEnd)).includes('\\')) return false;
  return !INVISIBLE_OR_CONTROL.test(value);
}

// After dot-segment removal `/.//host` is `//host`: check what the parser makes of it.
function staysOnOrigin(value: string): boolean {
  try {
    const url = new URL(value, BASE);
    return url.origin === BASE_ORIGIN && !url.pathname.startsWith('//');
  } catch {
    return false;
  }
}

/**
 * Returns `value` normalised if it is a safe same-origin path, otherwise `fallback`.
 * Query and hash are kept.
 */
export function safeReturnTo(value: unknown, fallback: string = DEFAULT_RETURN_TO): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (!isSafeRelative(value)) return fallback;

  // Reject anything that becomes unsafe once decoded (%2F%2F, %5C, %09, double encoding …):
  // some proxy, framework or the next hop may decode before acting on it.
  let decoded = value;
  for (let round = 0; ; round++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return fallback;
    }
    if (next === decoded) break;
    // Nesting deeper than this has no legitimate use.
    if (round === MAX_DECODE_ROUNDS) return fallback;
    if (!isSafeRelative(next) || !staysOnOrigin(next)) return fallback;
    decoded = next;
  }

  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE_ORIGIN || url.username || url.password) return fallback;
  const normalised = url.pathname + url.search + url.hash;
  if (!isSafeRelative(normalised)) return fallback;
  if (AUTH_PATHS.test(url.pathname)) return fallback;
  return normalised;
}
