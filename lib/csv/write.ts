/**
 * The one CSV writer for every file the app hands out (audit export, bulk-invite results).
 *
 * Cells hold text people typed (names, emails, user agents, audit labels), and the file is
 * opened in spreadsheets, which run a cell that looks like a formula. So:
 *
 * - Every field is quoted, embedded quotes doubled (RFC 4180): with the file's own separator
 *   (comma) each field is exactly one cell, and CR/LF inside a field stay inside its quotes.
 * - A field that would start a formula gets a leading `'`: `=`, `+`, `-`, `@` first (also after
 *   leading whitespace, which some importers trim), or a tab/CR/LF first (OWASP's list).
 * - Quoting is not enough when the reader splits on another separator. Opened with `;` (the
 *   list separator of semicolon locales) or tab, a line `"r1",";=cmd|' /C calc'!A0"` is not
 *   read as two quoted fields: a quote opens a quoted field only where a field starts, and
 *   with `;` as separator fields start only at the line start and after each `;`, so the `;`
 *   inside the second field splits it and `=cmd|…` became a formula (checked with
 *   LibreOffice Calc's CSV import, separator `;`, and likewise a line break inside a later field
 *   with separator tab). So the start of every piece after a `;`, `|`, tab, CR or LF inside a
 *   field is defused the same way: whichever of those a reader splits on (the ones our own
 *   upload parser guesses, plus line breaks), no piece starts a formula. A reader told to split
 *   on spaces is not covered: that would put apostrophes into ordinary text like "a - b".
 *
 * Lines end with CRLF. Nothing is trimmed or dropped, so a defused value still reads the same to
 * a person, with an apostrophe more.
 */

export type CsvValue = string | number | boolean | bigint | Date | null | undefined | object;

/**
 * A formula trigger at the start, after optional whitespace or quotes (a reader may trim the
 * one and open a quoted field with the other), or a control character first.
 */
const FORMULA_START = /^(?:[\s"]*[=+\-@]|[\t\r\n])/;
/** The same right after a separator a spreadsheet could split on, inside the field. */
const FORMULA_AFTER_SEPARATOR = /([;|\t\r\n][\s"]*)(?=[=+\-@])/g;

function text(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  return String(value);
}

/** The characters a spreadsheet shows in the cell: never the start of a formula. */
export function defuseFormula(value: string): string {
  const inner = value.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return FORMULA_START.test(inner) ? `'${inner}` : inner;
}

/** One field: defused, then always quoted with quotes doubled. */
export function csvField(value: CsvValue): string {
  return `"${defuseFormula(text(value)).replace(/"/g, '""')}"`;
}

/** One record, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A whole file: the header, then one line per row. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return [header, ...rows].map(csvLine).join('');
}
