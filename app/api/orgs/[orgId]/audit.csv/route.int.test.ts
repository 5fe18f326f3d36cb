import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { seedDemoData } from '@/prisma/seed';
import { signedInSession } from '@/lib/session/testing';
import { useTestDatabase } from '@/test/database';
import { GET } from './route';

/**
 * The audit export through its route, with labels an attacker chose (an invitee's name, a user
 * agent, metadata): every field quoted, and no cell a spreadsheet would run as a formula —
 * neither read as CSV nor split on `;`, `|`, tab or a line break the way a semicolon-locale
 * spreadsheet or a paste does.
 */

const { prisma } = await useTestDatabase();
await seedDemoData(prisma);

const hostile = [
  'a;=1+1',
  ";=cmd|' /C calc'!A0",
  '=HYPERLINK("http://evil.example","click")',
  '  +SUM(1)',
  'first line\r\n@SUM(1)',
  'tab\t-2+3',
  'pipe|=1',
  'say "hi"; =2',
];
await prisma.auditEvent.createMany({
  data: hostile.map((label, i) => ({
    organizationId: 'org_acme',
    actorType: 'user',
    actorLabel: label,
    action: 'invitation.created',
    targetType: 'membership',
    targetLabel: `${label} #${i}`,
    ip: '203.0.113.9',
    userAgent: label,
    metadata: { note: label },
    createdAt: new Date(Date.UTC(2026, 2, 1, 0, i)),
  })),
});

async function exportAs(userId: string): Promise<Response> {
  const { cookie } = await signedInSession(userId, 'org_acme');
  return GET(new Request('http://localhost:3000/api/orgs/org_acme/audit.csv', { headers: { cookie } }), {
    params: Promise.resolve({ orgId: 'org_acme' }),
  });
}

/** Splits CSV text into raw fields (quotes kept), checking RFC 4180 shape on the way. */
function rawFields(csv: string): string[][] {
  const records: string[][] = [];
  const field = /"(?:[^"]|"")*"/y;
  let at = 0;
  let record: string[] = [];
  while (at < csv.length) {
    field.lastIndex = at;
    const match = field.exec(csv);
    if (!match) throw new Error(`unquoted field at offset ${at}: ${JSON.stringify(csv.slice(at, at + 40))}`);
    record.push(match[0]);
    at = field.lastIndex;
    if (csv[at] === ',') at++;
    else if (csv.startsWith('\r\n', at)) {
      records.push(record);
      record = [];
      at += 2;
    } else throw new Error(`unexpected ${JSON.stringify(csv.slice(at, at + 10))} after a field`);
  }
  expect(record).toEqual([]);
  return records;
}

const FORMULA = /^[\s"]*[=+\-@]/;

describe('GET /api/orgs/:orgId/audit.csv', () => {
  it('csvExport_auditQuotedAndDefused: every field is quoted, and no cell starts a formula in a comma or a semicolon locale', async () => {
    const response = await exportAs('usr_ada');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csv = await response.text();

    const records = rawFields(csv);
    expect(records[0]).toEqual([
      '"time"',
      '"actor_type"',
      '"actor"',
      '"action"',
      '"target_type"',
      '"target"',
      '"ip"',
      '"user_agent"',
      '"details"',
    ]);
    const rows = records.slice(1).filter((r) => r[3] === '"invitation.created"');
    expect(rows).toHaveLength(hostile.length);

    const parsed = Papa.parse<string[]>(csv, { delimiter: ',', newline: '\r\n', skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const cells = parsed.data.slice(1).flat();
    for (const cell of cells) expect(FORMULA.test(cell) || /^[\t\r\n]/.test(cell), JSON.stringify(cell)).toBe(false);
    // Same text back, one apostrophe before each formula start, nothing else changed or lost.
    const actors = parsed.data.filter((r) => r[3] === 'invitation.created').map((r) => r[2]!.replace(/'(?=[\s"]*[=+\-@]|[\t\r\n])/g, ''));
    expect(actors.sort()).toEqual([...hostile].sort());

    // Read as a semicolon-locale spreadsheet (or a paste) splits it: quotes give no protection there.
    for (const line of csv.split(/\r\n|\n|\r/)) {
      for (const piece of line.split(/[;|\t]/)) expect(FORMULA.test(piece), JSON.stringify(piece)).toBe(false);
    }
  });

  it('stays admin-only: a member gets 403 and no CSV', async () => {
    const response = await exportAs('usr_max');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
  });
});
