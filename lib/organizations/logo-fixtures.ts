/**
 * Small real images for the logo tests (unit, integration and e2e): each a valid 1×1 file of its
 * format, plus an SVG carrying a script, the upload the checks must refuse. Test-only.
 */

const b64 = (text: string) => () => new Uint8Array(Buffer.from(text, 'base64'));

/** 1×1 PNG, one opaque pixel */
export const PNG_BYTES = b64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==');

/** 1×1 baseline JPEG */
export const JPEG_BYTES = b64(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
);

/** 1×1 lossless WebP */
export const WEBP_BYTES = b64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');

/** An SVG that would run a script if it were ever rendered as a document */
export const SVG_BYTES = () =>
  new TextEncoder().encode('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');
