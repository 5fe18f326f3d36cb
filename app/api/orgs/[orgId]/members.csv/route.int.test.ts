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

  it('the inactive filter and the sort by last sign-in reach the file; unknown values are 400s that say what is allowed', async () => {
    await prisma.membership.updateMany({
      where: { organizationId: 'org_acme', email: 'max@acme.test' },
      data: { lastSignInAt: new Date(Date.now() - 45 * 86_400_000), lastSignInMethod: 'social:github' },
    });
    await prisma.membership.updateMany({
      where: { organizationId: 'org_acme', email: 'ada@acme.test' },
      data: { lastSignInAt: new Date(), lastSignInMethod: 'otp' },
    });
    const inactive = parse(await (await exportAs('usr_ada', 'org_acme', '?inactive=30&sort=last_sign_in_desc')).text());
    expect(inactive[0]).toMatchObject({ email: 'max@acme.test', sign_in_method: 'GitHub' });
    expect(inactive.map((r) => r.email)).not.toContain('ada@acme.test');
    expect(inactive.map((r) => r.email)).not.toContain('new.hire@acme.test');
    expect(inactive.slice(1).every((r) => r.last_sign_in_at === '' && r.sign_in_method === '')).toBe(true);
    for (const [query, message] of [
      ['?inactive=45', /Inactive days must be one of 30, 60, 90/],
      ['?inactive=soon', /Inactive days must be one of 30, 60, 90/],
      ['?sort=name', /Sort must be one of last_sign_in_desc, last_sign_in_asc/],
    ] as const) {
      const bad = await exportAs('usr_ada', 'org_acme', query);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toMatch(message);
    }
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
