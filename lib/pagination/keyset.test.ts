import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, keysetPage, keysetWhere, type Cursor, type Keyset } from './keyset';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

/** What the SQL does, in memory: the keyset condition and order of keysetWhere, then LIMIT. */
function fetch(all: Keyset[], cursor: Cursor | null, limit: number): Keyset[] {
  const { orderBy } = keysetWhere(cursor);
  const cmp = (a: Keyset, b: Keyset) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const dir = (orderBy[0] as { createdAt: 'asc' | 'desc' }).createdAt === 'asc' ? 1 : -1;
  return all
    .filter((r) => !cursor || (cursor.direction === 'after' ? cmp(r, cursor) < 0 : cmp(r, cursor) > 0))
    .sort((a, b) => dir * cmp(a, b))
    .slice(0, limit);
}

function page(all: Keyset[], text: string | null, limit: number) {
  const cursor = text === null ? null : decodeCursor(text);
  if (text !== null && !cursor) throw new Error('cursor refused');
  return keysetPage(fetch(all, cursor, limit + 1), limit, cursor);
}

describe('keyset cursors', () => {
  it('round-trips direction, timestamp and id', () => {
    for (const cursor of [
      { direction: 'after', createdAt: at(5), id: 'mem_01abc' },
      { direction: 'before', createdAt: new Date('2026-03-04T05:06:07.089Z'), id: 'x_Y-9' },
    ] as const) {
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    }
  });

  it('refuses a tampered cursor: an edited position, a swapped signature, garbage, or an unsigned one', () => {
    const good = encodeCursor({ direction: 'after', createdAt: at(5), id: 'mem_1' });
    const [, signature] = good.split('.');
    const editedBody = Buffer.from(`a|${at(5).toISOString()}|mem_2`).toString('base64url');
    expect(decodeCursor(`${editedBody}.${signature}`)).toBeNull();
    const other = encodeCursor({ direction: 'after', createdAt: at(6), id: 'mem_1' });
    expect(decodeCursor(`${good.split('.')[0]}.${other.split('.')[1]}`)).toBeNull();
    expect(decodeCursor(editedBody)).toBeNull();
    for (const junk of ['', 'not-a-cursor', 'Zm9v', 'a.b.c', `${good}x`, `${'A'.repeat(300)}.${signature}`, good.replace('.', '!')]) {
      expect(decodeCursor(junk)).toBeNull();
    }
  });

  it('pages forwards and backwards without repeating or skipping a row, ties on createdAt broken by id', () => {
    // 23 rows over 8 distinct timestamps, so many pages split inside a run of equal createdAt.
    const all: Keyset[] = Array.from({ length: 23 }, (_, i) => ({ createdAt: at(i % 8), id: `row_${String(i).padStart(2, '0')}` }));
    const expected = [...all].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id);

    const forward: string[][] = [];
    let current = page(all, null, 5);
    expect(current.prevCursor).toBeNull();
    forward.push(current.rows.map((r) => r.id));
    while (current.nextCursor) {
      current = page(all, current.nextCursor, 5);
      forward.push(current.rows.map((r) => r.id));
    }
    expect(forward.flat()).toEqual(expected);
    expect(forward).toHaveLength(5);

    const backward: string[][] = [];
    while (current.prevCursor) {
      current = page(all, current.prevCursor, 5);
      backward.unshift(current.rows.map((r) => r.id));
    }
    expect(current.prevCursor).toBeNull();
    // Walking back from the last page lands on the same row sets, newest first.
    expect(backward.flat()).toEqual(expected.slice(0, expected.length - forward[forward.length - 1]!.length));
    expect(backward).toEqual(forward.slice(0, -1));
  });
});
