import { createHash } from 'node:crypto';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/authorize';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors/app-error';
import { logoTooLargeMessage, MAX_LOGO_BYTES } from '@/lib/organizations/logo-limits';

/**
 * An organization's logo, kept in PostgreSQL (OrganizationLogo) and served only by
 * GET /api/orgs/:orgId/logo. Its type is read from its first bytes, never from the file name or
 * the browser's Content-Type, and only raster formats are taken: an SVG is a document that can
 * carry scripts and links, so it is refused outright rather than sanitised (a sanitiser is one
 * more parser to get wrong, and PNG covers every logo). Nothing is sent to Scalekit: its
 * Organization.logo_url must be a public https:// URL (openapi/scalekit.yaml organizationsOrganization),
 * this route serves members only, and UpdateOrganization documents no way to clear logo_url.
 */

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The image type the bytes are (by their signature), or null for anything else. */
export function sniffLogoType(bytes: Uint8Array): LogoType | null {
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  // RIFF <size> WEBP
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/** A markup document (SVG, HTML), after an optional byte-order mark and whitespace: named in the refusal. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 256))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('<');
}

export interface LogoUpload {
  bytes: Uint8Array<ArrayBuffer>;
}

export interface StoredLogo {
  contentType: LogoType;
  bytes: Uint8Array<ArrayBuffer>;
  sha256: string;
  size: number;
}

/** The refusal of a file over MAX_LOGO_BYTES (also given before such a file is read at all). */
export function logoTooLarge(size: number): AppError {
  return new AppError('logo_too_large', logoTooLargeMessage(size), { field: 'logo' });
}

/** Checks an upload: not empty, at most MAX_LOGO_BYTES, and a PNG, JPEG or WebP by its bytes. */
export function checkLogo(upload: LogoUpload): StoredLogo {
  const { bytes } = upload;
  if (bytes.length === 0) throw new AppError('invalid_input', 'Choose an image file to upload.', { field: 'logo' });
  if (bytes.length > MAX_LOGO_BYTES) throw logoTooLarge(bytes.length);
  const contentType = sniffLogoType(bytes);
  if (!contentType) {
    throw new AppError(
      'logo_unsupported_type',
      looksLikeMarkup(bytes)
        ? 'SVG and other markup files are not accepted (they can carry scripts). Upload a PNG, JPEG or WebP image.'
        : 'That file is not a PNG, JPEG or WebP image. Upload one of those.',
      { field: 'logo' },
    );
  }
  return { contentType, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

async function organizationName(organizationId: string): Promise<string> {
  const org = await db.organization.findUnique({ where: { id: organizationId }, select: { name: true } });
  if (!org) throw new AppError('not_found', 'This organization is not known to Teamgate.');
  return org.name;
}

/** Replace the organization's logo (checked first; nothing is stored when it is refused). */
export async function uploadLogo(actor: Actor, organizationId: string, upload: LogoUpload): Promise<{ sha256: string }> {
  assertCan(actor, organizationId, 'org:settings');
  const logo = checkLogo(upload);
  const name = await organizationName(organizationId);
  await db.$transaction(async (tx) => {
    const data = { contentType: logo.contentType, bytes: logo.bytes, sha256: logo.sha256, size: logo.size };
    await tx.organizationLogo.upsert({ where: { organizationId }, create: { organizationId, ...data }, update: data });
    await tx.organization.update({ where: { id: organizationId }, data: { logoSha256: logo.sha256 } });
    await recordAudit(
      {
        actor,
        organizationId,
        action: 'org.logo_changed',
        target: { type: 'organization', id: organizationId, label: name },
        metadata: { contentType: logo.contentType, size: logo.size, sha256: logo.sha256 },
      },
      tx,
    );
  });
  return { sha256: logo.sha256 };
}

/** Remove the logo; `removed` is false when there was none (nothing audited then). */
export async function removeLogo(actor: Actor, organizationId: string): Promise<{ removed: boolean }> {
  assertCan(actor, organizationId, 'org:settings');
  const name = await organizationName(organizationId);
  return db.$transaction(async (tx) => {
    const { count } = await tx.organizationLogo.deleteMany({ where: { organizationId } });
    await tx.organization.update({ where: { id: organizationId }, data: { logoSha256: null } });
    if (count === 0) return { removed: false };
    await recordAudit(
      { actor, organizationId, action: 'org.logo_removed', target: { type: 'organization', id: organizationId, label: name } },
      tx,
    );
    return { removed: true };
  });
}

/** The stored logo, for the route that serves it (which checks who asks). */
export async function readLogo(organizationId: string): Promise<StoredLogo | null> {
  const row = await db.organizationLogo.findUnique({ where: { organizationId } });
  if (!row || !(LOGO_TYPES as readonly string[]).includes(row.contentType)) return null;
  return { contentType: row.contentType as LogoType, bytes: row.bytes, sha256: row.sha256, size: row.size };
}
