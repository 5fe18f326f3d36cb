import Papa from 'papaparse';
import { DEFAULT_ROLE } from '@/lib/auth/permissions';
import { CSV_MAX_BYTES, CSV_MAX_ROWS, csvTooLargeMessage } from './csv-limits';
import { parseInviteInput, type InviteInput } from './schemas';

/**
 * Reading an uploaded invitation CSV. Spreadsheets export all sorts:
 * a BOM, CRLF or CR line ends, quoted fields with commas and newlines,
 * `;` or tab separators, headers like "E-mail Address" or "First name" +
 * "Last name", or no header at all. Every data row comes back with either a
 * valid invitation or a sentence saying what is wrong with it; a broken file
 * gives one file-level error. Nothing here throws on bad input.
 */

export { CSV_LIMITS_TEXT, CSV_MAX_BYTES, CSV_MAX_ROWS, csvTooLargeMessage } from './csv-limits';

export interface CsvRow {
  /** The row's line in a spreadsheet: the header is row 1, the first data row 2 (1 without a header). */
  rowNumber: number;
  email: string;
  name: string | null;
  role: string;
  /** Set when the row cannot be sent; says why in words a person can act on. */
  error: string | null;
  invite: InviteInput | null;
}

export type CsvParseResult =
  | { ok: true; rows: CsvRow[]; hasHeader: boolean }
  | { ok: false; code: 'csv_invalid' | 'csv_too_large' | 'csv_too_many_rows'; message: string };

type Column = 'email' | 'role' | 'name' | 'first' | 'last';

const HEADER_ALIASES: Record<string, Column> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  workemail: 'email',
  useremail: 'email',
  role: 'role',
  roles: 'role',
  memberrole: 'role',
  accesslevel: 'role',
  name: 'name',
  fullname: 'name',
  displayname: 'name',
  username: 'name',
  firstname: 'first',
  givenname: 'first',
  first: 'first',
  lastname: 'last',
  surname: 'last',
  familyname: 'last',
  last: 'last',
};

function headerKey(cell: string): Column | undefined {
  return HEADER_ALIASES[cell.toLowerCase().replace(/[^a-z]/g, '')];
}

const ROLE_ALIASES: Record<string, string> = { administrator: 'admin', admins: 'admin', user: 'member', members: 'member' };

/** A role as the file may name it: by its name or its display name, in any case. */
export interface CsvRole {
  name: string;
  displayName: string;
}

/** The two roles every Scalekit environment starts with: what a file is checked against when the caller names none. */
const BASIC_ROLES: readonly CsvRole[] = [
  { name: 'admin', displayName: 'Admin' },
  { name: 'member', displayName: 'Member' },
];

function normalizeRole(raw: string, roles: readonly CsvRole[]): string {
  const role = raw.trim().toLowerCase();
  if (role === '') return DEFAULT_ROLE;
  const named = roles.find((r) => r.name.toLowerCase() === role || r.displayName.toLowerCase() === role);
  return named?.name ?? ROLE_ALIASES[role] ?? role;
}

function clean(cell: unknown): string {
  return typeof cell === 'string' ? cell.trim() : '';
}

