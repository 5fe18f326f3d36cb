/**
 * Which paths need a session before the app even renders them.
 *
 * The middleware is a first gate only (cheap, stateless); every page, action and route handler
 * that reads or changes data still checks the Session row itself. middleware.ts runs on every
 * page (for the security headers) and checks the session only under these prefixes;
 * middleware.test.ts checks its matcher covers each of them.
 */

export const PROTECTED_PAGE_PREFIXES = ['/dashboard', '/orgs', '/team', '/settings', '/audit', '/account'] as const;

export const PROTECTED_API_PREFIXES = ['/api/invitations', '/api/orgs', '/api/me'] as const;

export const PROTECTED_PREFIXES: readonly string[] = [...PROTECTED_PAGE_PREFIXES, ...PROTECTED_API_PREFIXES];

export const LOGIN_PATH = '/login';

function underPrefix(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * Case-insensitive on purpose: the matcher decides whether middleware runs at all, and a
 * path that differs only in case must not slip past the check inside it.
 */
export function isProtectedPath(pathname: string): boolean {
  const path = pathname.toLowerCase();
  return PROTECTED_PREFIXES.some((prefix) => underPrefix(path, prefix));
}

/** API callers get 401 JSON; a redirect to an HTML login page is useless to fetch(). */
export function isApiPath(pathname: string): boolean {
  return underPrefix(pathname.toLowerCase(), '/api');
}
