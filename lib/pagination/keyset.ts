import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { Prisma } from '@/lib/generated/prisma/client';

/**
 * Keyset pagination for every list ordered by (createdAt desc, id desc): the team list, the
 * invitations API and the audit log.
 *
 * A cursor names the row a page starts after (or ends before), not an offset, so a deep page
 * costs the same as the first and rows inserted meanwhile never shift what "next" means. It
 * travels in a URL, so it is base64url text. It is also signed: a cursor this server did not
 * write (hand-edited, or from another deployment) is refused as a 400 before it reaches SQL,
 * so nobody can probe the ordering with made-up positions, and a garbled one is never a 500.
 */

export type PageDirection = 'after' | 'before';

export interface Keyset {
  createdAt: Date;
  id: string;
}

export interface Cursor extends Keyset {
  /** after = the next (older) rows; before = the previous (newer) rows. */
  direction: PageDirection;
}

export interface KeysetPage<T> {
  rows: T[];
  /** Older rows exist: pass as `cursor` for the next page */
  nextCursor: string | null;
  /** Newer rows exist: pass as `cursor` for the previous page */
  prevCursor: string | null;
}

export const MAX_CURSOR_LENGTH = 200;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** 96 bits of HMAC: far beyond guessing, and keeps the cursor short enough for a URL. */
const MAC_BYTES = 12;
const KEY_INFO = 'teamgate/keyset-cursor/v1';

let cachedKey: { secret: string; key: Buffer } | null = null;

/** The cursor-signing key, derived from SESSION_SECRET for this one purpose (see lib/session/keys.ts). */
function cursorKey(): Buffer {
  const secret = getEnv().SESSION_SECRET;
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), KEY_INFO, 32)) };
  return cachedKey.key;
}

function mac(payload: string): Buffer {
  return createHmac('sha256', cursorKey()).update(payload).digest().subarray(0, MAC_BYTES);
}

/** `payload` and its MAC as URL-safe text: a cursor nobody can edit without the server noticing. */
export function signCursorPayload(payload: string): string {
  return `${Buffer.from(payload, 'utf8').toString('base64url')}.${mac(payload).toString('base64url')}`;
}

/** The payload `text` carries, or null when this server did not sign it (malformed or tampered with). */
export function verifyCursorPayload(text: string): string | null {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text)) return null;
  const [body, signature] = text.split('.') as [string, string];
  const payload = Buffer.from(body, 'base64url').toString('utf8');
  const expected = mac(payload);
  // Compare the text, not decoded bytes: base64url decoding ignores stray trailing characters.
  const given = Buffer.from(signature, 'utf8');
  const wanted = Buffer.from(expected.toString('base64url'), 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return null;
  return payload;
}

/** A cursor's id part: what ids look like, so nothing else reaches SQL. */
export function isCursorId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** A cursor's timestamp part, exactly as toISOString writes it; null otherwise. */
export function cursorDate(iso: string): Date | null {
  if (!ISO_PATTERN.test(iso)) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) || date.toISOString() !== iso ? null : date;
}

export function encodeCursor(cursor: Cursor): string {
  const tag = cursor.direction === 'after' ? 'a' : 'b';
  return signCursorPayload(`${tag}|${cursor.createdAt.toISOString()}|${cursor.id}`);
}

/** The cursor in `text`, or null when it is not one this server wrote (malformed or tampered with). */
export function decodeCursor(text: string): Cursor | null {
  const payload = verifyCursorPayload(text);
  if (payload === null) return null;
  const parts = payload.split('|');
  if (parts.length !== 3) return null;
  const [tag, iso, id] = parts as [string, string, string];
  if ((tag !== 'a' && tag !== 'b') || !isCursorId(id)) return null;
  const createdAt = cursorDate(iso);
  if (!createdAt) return null;
  return { direction: tag === 'a' ? 'after' : 'before', createdAt, id };
}

/**
 * The row-value keyset condition (`AND ("createdAt", "id") < (…)`) and the matching ORDER BY for
 * raw SQL. PostgreSQL turns the row-value comparison into one index range condition on
 * (…, createdAt, id), so a deep page reads as few index entries as the first; an OR-expanded
 * comparison (what Prisma's `cursor` option builds) scans from the start of the range instead.
 * Going backwards the rows come oldest-first; keysetPage puts them back in order.
 */
export function keysetSql(cursor: Cursor | null): { where: Prisma.Sql; orderBy: Prisma.Sql } {
  const backwards = cursor?.direction === 'before';
  const where = cursor
    ? backwards
      ? Prisma.sql`AND ("createdAt", "id") > (${cursor.createdAt}, ${cursor.id})`
      : Prisma.sql`AND ("createdAt", "id") < (${cursor.createdAt}, ${cursor.id})`
    : Prisma.empty;
  const orderBy = backwards ? Prisma.sql`ORDER BY "createdAt" ASC, "id" ASC` : Prisma.sql`ORDER BY "createdAt" DESC, "id" DESC`;
  return { where, orderBy };
}

/** The same keyset condition and order for a Prisma `findMany`, for lists small enough not to need raw SQL. */
export function keysetWhere(cursor: Cursor | null): {
  where: { OR: Array<{ createdAt: { lt: Date } | { gt: Date } } | { createdAt: Date; id: { lt: string } | { gt: string } }> } | null;
  orderBy: Array<{ createdAt: 'asc' | 'desc' } | { id: 'asc' | 'desc' }>;
} {
  if (cursor?.direction === 'before') {
    return {
      where: { OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    };
  }
  return {
    where: cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : null,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  };
}

/**
 * Turn `limit + 1` rows fetched in query order into one page and its neighbours' cursors.
 * Going forwards, newer rows exist iff we came from a cursor; going backwards (rows fetched
 * oldest-first), older rows always exist and newer ones iff the extra row came back.
 */
export function keysetPage<T extends Keyset>(fetched: T[], limit: number, cursor: Cursor | null): KeysetPage<T> {
  const backwards = cursor?.direction === 'before';
  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasNewer = backwards ? more : cursor !== null;
  const hasOlder = backwards ? true : more;
  return {
    rows,
    nextCursor: hasOlder && last ? encodeCursor({ direction: 'after', createdAt: last.createdAt, id: last.id }) : null,
    prevCursor: hasNewer && first ? encodeCursor({ direction: 'before', createdAt: first.createdAt, id: first.id }) : null,
  };
}
