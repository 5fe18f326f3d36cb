import { afterAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { FAST, waitFor } from '@/lib/jobs/testing';
import { bulkResultsCsv, previewBulkInvite } from '@/lib/invitations/bulk';
import { bulkProgress, queueBulkSend } from '@/lib/invitations/bulk-job';
import { refusal, useInvitationTestbed } from '@/lib/invitations/testing';
import { directoryOverview, previewDirectoryInvite, searchDirectoryUsers } from './service';
import { addDirectoryOrg, DIR_ORG, dirMember, dora, engEmail, GROUP, NO_DIR_ORG, nora } from './testing';

const bed = await useInvitationTestbed({ timeoutMs: 1_000, extendSeed: addDirectoryOrg });
const { prisma, url } = bed.db;

const running: RunningWorker[] = [];
afterAll(async () => {
  await Promise.all(running.map((w) => w.stop()));
});

const engineering = Array.from({ length: 20 }, (_, i) => engEmail(i + 1));
const jobCount = () => prisma.bulkInviteJob.count({ where: { organizationId: DIR_ORG } });

describe('the directory picker (directoryOverview, searchDirectoryUsers)', () => {
  it('shows the connected directory and its groups with their member counts', async () => {
    const overview = await directoryOverview(dora, DIR_ORG);
    expect(overview?.directory).toMatchObject({ id: 'dir_dirco', provider: 'OKTA', totalUsers: 31, totalGroups: 3 });
    expect(overview?.groups.map((g) => [g.displayName, g.totalUsers])).toEqual([
      ['Engineering', 20],
      ['Sales', 6],
      ['Operations', 6],
    ]);
    expect(overview?.moreGroups).toBe(false);
  });

  it('says "no directory" for an organization without one', async () => {
    expect(await directoryOverview(nora, NO_DIR_ORG)).toBeNull();
    expect((await refusal(searchDirectoryUsers(nora, NO_DIR_ORG))).code).toBe('directory_not_connected');
  });

  it('pages through everyone 30 at a time, and through one group', async () => {
    const first = await searchDirectoryUsers(dora, DIR_ORG);
    expect(first.users).toHaveLength(30);
    expect(first.totalSize).toBe(31);
    const second = await searchDirectoryUsers(dora, DIR_ORG, { cursor: first.nextCursor });
    expect(second.users.map((u) => u.email)).toEqual(['loner@dirco.test']);
    expect(second.nextCursor).toBeNull();
    const sales = await searchDirectoryUsers(dora, DIR_ORG, { groupId: GROUP.sales });
    expect(sales.users.map((u) => u.email).sort()).toEqual(
      [engEmail(1), engEmail(2), 'sales01@dirco.test', 'sales02@dirco.test', 'sales03@dirco.test', 'sales04@dirco.test'].sort(),
    );
    expect(sales.users.find((u) => u.email === engEmail(1))).toMatchObject({ name: 'Engineer 01', groupIds: [GROUP.eng, GROUP.sales] });
  });

  it('searches names and emails on the server, across directory pages', async () => {
    const byEmail = await searchDirectoryUsers(dora, DIR_ORG, { query: 'ENG1' });
    expect(byEmail.users.map((u) => u.email)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map(engEmail));
    // "Lou Loner" is the 31st user: on the directory's second page.
    expect((await searchDirectoryUsers(dora, DIR_ORG, { query: 'lou lo' })).users.map((u) => u.id)).toEqual(['diruser_loner']);
    expect((await searchDirectoryUsers(dora, DIR_ORG, { query: 'nobody-matches' })).users).toEqual([]);
  });

  it('refuses a cursor from another search, and a member who may not invite', async () => {
    const first = await searchDirectoryUsers(dora, DIR_ORG);
    expect((await refusal(searchDirectoryUsers(dora, DIR_ORG, { query: 'eng', cursor: first.nextCursor }))).code).toBe('invalid_cursor');
    expect((await refusal(searchDirectoryUsers(dora, DIR_ORG, { cursor: 'not-a-cursor' }))).code).toBe('invalid_cursor');
    expect((await refusal(searchDirectoryUsers(dirMember, DIR_ORG))).code).toBe('forbidden');
    expect((await refusal(directoryOverview(dirMember, DIR_ORG))).code).toBe('forbidden');
  });
});

describe('previewDirectoryInvite', () => {
  it('expands groups to their members on the server and counts each person once', async () => {
    // Sales shares two engineers with Engineering, and eng03 is also picked alone.
    const view = await previewDirectoryInvite(dora, DIR_ORG, {
      groupIds: [GROUP.eng, GROUP.sales, GROUP.eng],
      userIds: ['diruser_eng03', 'diruser_loner'],
    });
    const emails = view.rows.map((r) => r.email);
    expect(emails).toHaveLength(25);
    expect(new Set(emails).size).toBe(25);
    expect(emails.sort()).toEqual(
      [...engineering, 'sales01@dirco.test', 'sales02@dirco.test', 'sales03@dirco.test', 'sales04@dirco.test', 'loner@dirco.test'].sort(),
    );
    expect(view.counts).toMatchObject({ total: 25, pending: 25, skipped: 0 });
    expect(view.rows.every((r) => r.role === 'member')).toBe(true);
    expect(view.job).toMatchObject({ source: 'directory', status: 'PREVIEWED', fileName: null });
  });

  it('flags the same problems a CSV of the same people gets, with the same words', async () => {
    const view = await previewDirectoryInvite(dora, DIR_ORG, { groupIds: [GROUP.ops], userIds: [] });
    const reasons = Object.fromEntries(view.rows.map((r) => [r.name, r.reason]));
    expect(reasons).toEqual({
      'Dora Admin': 'Already a member.',
      'Ian Invited': 'Already invited.',
      'Fay Former': 'Deactivated in the directory: not invited.',
      'Cass Contractor': 'Domain not allowed: Dirco only invites addresses at dirco.test.',
      'Tia Twin': null,
      'Tom Twin': 'Duplicate of row 5 in this selection.',
    });
    expect(view.counts).toMatchObject({ total: 6, pending: 1, skipped: 5 });

    // The same people as a file (less the deactivated one, which only the directory knows about).
    const people = view.rows.filter((r) => r.name !== 'Fay Former');
    const file = ['email,name', ...people.map((r) => `${r.name === 'Tom Twin' ? 'Twin@dirco.test' : r.email},${r.name}`)].join('\n');
    const csv = await previewBulkInvite(dora, DIR_ORG, { fileName: 'ops.csv', text: file });
    expect(csv.rows.map((r) => r.reason?.replace('in this file', 'in this selection').replace('row 5', 'row N'))).toEqual(
      people.map((r) => r.reason?.replace('row 5', 'row N')),
    );
    expect(csv.job.source).toBe('csv');
  });

  it('flags rows over the seat limit, and uses the role the admin chose for the whole selection', async () => {
    await prisma.organization.update({ where: { id: DIR_ORG }, data: { maxAllowedUsers: 5 } });
    try {
      // Dora, Dmitri and Ian hold 3 of 5 seats: two of Sales get in.
      const view = await previewDirectoryInvite(dora, DIR_ORG, {
        groupIds: [],
        userIds: ['diruser_sales01', 'diruser_sales02', 'diruser_sales03'],
        role: 'admin',
      });
      expect(view.rows.map((r) => [r.email, r.role, r.status])).toEqual([
        ['sales01@dirco.test', 'admin', 'PENDING'],
        ['sales02@dirco.test', 'admin', 'PENDING'],
        ['sales03@dirco.test', 'admin', 'SKIPPED'],
      ]);
      expect(view.rows[2]!.reason).toMatch(/^Over the seat limit: Dirco has 5 seats/);
    } finally {
      await prisma.organization.update({ where: { id: DIR_ORG }, data: { maxAllowedUsers: null } });
    }
    expect((await refusal(previewDirectoryInvite(dora, DIR_ORG, { groupIds: [GROUP.eng], userIds: [], role: 'overlord' }))).code).toBe(
      'unknown_role',
    );
  });

  it('refuses ids that are not in the connected directory (tampered, or another organization’s) and stores nothing', async () => {
    const before = await jobCount();
    const tampered = await refusal(previewDirectoryInvite(dora, DIR_ORG, { groupIds: [GROUP.eng], userIds: ['diruser_nope'] }));
    expect(tampered).toMatchObject({ code: 'directory_selection_invalid', status: 400 });
    expect(tampered.message).toBe(
      'One person you picked is not in Okta (removed since the list was loaded?). Reload the list and pick again.',
    );
    const group = await refusal(previewDirectoryInvite(dora, DIR_ORG, { groupIds: ['dirgroup_elsewhere', 'x'], userIds: [] }));
    expect(group.message).toMatch(/^2 groups you picked are not in Okta/);
    expect((await refusal(previewDirectoryInvite(dora, DIR_ORG, { groupIds: [], userIds: [] }))).code).toBe('directory_selection_empty');
    // Dirco's group ids mean nothing in an organization without a directory.
    expect((await refusal(previewDirectoryInvite(nora, NO_DIR_ORG, { groupIds: [GROUP.eng], userIds: [] }))).code).toBe(
      'directory_not_connected',
    );
    expect((await refusal(previewDirectoryInvite(dirMember, DIR_ORG, { groupIds: [GROUP.eng], userIds: [] }))).code).toBe('forbidden');
    expect(await jobCount()).toBe(before);
  });

  it('stores nothing when Scalekit fails while the selection is read, and says so', async () => {
    const before = await jobCount();
    await bed.fault({ target: 'ListDirectoryUsers', grpcCode: 'RESOURCE_EXHAUSTED', count: 1 });
    const error = await refusal(previewDirectoryInvite(dora, DIR_ORG, { groupIds: [GROUP.eng], userIds: [] }));
    expect(error).toMatchObject({ code: 'scalekit_rate_limited', retryable: true });
    expect(await jobCount()).toBe(before);
  });
});

describe('sending a directory selection', () => {
  it('sends through the bulk queue: 20 invitations at Scalekit, audited as from the directory, with a results file', async () => {
    const view = await previewDirectoryInvite(dora, DIR_ORG, { groupIds: [GROUP.eng], userIds: [] });
    expect(view.counts.pending).toBe(20);
    const w = await startWorker({ connectionString: url, poolSize: 3, timing: FAST, stopTimeoutMs: 5_000 });
    running.push(w);
    await queueBulkSend(dora, DIR_ORG, view.job.id, { boss: w.boss });
    const done = await waitFor(
      'the directory job to finish',
      async () => {
        const p = await bulkProgress(dora, DIR_ORG, view.job.id);
        return p.status === 'COMPLETED' ? p : undefined;
      },
      60_000,
    );
    expect(done.counts).toMatchObject({ total: 20, invited: 20, failed: 0 });

    const { users } = await bed.scalekit.user.listOrganizationUsers(DIR_ORG, { pageSize: 100 });
    const invited = users.filter((u) => u.email.startsWith('eng'));
    expect(invited.map((u) => u.email).sort()).toEqual(engineering);
    expect(invited.every((u) => u.memberships.find((m) => m.organizationId === DIR_ORG)?.membershipStatus === 3)).toBe(true); // PENDING_INVITE

    const created = await prisma.auditEvent.findMany({ where: { organizationId: DIR_ORG, action: 'invitation.created' } });
    expect(created).toHaveLength(20);
    expect(created.every((e) => (e.metadata as { source?: string; bulkJobId?: string }).source === 'directory')).toBe(true);
    const completed = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'bulk_invite.completed', targetId: view.job.id } });
    expect(completed.metadata).toMatchObject({ source: 'directory', invited: 20 });

    const results = await bulkResultsCsv(dora, DIR_ORG, view.job.id);
    expect(results.fileName).toBe('directory-invitations-results.csv');
    expect(results.csv.split('\r\n').filter((l) => l.includes('"invited"'))).toHaveLength(20);

    // Picking the group again invites nobody twice.
    const again = await previewDirectoryInvite(dora, DIR_ORG, { groupIds: [GROUP.eng], userIds: [] });
    expect(again.counts).toMatchObject({ pending: 0, skipped: 20 });
    expect(new Set(again.rows.map((r) => r.reason))).toEqual(new Set(['Already invited.']));
  });
});
