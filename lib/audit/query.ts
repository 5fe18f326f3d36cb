import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors/app-error';
import { assertCan } from '@/lib/auth/authorize';
import { AUDIT_ACTIONS, type AuditAction } from '@/lib/audit/record';
import { csvLine } from '@/lib/csv/write';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { decodeCursor, keysetPage, keysetSql, type Cursor } from '@/lib/pagination/keyset';

/**
 * Reading the audit log: one organization's events, newest first, filtered by action, by text
 * (who did it or to whom) and by date, keyset-paginated like the team page; and the same
 * selection as CSV for download.
 */

export interface AuditFilters {
  action?: string;
  /** Substring of the actor's or the target's label (usually an email) */
  q?: string;
  /** Inclusive lower bound */
  from?: Date;
  /** Exclusive upper bound */
  to?: Date;
}

export interface AuditListInput extends AuditFilters {
  cursor?: string;
  limit?: number;
}

export interface AuditRow {
  id: string;
  createdAt: Date;
  actorType: string;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetLabel: string | null;
  metadata: unknown;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditPage {
  rows: AuditRow[];
  nextCursor: string | null;
  prevCursor: string | null;
}

export const AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 200;
/** A CSV larger than this is cut off (and says so in its last line); narrow the dates instead. */
export const MAX_CSV_ROWS = 100_000;

function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

function validFilters(f: AuditFilters): { action: AuditAction | null; q: string | null; from: Date | null; to: Date | null } {
  const action = f.action?.trim() || null;
  if (action !== null && !isAuditAction(action)) throw new AppError('invalid_input', 'Unknown action filter.', { field: 'action' });
  const q = f.q?.trim() || null;
  if (q !== null && q.length > 100) throw new AppError('invalid_input', 'Search text can be at most 100 characters.', { field: 'q' });
  for (const [name, d] of [
    ['from', f.from],
    ['to', f.to],
  ] as const) {
    if (d !== undefined && Number.isNaN(d.getTime()))
      throw new AppError('invalid_input', `"${name}" is not a valid date.`, { field: name });
  }
  if (f.from && f.to && f.from.getTime() >= f.to.getTime())
    throw new AppError('invalid_input', '"from" must be before "to".', { field: 'from' });
  return { action, q, from: f.from ?? null, to: f.to ?? null };
}

function whereSql(organizationId: string, f: ReturnType<typeof validFilters>): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`"organizationId" = ${organizationId}`];
  if (f.action) parts.push(Prisma.sql`"action" = ${f.action}`);
  if (f.q) {
    const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(Prisma.sql`(lower(coalesce("actorLabel", '')) LIKE ${pattern} OR lower(coalesce("targetLabel", '')) LIKE ${pattern})`);
  }
  if (f.from) parts.push(Prisma.sql`"createdAt" >= ${f.from}`);
  if (f.to) parts.push(Prisma.sql`"createdAt" < ${f.to}`);
  return Prisma.join(parts, ' AND ');
}

const COLUMNS = Prisma.sql`"id", "createdAt", "actorType", "actorLabel", "action", "targetType", "targetLabel", "metadata", "ip", "userAgent"`;

async function fetchPage(
  organizationId: string,
  filters: ReturnType<typeof validFilters>,
  cursor: Cursor | null,
  limit: number,
): Promise<AuditRow[]> {
  const keyset = keysetSql(cursor);
  return db.$queryRaw<
    AuditRow[]
  >`SELECT ${COLUMNS} FROM "AuditEvent" WHERE ${whereSql(organizationId, filters)} ${keyset.where} ${keyset.orderBy} LIMIT ${limit}`;
}

export async function listAuditEvents(actor: Actor, organizationId: string, input: AuditListInput = {}): Promise<AuditPage> {
  assertCan(actor, organizationId, 'audit:read');
  const filters = validFilters(input);
  const limit = input.limit ?? AUDIT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE_SIZE) {
    throw new AppError('invalid_input', `Page size must be a whole number from 1 to ${MAX_AUDIT_PAGE_SIZE}.`, { field: 'limit' });
  }
  let cursor: Cursor | null = null;
  if (input.cursor) {
    cursor = decodeCursor(input.cursor);
    if (!cursor)
      throw new AppError('invalid_cursor', 'That page link is not valid any more. Start again from the first page.', { field: 'cursor' });
  }
  return keysetPage(await fetchPage(organizationId, filters, cursor, limit + 1), limit, cursor);
}

export const AUDIT_CSV_HEADER = ['time', 'actor_type', 'actor', 'action', 'target_type', 'target', 'ip', 'user_agent', 'details'] as const;

/** One event as a CSV record (lib/csv/write.ts: every field quoted, formulas defused; labels come from user input). */
export function auditCsvLine(row: AuditRow): string {
  return csvLine([
    row.createdAt,
    row.actorType,
    row.actorLabel,
    row.action,
    row.targetType,
    row.targetLabel,
    row.ip,
    row.userAgent,
    row.metadata ?? null,
  ]);
}

/**
 * The filtered audit log as CSV lines (CRLF-terminated), streamed page by page so memory stays
 * flat however long the log is. Authorization and validation happen before the first line.
 */
export async function auditCsv(actor: Actor, organizationId: string, input: AuditFilters = {}): Promise<AsyncGenerator<string>> {
  assertCan(actor, organizationId, 'audit:read');
  const filters = validFilters(input);
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(AUDIT_CSV_HEADER);
    let cursor: Cursor | null = null;
    let written = 0;
    for (;;) {
      const batch = await fetchPage(organizationId, filters, cursor, 1000);
      for (const row of batch) {
        if (written >= MAX_CSV_ROWS) {
          yield csvLine([`truncated after ${MAX_CSV_ROWS} rows; narrow the date range`]);
          return;
        }
        yield auditCsvLine(row);
        written++;
      }
      const last = batch[batch.length - 1];
      if (batch.length < 1000 || !last) return;
      cursor = { direction: 'after', createdAt: last.createdAt, id: last.id };
    }
  }
  return lines();
}

function parseDay(value: string | null, field: 'from' | 'to'): Date | undefined {
  if (!value) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new AppError('invalid_input', `"${field}" must be a date like 2026-01-31.`, { field });
  const day = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value)
    throw new AppError('invalid_input', `"${field}" is not a real date.`, { field });
  // "to" is inclusive for people (to=31 Jan means through that day), exclusive for the query.
  return field === 'to' ? new Date(day.getTime() + 86_400_000) : day;
}

/** Filters from a URL's search params (?action=&q=&from=YYYY-MM-DD&to=YYYY-MM-DD), shared by page and export. */
export function auditFiltersFromSearchParams(params: URLSearchParams): AuditFilters {
  return {
    action: params.get('action') || undefined,
    q: params.get('q') || undefined,
    from: parseDay(params.get('from'), 'from'),
    to: parseDay(params.get('to'), 'to'),
  };
}
