import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_MAX_ROWS, csvTooLargeMessage, parseInviteCsv, toCsv, type CsvRow } from './csv';

function rowsOf(text: string): CsvRow[] {
  const result = parseInviteCsv(text);
  if (!result.ok) throw new Error(`expected rows, got: ${result.message}`);
  return result.rows;
}

describe('parseInviteCsv', () => {
  it('reads a BOM, CRLF line ends, quoted fields and header variants', () => {
    const text = '\uFEFFE-mail Address,Role,"Full Name"\r\nada@x.test,Admin,"Lovelace, Ada"\r\n"bob@x.test",,"Bob ""The Builder"""\r\n\r\n';
    const rows = rowsOf(text);
    expect(rows).toEqual([
      expect.objectContaining({ rowNumber: 2, email: 'ada@x.test', role: 'admin', name: 'Lovelace, Ada', error: null }),
      expect.objectContaining({ rowNumber: 3, email: 'bob@x.test', role: 'member', name: 'Bob "The Builder"', error: null }),
    ]);
    expect(rows[0]!.invite).toEqual({ email: 'ada@x.test', role: 'admin', name: 'Lovelace, Ada' });
  });

  it('joins first and last name columns, accepts ; separators and CR line ends', () => {
    const rows = rowsOf('first name;last name;email\rAda;Lovelace;ADA@X.TEST\rGrace;;grace@x.test');
    expect(rows.map((r) => [r.email, r.name])).toEqual([
      ['ada@x.test', 'Ada Lovelace'],
      ['grace@x.test', 'Grace'],
    ]);
  });

  it('reads a file without a header as email, role, name', () => {
    const rows = rowsOf('ada@x.test,admin,Ada\nbob@x.test');
    expect(rows.map((r) => [r.rowNumber, r.email, r.role, r.name])).toEqual([
      [1, 'ada@x.test', 'admin', 'Ada'],
      [2, 'bob@x.test', 'member', null],
    ]);
  });

  it('flags bad emails, unknown roles, missing emails and duplicates per row', () => {
    const rows = rowsOf(
      'email,role\nnot-an-email,member\nok@x.test,owner\n,admin\nDup@x.test,member\ndup@X.test,admin\nfine@x.test,MEMBER',
    );
    expect(rows.map((r) => r.error)).toEqual([
      '"not-an-email" is not a valid email address.',
      'Unknown role "owner". Use admin, member.',
      'Email is missing.',
      null,
      'Duplicate of row 5 in this file.',
      null,
    ]);
  });

  it('flags a row with broken quoting without losing the others', () => {
    const rows = rowsOf('email,name\ngood@x.test,Good\n"bad@x.test,Unclosed\n');
    expect(rows[0]).toMatchObject({ email: 'good@x.test', error: null });
    expect(rows.slice(1).every((r) => r.error !== null)).toBe(true);
  });

  it('refuses empty, binary, header-only, headerless-without-email, too-large and too-long files with one clear message', () => {
    expect(parseInviteCsv('')).toMatchObject({ ok: false, code: 'csv_invalid', message: expect.stringMatching(/empty/) });
    expect(parseInviteCsv('\uFEFF \r\n')).toMatchObject({ ok: false, code: 'csv_invalid' });
    expect(parseInviteCsv('PK\u0003\u0004\u0000\u0000')).toMatchObject({
      ok: false,
      code: 'csv_invalid',
      message: expect.stringMatching(/binary/),
    });
    expect(parseInviteCsv('email,role\n')).toMatchObject({ ok: false, message: expect.stringMatching(/no rows/) });
    expect(parseInviteCsv('name,role\nAda,admin')).toMatchObject({ ok: false, message: expect.stringMatching(/No email column/) });
    expect(parseInviteCsv('email\na@x.test', 1_000_001)).toEqual({
      ok: false,
      code: 'csv_too_large',
      message: csvTooLargeMessage(1_000_001),
    });
    const tooMany = 'email\n' + Array.from({ length: CSV_MAX_ROWS + 1 }, (_, i) => `u${i}@x.test`).join('\n');
    expect(parseInviteCsv(tooMany)).toMatchObject({
      ok: false,
      code: 'csv_too_many_rows',
      message: expect.stringMatching(/1,001 rows; the limit is 1,000/),
    });
    const exactly = 'email\n' + Array.from({ length: CSV_MAX_ROWS }, (_, i) => `u${i}@x.test`).join('\n');
    expect(rowsOf(exactly)).toHaveLength(CSV_MAX_ROWS);
  });
});

