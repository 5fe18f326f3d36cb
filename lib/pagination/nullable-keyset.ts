import { Prisma } from '@/lib/generated/prisma/client';
import { cursorDate, isCursorId, signCursorPayload, verifyCursorPayload, type KeysetPage, type PageDirection } from './keyset';

/**
 * Keyset pagination ordered by a NULLABLE timestamp column, then id: the team page sorted by last
 * sign-in, where "never" (NULL) reads as the oldest time there is, so it comes last in the
 * most-recent-first order and first in the longest-ago-first one.
 *
 * The nulls and the dated rows are fetched as two separate index ranges of the plain
 * (…, column, id) B-tree index, joined with UNION ALL: each part's ORDER BY matches the index
 * (forwards or backwards), so a page reads about `limit` index entries whatever its depth. A
 * single `ORDER BY column DESC NULLS LAST` would not match that index (its nulls sort the other
 * way) and PostgreSQL would sort the whole organization for every page; Prisma's schema cannot
 * describe an index with its own NULLS order.
 *
 * A cursor names its scope and order (signed like lib/pagination/keyset.ts's), so a cursor of one
 * order is refused by another instead of silently reading from the wrong place.
 */

export type NullableOrder = 'asc' | 'desc';

export interface NullableCursor {
  direction: PageDirection;
  /** The key of the row the page starts after (or ends before); null for a row without one */
  at: Date | null;
  id: string;
}

const SCOPE = /^[a-z_]{1,32}$/;

function payloadPrefix(scope: string, order: NullableOrder): string {
  if (!SCOPE.test(scope)) throw new Error(`Invalid cursor scope ${scope}`);
  return `n|${scope}|${order === 'asc' ? 'a' : 'd'}`;
}

export function encodeNullableCursor(scope: string, order: NullableOrder, cursor: NullableCursor): string {
  const tag = cursor.direction === 'after' ? 'a' : 'b';
  return signCursorPayload(`${payloadPrefix(scope, order)}|${tag}|${cursor.at ? cursor.at.toISOString() : ''}|${cursor.id}`);
}

/** The cursor, or null when it is not one this server wrote for this scope and order. */
export function decodeNullableCursor(text: string, scope: string, order: NullableOrder): NullableCursor | null {
  const payload = verifyCursorPayload(text);
  const prefix = `${payloadPrefix(scope, order)}|`;
  if (payload === null || !payload.startsWith(prefix)) return null;
  const parts = payload.slice(prefix.length).split('|');
  if (parts.length !== 3) return null;
  const [tag, iso, id] = parts as [string, string, string];
  if ((tag !== 'a' && tag !== 'b') || !isCursorId(id)) return null;
  const at = iso === '' ? null : cursorDate(iso);
  if (iso !== '' && !at) return null;
  return { direction: tag === 'a' ? 'after' : 'before', at, id };
}

export interface NullableKeysetQuery {
  /** Cursor scope: the sort's name */
  scope: string;
  order: NullableOrder;
  /** Column list (plain quoted names: it is also read from the union of the two parts); must include `column` and "id" */
  select: Prisma.Sql;
  from: Prisma.Sql;
  where: Prisma.Sql;
  /** The nullable timestamp column's name, as in the table */
  column: string;
  cursor: NullableCursor | null;
  limit: number;
}

/** One page, in `order`, with the neighbouring pages' cursors. */
export async function nullableKeysetPage<T extends { id: string }>(
  client: { $queryRaw<R>(query: Prisma.Sql): Prisma.PrismaPromise<R> },
  q: NullableKeysetQuery,
): Promise<KeysetPage<T>> {
  const backwards = q.cursor?.direction === 'before';
  // Which way the index is read: towards larger keys (NULL being the smallest) or smaller ones.
  const up = (q.order === 'asc') !== backwards;
  const col = Prisma.raw(`"${q.column.replace(/"/g, '')}"`);
  const dir = Prisma.raw(up ? 'ASC' : 'DESC');
  const cmp = Prisma.raw(up ? '>' : '<');
  const take = q.limit + 1;
  const c = q.cursor;

  // Past the cursor among the nulls: the nulls after its id, all of them or none.
  const nullPart =
    c === null || c.at === null || !up
      ? Prisma.sql`SELECT ${q.select}, 0 AS "_part" FROM ${q.from} WHERE ${q.where} AND ${col} IS NULL ${
          c?.at === null ? Prisma.sql`AND "id" ${cmp} ${c.id}` : Prisma.empty
        } ORDER BY ${col} ${dir}, "id" ${dir} LIMIT ${take}`
      : null;
  // Past the cursor among the dated rows.
  const datedPart =
    c === null || c.at !== null || up
      ? Prisma.sql`SELECT ${q.select}, 1 AS "_part" FROM ${q.from} WHERE ${q.where} AND ${col} IS NOT NULL ${
          c?.at ? Prisma.sql`AND (${col}, "id") ${cmp} (${c.at}, ${c.id})` : Prisma.empty
        } ORDER BY ${col} ${dir}, "id" ${dir} LIMIT ${take}`
      : null;
  // Going up, the nulls come first; going down, last.
  const parts = (up ? [nullPart, datedPart] : [datedPart, nullPart]).filter((p): p is Prisma.Sql => p !== null);
  const partOrder = Prisma.raw(up ? 'ASC' : 'DESC');
  // The outer select names the columns again, so the part number stays inside the query.
  const fetched = await client.$queryRaw<T[]>(
    Prisma.sql`SELECT ${q.select} FROM (${Prisma.join(
      parts.map((p) => Prisma.sql`(${p})`),
      ' UNION ALL ',
    )}) AS "page" ORDER BY "_part" ${partOrder}, ${col} ${dir}, "id" ${dir} LIMIT ${take}`,
  );
  const more = fetched.length > q.limit;
  const rows = fetched.slice(0, q.limit);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasPrevious = backwards ? more : c !== null;
  const hasNext = backwards ? true : more;
  const key = (row: T) => ((row as Record<string, unknown>)[q.column] as Date | null) ?? null;
  return {
    rows,
    nextCursor: hasNext && last ? encodeNullableCursor(q.scope, q.order, { direction: 'after', at: key(last), id: last.id }) : null,
    prevCursor: hasPrevious && first ? encodeNullableCursor(q.scope, q.order, { direction: 'before', at: key(first), id: first.id }) : null,
  };
}
