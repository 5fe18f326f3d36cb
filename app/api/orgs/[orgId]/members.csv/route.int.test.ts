import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { useTeamTestStack } from '@/lib/members/testing';
import { signedInSession } from '@/lib/session/testing';
import { MEMBERS_CSV_HEADER } from '@/lib/members/export';
import { GET } from './route';

/** The members export through its route: what the team page shows, its filters, who may have it. */

const stack = await useTeamTestStack();
const { prisma } = stack.db;

await prisma.membership.create({
  data: {
    organizationId: 'org_acme',
    email: 'formula@acme.test',
    name: '=HYPERLINK("http://evil.example")',
    role: 'member',
    status: 'ACTIVE',
  },
});

async function exportAs(userId: string, orgId = 'org_acme', query = ''): Promise<Response> {
  const { cookie } = await signedInSession(userId, userId === 'usr_gina' ? 'org_globex' : 'org_acme');
  return GET(new Request(`http://localhost:3000/api/orgs/${orgId}/members.csv${query}`, { headers: { cookie } }), {
    params: Promise.resolve({ orgId }),
  });
}

function parse(csv: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
}

describe('GET /api/orgs/:orgId/members.csv', () => {
  it('every member and invitation, with the team page’s columns, role names and status words', async () => {
    const response = await exportAs('usr_ada');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="members-org_acme-\d{4}-\d{2}-\d{2}\.csv"$/);
    const csv = await response.text();
    expect(csv.split('\r\n')[0]).toBe(MEMBERS_CSV_HEADER.map((h) => `"${h}"`).join(','));
    const rows = parse(csv);
    expect(rows).toHaveLength(await prisma.membership.count({ where: { organizationId: 'org_acme' } }));
    expect(rows.find((r) => r.email === 'max@acme.test')).toMatchObject({ role: 'Member', status: 'Active', expires_at: '' });
    const pending = rows.find((r) => r.email === 'new.hire@acme.test')!;
    expect(pending).toMatchObject({ status: 'Pending', invited_by: 'ada@acme.test' });
    expect(new Date(pending.expires_at!).getTime()).toBeGreaterThan(Date.now());
    // A name a spreadsheet would run is defused.
    expect(rows.find((r) => r.email === 'formula@acme.test')!.name).toBe(`'=HYPERLINK("http://evil.example")`);
  });

  it('the same filters as the page; a bad one is a 400 before any file', async () => {
    const pending = parse(await (await exportAs('usr_ada', 'org_acme', '?status=pending')).text());
    expect(pending.map((r) => r.email)).toEqual(['new.hire@acme.test']);
    const found = parse(await (await exportAs('usr_ada', 'org_acme', '?q=max')).text());
    expect(found.map((r) => r.email)).toEqual(['max@acme.test']);
    const bad = await exportAs('usr_ada', 'org_acme', '?status=deleted');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/json/);
  });

  it('anyone who sees the team may export it; another organization’s admin may not', async () => {
    expect((await exportAs('usr_max')).status).toBe(200);
    expect((await exportAs('usr_gina', 'org_acme')).status).toBe(403);
    const anonymous = await GET(new Request('http://localhost:3000/api/orgs/org_acme/members.csv'), {
      params: Promise.resolve({ orgId: 'org_acme' }),
    });
    expect(anonymous.status).toBe(401);
  });
});
