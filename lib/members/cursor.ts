/**
 * Opaque keyset cursors for lists ordered by (createdAt desc, id desc).
 *
 * A cursor names the row a page starts after (or ends before), not an offset, so a deep page
 * costs the same as the first and rows inserted meanwhile never shift what "next" means. It
 * travels in a URL, so it is base64url text; decoding is strict because a tampered cursor must
 * be a 400, never a 500.
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

const MAX_CURSOR_LENGTH = 200;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(cursor: Cursor): string {
  const tag = cursor.direction === 'after' ? 'a' : 'b';
  return Buffer.from(`${tag}|${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor in `text`, or null when it is not one this module wrote. */
export function decodeCursor(text: string): Cursor | null {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const parts = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (parts.length !== 3) return null;
  const [tag, iso, id] = parts as [string, string, string];
  if ((tag !== 'a' && tag !== 'b') || !ISO_PATTERN.test(iso) || !ID_PATTERN.test(id)) return null;
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) return null;
  return { direction: tag === 'a' ? 'after' : 'before', createdAt, id };
}

/**
 * Turn `limit + 1` rows fetched in query order into one page and its neighbours' cursors.
 * Going forwards, newer rows exist iff we came from a cursor; going backwards (rows fetched
 * oldest-first), older rows always exist and newer ones iff the extra row came back.
 */
export function keysetPage<T extends Keyset>(
  fetched: T[],
  limit: number,
  cursor: Cursor | null,
): { rows: T[]; nextCursor: string | null; prevCursor: string | null } {
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