describe('parseInviteCsv properties', () => {
  const badEmail = fc
    .oneof(
      fc.string({ maxLength: 40 }).filter((s) => !s.includes('@')),
      fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a} @${b}`),
      fc.constantFrom(
        'a@',
        '@b.test',
        'a@@b.test',
        'a b@c.test',
        'a@b',
        '"quoted"@',
        `${'x'.repeat(250)}@y.test`,
        'a@b..test',
        'a@-b.test',
      ),
    )
    .filter((s) => s.trim() !== '' && !/[\r\n",;\t|]/.test(s));
  const badRole = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => {
    const r = s.trim().toLowerCase();
    return r !== '' && !['admin', 'member', 'administrator', 'admins', 'user', 'members'].includes(r) && !/[\r\n",;\t|]/.test(s);
  });

  it('flags every generated bad row with its own error and never throws (≥ 200 files)', () => {
    const badRow = fc.oneof(
      badEmail.map((email) => ({ line: `${email},member`, kind: 'email' as const })),
      badRole.map((role) => ({ line: `ok${Math.random().toString(36).slice(2, 8)}@x.test,${role}`, kind: 'role' as const })),
    );
    fc.assert(
      fc.property(fc.array(badRow, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 5 }), (bad, goodCount) => {
        const good = Array.from({ length: goodCount }, (_, i) => `good${i}@x.test,member`);
        const lines = [...good, ...bad.map((b) => b.line)];
        const result = parseInviteCsv(`email,role\n${lines.join('\n')}`);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.rows).toHaveLength(lines.length);
        const flagged = result.rows.slice(goodCount);
        for (const [i, row] of flagged.entries()) {
          expect(row.error, lines[goodCount + i]).toEqual(expect.any(String));
          expect(row.invite).toBeNull();
          expect(row.error).toMatch(bad[i]!.kind === 'email' ? /email/i : /role/i);
        }
        expect(result.rows.slice(0, goodCount).every((r) => r.error === null)).toBe(true);
      }),
      { numRuns: 250 },
    );
  });

  it('returns rows or one file-level error for arbitrary text, never throwing (≥ 300 inputs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc
            .array(fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }), { maxLength: 10 })
            .map((rows) => rows.map((r) => r.join(',')).join('\r\n')),
        ),
        (text) => {
          const result = parseInviteCsv(text);
          if (result.ok) {
            for (const row of result.rows) expect(row.error === null).toBe(row.invite !== null);
          } else {
            expect(result.message.length).toBeGreaterThan(10);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('csvTooLargeMessage', () => {
  it('says the file is larger than 1 MB, how large it is (rounded up), and what to do', () => {
    expect(csvTooLargeMessage(1_500_000)).toBe(
      'The file is larger than 1 MB (it is 1.5 MB). Split it into smaller files, each up to 1,000 rows and 1 MB.',
    );
    expect(csvTooLargeMessage(1_000_001)).toMatch(/^The file is larger than 1 MB \(it is 1\.1 MB\)/);
    expect(csvTooLargeMessage(12_340_000)).toMatch(/\(it is 12\.4 MB\)/);
  });
});

describe('csv export', () => {
  it('writes bulk results through the shared writer: every field quoted, formulas defused, also after a semicolon', () => {
    expect(
      toCsv(
        ['row', 'email', 'reason'],
        [
          [2, 'a@x.test', null],
          [3, '=HYPERLINK("http://evil")', 'a;=1+1'],
        ],
      ),
    ).toBe(`"row","email","reason"\r\n"2","a@x.test",""\r\n"3","'=HYPERLINK(""http://evil"")","a;'=1+1"\r\n`);
  });
});
