import type { StoredLogo } from '@/lib/organizations/logo';
import { UPLOADED_IMAGE_CSP } from '@/lib/http/security-headers';

/**
 * How an uploaded logo leaves the app: with the type its bytes were checked to be (never one the
 * uploader claimed), `nosniff` so no browser second-guesses it, a policy under which nothing can
 * run, and `inline` with a fixed file name. The URL carries the logo's hash (`?v=`), so a request
 * naming the current hash may be cached for a year; any other is revalidated by ETag. Private:
 * only members may see it, so no shared cache keeps it.
 */
export function logoResponse(request: Request, logo: StoredLogo): Response {
  const etag = `"${logo.sha256}"`;
  const version = new URL(request.url).searchParams.get('v');
  const current = version !== null && version.length >= 8 && logo.sha256.startsWith(version);
  const headers = new Headers({
    'Content-Type': logo.contentType,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': UPLOADED_IMAGE_CSP,
    'Content-Disposition': `inline; filename="logo.${logo.contentType.slice('image/'.length)}"`,
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': current ? 'private, max-age=31536000, immutable' : 'private, no-cache',
    ETag: etag,
  });
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  headers.set('Content-Length', String(logo.size));
  return new Response(logo.bytes, { status: 200, headers });
}
