import { describe, expect, it } from 'vitest';
import { decodeCursor, signCursorPayload } from './keyset';
import { decodeNullableCursor, encodeNullableCursor, type NullableCursor } from './nullable-keyset';

describe('nullable keyset cursors', () => {
  it('round-trip direction, a timestamp or null, and the id', () => {
    for (const cursor of [
      { direction: 'after', at: new Date('2026-03-04T05:06:07.089Z'), id: 'mem_1' },
      { direction: 'before', at: null, id: 'mem_x-Y_9' },
    ] satisfies NullableCursor[]) {
      expect(decodeNullableCursor(encodeNullableCursor('last_sign_in', 'desc', cursor), 'last_sign_in', 'desc')).toEqual(cursor);
    }
  });

  it('are refused by another order, another scope and the plain keyset decoder', () => {
    const text = encodeNullableCursor('last_sign_in', 'desc', { direction: 'after', at: null, id: 'mem_1' });
    expect(decodeNullableCursor(text, 'last_sign_in', 'asc')).toBeNull();
    expect(decodeNullableCursor(text, 'last_seen', 'desc')).toBeNull();
    expect(decodeCursor(text)).toBeNull();
  });

  it('refuse a signed payload whose parts are not what the encoder writes', () => {
    for (const payload of [
      'n|last_sign_in|d|a|2026-03-04T05:06:07Z|mem_1',
      'n|last_sign_in|d|x||mem_1',
      "n|last_sign_in|d|a||mem'1",
      'n|last_sign_in|d|a||mem_1|extra',
    ]) {
      expect(decodeNullableCursor(signCursorPayload(payload), 'last_sign_in', 'desc')).toBeNull();
    }
  });

  it('refuse an edited cursor', () => {
    const text = encodeNullableCursor('last_sign_in', 'asc', { direction: 'after', at: null, id: 'mem_1' });
    const [, signature] = text.split('.');
    const edited = `${Buffer.from('n|last_sign_in|a|a||mem_2').toString('base64url')}.${signature}`;
    expect(decodeNullableCursor(edited, 'last_sign_in', 'asc')).toBeNull();
  });
});
