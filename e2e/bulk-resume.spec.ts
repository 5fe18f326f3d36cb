import { expect, test } from '@playwright/test';
import pg from 'pg';
import { BulkInvitePage, freshOrganization, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { E2E_DATABASE_NAME, E2E_EMULATOR_URL } from './support/test-env';

/**
 * The bulk page drives the send, one chunk per server action. Leaving it mid-send must warn,
 * and coming back must show the job with what is left and carry on from there: every row
 * invited once, none twice (the rows are claimed in the database, so a resume only ever takes
 * the ones still PENDING).
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

test('bulk send: closing the tab mid-send warns first; back on the page the job shows its counts, and Resume invites every row exactly once', async ({
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
  await page.getByRole('button', { name: `Send ${ROWS} invitations` }).click();
  await expect(page.getByText('Keep this page open until it is done.')).toBeVisible();

  // The first chunk is in: close the tab while the rest are still to go.
  await expect
    .poll(async () => Number(await bulk.count('invited').textContent()), { timeout: 60_000, intervals: [50] })
    .toBeGreaterThanOrEqual(40);
  const dialogs: string[] = [];
  // A link inside the app does not unload the page, so it asks itself; "stay" keeps sending.
  page.once('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss();
  });
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect.poll(() => dialogs).toEqual(['confirm']);
  await expect(bulk.progress).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(`/orgs/${orgId}/team/bulk`);

  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed()).toBe(true);
  expect(dialogs).toEqual(['confirm', 'beforeunload']);

  // The chunk that was in flight finishes on the server; then the job waits, rows left PENDING.
  await expect.poll(async () => (await jobOf(orgId)).status, { timeout: 30_000 }).not.toBe('RUNNING');
  const left = await jobOf(orgId);
  expect(left.pending).toBeGreaterThan(0);
  // FAILED only when the loaded machine made saving a batch time out ("sent, but saving failed"): Resume retries those too.
  expect(left.invited + left.pending + left.failed).toBe(ROWS);

  const back = await context.newPage();
  await back.goto(`/orgs/${orgId}/team/bulk`);
  const unfinished = back.getByRole('region', { name: /^Unfinished: resume\.csv, uploaded/ });
  await expect(unfinished).toBeVisible();
  await expect(unfinished).toContainText(`of ${ROWS} rows invited`);
  // The counts as the database had them when the page rendered; a chunk the closed tab left in flight may still add to them.
  const shownInvited = Number(await unfinished.getByTestId('unfinished-invited').textContent());
  const shownPending = Number(await unfinished.getByTestId('unfinished-pending').textContent());
  expect(shownInvited).toBeGreaterThanOrEqual(left.invited);
  expect(shownPending).toBeGreaterThan(0);
  await expect(unfinished.getByRole('button', { name: 'Discard the rest' })).toBeVisible();
  await unfinished.getByRole('button', { name: /^Resume: send \d+ invitations$/ }).click();

  const resumed = new BulkInvitePage(back);
  await expect(resumed.count('invited')).toHaveText(String(ROWS), { timeout: 90_000 });
  await expect(resumed.count('pending')).toHaveText('0');
  await expect(resumed.count('failed')).toHaveText('0');
  await expect(back.getByText('Done: every row is invited or skipped with a reason.')).toBeVisible();
  await expect(resumed.rowsWithStatus('invited')).toHaveCount(ROWS);

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

  // Finished: no longer offered.
  await back.goto(`/orgs/${orgId}/team/bulk`);
  await expect(resumed.heading).toBeVisible();
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
  await expect(page.locator('[data-sonner-toast]').filter({ hasText: 'Discarded: 2 rows were not sent.' })).toBeVisible();
  await expect(unfinished).toHaveCount(0);
  await page.reload();
  await expect(bulk.heading).toBeVisible();
  await expect(page.getByTestId('bulk-unfinished')).toHaveCount(0);
  expect(
    await query(`SELECT 1 FROM "Membership" WHERE "organizationId" = $1 AND email LIKE $2`, [orgId, `%-${tag}@resume.test`]),
  ).toHaveLength(0);
});
