/**
 * The logo upload's limits and the sentence for a file over them. No imports: the browser checks
 * the size with the same number and words before uploading (app/orgs/[orgId]/settings/
 * settings-forms.tsx), and the server action and lib/organizations/logo.ts check again.
 */

export const MAX_LOGO_BYTES = 1024 * 1024;

/** What the file picker offers; the server decides by the bytes, whatever the picker allowed. */
export const LOGO_ACCEPT = 'image/png,image/jpeg,image/webp';

export function logoTooLargeMessage(size: number): string {
  return `The logo is ${(Math.ceil(size / 104_857.6) / 10).toFixed(1)} MB; it can be at most 1 MB. Use a smaller PNG, JPEG or WebP image.`;
}

/** Where the header and settings load the logo from: the hash in the URL makes it cacheable for good. */
export function logoPath(organizationId: string, sha256: string | null | undefined): string | null {
  return sha256 ? `/api/orgs/${encodeURIComponent(organizationId)}/logo?v=${sha256.slice(0, 16)}` : null;
}
