import { expect, test } from '@playwright/test';
import pg from 'pg';
import { BulkInvitePage, freshOrganization, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { seriousViolations } from './support/axe';
import { E2E_DATABASE_NAME, E2E_EMULATOR_URL } from './support/test-env';

/**
 * The send runs in a background job (the e2e stack's worker process), so leaving the page stops
 * nothing: coming back shows the file still sending, with progress that moves without a reload,
 * and then its results — every row invited once, none twice.
 */

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> {
  const url = new URL(process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${E2E_DATABASE_NAME}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function jobOf(orgId: string): Promise<{ id: string; status: string; invited: number; pending: number; failed: number }> {
  const [job] = await query<{ id: string; status: string; invited: string; pending: string; failed: string }>(
    `SELECT j.id, j.status,
            count(*) FILTER (WHERE r.status = 'INVITED') AS invited,
            count(*) FILTER (WHERE r.status = 'PENDING') AS pending,
            count(*) FILTER (WHERE r.status = 'FAILED') AS failed
       FROM "BulkInviteJob" j JOIN "BulkInviteRow" r ON r."jobId" = j.id
      WHERE j."organizationId" = $1 GROUP BY j.id`,
    [orgId],
  );
  expect(job, `a bulk job in ${orgId}`).toBeTruthy();
  return { id: job!.id, status: job!.status, invited: Number(job!.invited), pending: Number(job!.pending), failed: Number(job!.failed) };
}

/** Scalekit answering each invite after `ms` for the next `count` calls: a send slow enough to leave and come back to. */
async function slowInvites(ms: number, count: number): Promise<void> {
  const res = await fetch(`${E2E_EMULATOR_URL}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ target: 'CreateUserAndMembership', delayMs: ms, count }),
  });
  expect(res.ok).toBe(true);
}

test('bulk send: sent in the background; the admin closes the tab, comes back to live progress, then results, every row invited exactly once', async ({
  context,
}) => {
  test.setTimeout(180_000);
  const ROWS = 400;
  const { tag, orgId, admin } = await freshOrganization();
  const emails = Array.from({ length: ROWS }, (_, i) => `q${i}-${tag}@resume.test`);

  const page = await context.newPage();
  await webhooksDelivered(orgId);
  await signIn(page, admin, `/orgs/${orgId}/team/bulk`);
  const bulk = new BulkInvitePage(page);
  await bulk.uploadCsv('resume.csv', ['email,role,name', ...emails.map((e, i) => `${e},member,Person ${i}`)].join('\n'));
  await expect(bulk.count('ready')).toHaveText(String(ROWS));
  // 400 calls at 150 ms over 8 lanes: about 8 seconds of sending.
  await slowInvites(150, ROWS);
  await page.getByRole('button', { name: `Send ${ROWS} invitations` }).click();
  await expect(bulk.sendingNote).toContainText('You can leave this page');

  // Leaving asks nothing: the worker, not the page, sends. Away before the file is done.
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).not.toHaveURL(/\/team\/bulk/);
  await page.close({ runBeforeUnload: true });
  expect(dialogs).toEqual([]);
  const left = await jobOf(orgId);
  expect(left.pending).toBeGreaterThan(0);

  // Sending carried on without any page open.
  await expect.poll(async () => (await jobOf(orgId)).invited, { timeout: 30_000 }).toBeGreaterThan(left.invited);

  const back = await context.newPage();
  await back.goto(`/orgs/${orgId}/team/bulk`);
  const resumed = new BulkInvitePage(back);
  // Straight to the file's progress, not an offer to resume it.
  await expect(resumed.progress).toBeVisible();
  await expect(back.getByTestId('bulk-unfinished')).toHaveCount(0);
  expect(await seriousViolations(back)).toEqual([]);
  const shown = Number(await resumed.count('invited').textContent());
  await expect.poll(async () => Number(await resumed.count('invited').textContent()), { timeout: 60_000 }).toBeGreaterThan(shown);

  await expect(resumed.count('invited')).toHaveText(String(ROWS), { timeout: 90_000 });
  await expect(resumed.count('pending')).toHaveText('0');
  await expect(resumed.count('failed')).toHaveText('0');
  await expect(back.getByText('Done: every row is invited or skipped with a reason.')).toBeVisible();
  await expect(resumed.rowsWithStatus('invited')).toHaveCount(ROWS);
  await expect(resumed.download).toBeVisible();
  await fetch(`${E2E_EMULATOR_URL}/_emulator/faults`, { method: 'DELETE' });

  // Exactly once, in all three places: the job's rows, the app's mirror and Scalekit (with one email each).
  const rows = await query<{ status: string }>(`SELECT status FROM "BulkInviteRow" WHERE "jobId" = $1`, [left.id]);
  expect(rows).toHaveLength(ROWS);
  expect(rows.filter((r) => r.status === 'INVITED')).toHaveLength(ROWS);
  const mirror = await query<{ email: string }>(`SELECT email FROM "Membership" WHERE "organizationId" = $1 AND email LIKE $2`, [
    orgId,
    `%-${tag}@resume.test`,
  ]);
  expect(mirror.map((m) => m.email).sort()).toEqual([...emails].sort());
  const inScalekit: string[] = [];
  let pageToken: string | undefined;
  do {
    const list = await scalekit.user.listOrganizationUsers(orgId, { pageSize: 100, pageToken });
    inScalekit.push(...list.users.map((u) => u.email).filter((e) => e.endsWith(`-${tag}@resume.test`)));
    pageToken = list.nextPageToken || undefined;
  } while (pageToken);
  expect(inScalekit.sort()).toEqual([...emails].sort());
  const mailbox = (await (await fetch(`${E2E_EMULATOR_URL}/_emulator/emails`)).json()) as Array<{ to: string }>;
  const sent = mailbox.filter((m) => m.to.endsWith(`-${tag}@resume.test`)).map((m) => m.to);
  expect(sent.sort()).toEqual([...emails].sort());

  // Finished: neither shown as sending nor offered.
  await back.goto(`/orgs/${orgId}/team/bulk`);
  await expect(resumed.heading).toBeVisible();
  await expect(resumed.progress).toHaveCount(0);
  await expect(back.getByTestId('bulk-unfinished')).toHaveCount(0);
});

test('bulk send: an unfinished job can be discarded instead; the rows left are not sent', async ({ page }) => {
  test.setTimeout(90_000);
  const { tag, orgId, admin } = await freshOrganization();
  await webhooksDelivered(orgId);
  await signIn(page, admin, `/orgs/${orgId}/team/bulk`);
  const bulk = new BulkInvitePage(page);
  await bulk.uploadCsv('later.csv', ['email', `a-${tag}@resume.test`, `b-${tag}@resume.test`].join('\n'));
  await expect(bulk.count('ready')).toHaveText('2');

  // Uploaded and checked, never sent: offered on the next visit.
  await page.reload();
  const unfinished = page.getByRole('region', { name: /^Unfinished: later\.csv/ });
  await expect(unfinished).toContainText('0 of 2 rows invited, 2 not sent yet');
  await unfinished.getByRole('button', { name: 'Discard the rest' }).click();
  // Generous: beside the other spec's 400-row send, the app is busy with the webhook burst it causes.
  await expect(page.locator('[data-sonner-toast]').filter({ hasText: 'Discarded: 2 rows were not sent.' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(unfinished).toHaveCount(0);
  await page.reload();
  await expect(bulk.heading).toBeVisible();
  await expect(page.getByTestId('bulk-unfinished')).toHaveCount(0);
  expect(
    await query(`SELECT 1 FROM "Membership" WHERE "organizationId" = $1 AND email LIKE $2`, [orgId, `%-${tag}@resume.test`]),
  ).toHaveLength(0);
});