/** Parse CSV text (already decoded). `byteLength` is the upload's size, checked before parsing. */
export function parseInviteCsv(
  text: string,
  byteLength: number = Buffer.byteLength(text, 'utf8'),
  roles: readonly CsvRole[] = BASIC_ROLES,
): CsvParseResult {
  if (byteLength > CSV_MAX_BYTES) {
    return { ok: false, code: 'csv_too_large', message: csvTooLargeMessage(byteLength) };
  }
  const body = text.replace(/^\uFEFF/, '');
  if (body.includes('\u0000')) {
    return {
      ok: false,
      code: 'csv_invalid',
      message: 'That file is not a text CSV (it contains binary data). Export it from your spreadsheet as CSV.',
    };
  }
  if (body.trim() === '') return { ok: false, code: 'csv_invalid', message: 'The file is empty. Add one email address per row.' };

  const parsed = Papa.parse<string[]>(body, { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', '|'] });
  const records = parsed.data.filter((r) => Array.isArray(r));
  if (records.length === 0) return { ok: false, code: 'csv_invalid', message: 'The file has no rows. Add one email address per row.' };

  const first = records[0]!.map(clean);
  const headerColumns = first.map(headerKey);
  const hasHeader = headerColumns.includes('email') || (headerColumns.some(Boolean) && !first.some((c) => c.includes('@')));
  let columns: Array<Column | undefined>;
  if (hasHeader) {
    if (!headerColumns.includes('email')) {
      return {
        ok: false,
        code: 'csv_invalid',
        message: `No email column found. The header row needs a column named "email" (found: ${first.filter(Boolean).slice(0, 6).join(', ') || 'nothing'}).`,
      };
    }
    columns = headerColumns;
  } else {
    // No header: email, then role, then name, the order the page's template uses.
    columns = ['email', 'role', 'name'];
  }

  const dataRecords = hasHeader ? records.slice(1) : records;
  if (dataRecords.length === 0) return { ok: false, code: 'csv_invalid', message: 'The file has a header but no rows under it.' };
  if (dataRecords.length > CSV_MAX_ROWS) {
    return {
      ok: false,
      code: 'csv_too_many_rows',
      message: `The file has ${dataRecords.length.toLocaleString('en-US')} rows; the limit is ${CSV_MAX_ROWS.toLocaleString('en-US')}. Split it into smaller files.`,
    };
  }

  // Papaparse reports broken quoting per record index; keep the first message for each.
  const recordErrors = new Map<number, string>();
  for (const e of parsed.errors) {
    if (typeof e.row === 'number' && !recordErrors.has(e.row) && e.code !== 'UndetectableDelimiter') recordErrors.set(e.row, e.message);
  }

  const seen = new Map<string, number>();
  const rows: CsvRow[] = dataRecords.map((record, index) => {
    const recordIndex = hasHeader ? index + 1 : index;
    const rowNumber = recordIndex + 1;
    const cell = (col: Column) => {
      const i = columns.indexOf(col);
      return i >= 0 ? clean(record[i]) : '';
    };
    const email = cell('email');
    const role = normalizeRole(cell('role'), roles);
    const name = cell('name') || [cell('first'), cell('last')].filter(Boolean).join(' ') || null;
    const row: CsvRow = { rowNumber, email, name, role, error: null, invite: null };

    const quoteError = recordErrors.get(recordIndex);
    if (quoteError) return { ...row, error: `This row is not valid CSV (${quoteError.toLowerCase()}). Check its quotes.` };
    return checkInviteRow(row, roles, seen);
  });
  return { ok: true, rows, hasHeader };
}

/**
 * One row's own checks (email missing or invalid, unknown role, a duplicate of an earlier row),
 * the same for a CSV row and for a person picked from the directory (lib/directory-invite).
 * `seen` carries the addresses of the rows before it; `where` names the list in the message.
 */
export function checkInviteRow(
  row: Pick<CsvRow, 'rowNumber' | 'email' | 'name' | 'role'>,
  roles: readonly CsvRole[],
  seen: Map<string, number>,
  where = 'this file',
): CsvRow {
  const { email, name, role, rowNumber } = row;
  const base: CsvRow = { ...row, error: null, invite: null };
  if (!email) return { ...base, error: 'Email is missing.' };
  const parsedRow = parseInviteInput({ email, role, ...(name ? { name } : {}) });
  if (!parsedRow.ok && !parsedRow.fields.role) {
    return { ...base, error: parsedRow.fields.email ? `"${truncate(email)}" is not a valid email address.` : parsedRow.message };
  }
  if (!parsedRow.ok || !roles.some((r) => r.name === role)) {
    return { ...base, error: `Unknown role "${truncate(role)}". Use ${roles.map((r) => r.name).join(', ')}.` };
  }
  const normalized = parsedRow.value.email;
  const duplicateOf = seen.get(normalized);
  if (duplicateOf !== undefined) return { ...base, email: normalized, error: `Duplicate of row ${duplicateOf} in ${where}.` };
  seen.set(normalized, rowNumber);
  return { ...base, email: normalized, invite: parsedRow.value };
}

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// Exports go through the one writer (quoted fields, formula defence); bulk results use it from here.
export { toCsv } from '@/lib/csv/write';
