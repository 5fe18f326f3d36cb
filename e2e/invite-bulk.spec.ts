import { expect, test } from '@playwright/test';
import { BulkInvitePage, freshOrganization, signIn } from './pages/invitations';

/** 200 rows: 180 fresh addresses and 20 deliberately bad rows (bad emails, unknown roles, duplicates, a missing email). */
function twoHundredRows(tag: string): { csv: string; badRows: number[] } {
  const bad = [
    'not-an-email,member,',
    'no-at-sign.test,member,',
    '@nolocal.test,admin,',
    'two@@ats.test,member,',
    'sp ace@x.test,member,',
    `r1-${tag}@bulk.test,owner,`,
    `r2-${tag}@bulk.test,superuser,`,
    `r3-${tag}@bulk.test,guest,`,
    `r4-${tag}@bulk.test,root,`,
    ',admin,No Email',
  ];
  const lines = ['\uFEFFEmail,Role,Full Name'];
  const badRows: number[] = [];
  let b = 0;
  for (let i = 0; i < 180; i++) {
    lines.push(`p${i}-${tag}@bulk.test,${i % 30 === 0 ? 'Admin' : 'member'},"Person ${i}, Bulk"`);
    if (i % 9 === 4 && b < 20) {
      lines.push(b < bad.length ? bad[b]! : `p${i}-${tag}@BULK.test,member,Duplicate`);
      badRows.push(lines.length);
      b++;
    }
  }
  return { csv: lines.join('\r\n'), badRows };
}

test('bulk invite: a 200-row CSV with 20 bad rows flags exactly those, sends the rest with progress, and a re-run sends nothing twice', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { tag, orgId, admin } = await freshOrganization();
  await signIn(page, admin, `/orgs/${orgId}/team`);
  await page.getByRole('link', { name: 'Bulk invite' }).click();

  const bulk = new BulkInvitePage(page);
  await expect(bulk.heading).toBeVisible();
  await expect(page.getByText('up to 1,000 rows and 1 MB').first()).toBeVisible();

  const { csv, badRows } = twoHundredRows(tag);
  await bulk.uploadCsv('team.csv', csv);
  await expect(bulk.count('ready')).toHaveText('180');
  await expect(bulk.count('flagged')).toHaveText('20');
  await expect(bulk.rows).toHaveCount(200);
  const flagged = await bulk.rowsWithStatus('skipped').evaluateAll((rows) => rows.map((r) => Number(r.querySelector('td')!.textContent)));
  expect(flagged).toEqual(badRows);
  await expect(bulk.rowsWithStatus('skipped').filter({ hasText: 'Unknown role "owner"' })).toHaveCount(1);
  await expect(bulk.rowsWithStatus('skipped').filter({ hasText: /Duplicate of row \d+ in this file/ })).toHaveCount(10);

  await page.getByRole('button', { name: 'Send 180 invitations' }).click();
  await expect(bulk.progress).toBeVisible();
  await expect(bulk.count('invited')).toHaveText('180', { timeout: 60_000 });
  await expect(bulk.count('failed')).toHaveText('0');
  await expect(page.getByText('Done: every row is invited or skipped with a reason.')).toBeVisible();

  const download = await Promise.all([page.waitForEvent('download'), bulk.download.click()]).then(([d]) => d);
  expect(download.suggestedFilename()).toBe('team-results.csv');
  const results = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const lines = results
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('"row","email","name","role","result","reason"');
  expect(lines).toHaveLength(201);
  expect(lines.filter((l) => l.includes(',"invited",'))).toHaveLength(180);

  // The same file again: everyone is already invited, nothing is ready to send.
  await page.getByRole('button', { name: 'Upload another file' }).click();
  await bulk.uploadCsv('team.csv', csv);
  await expect(bulk.count('ready')).toHaveText('0');
  await expect(bulk.rows.filter({ hasText: 'Already invited.' })).toHaveCount(180);
  await expect(page.getByRole('button', { name: 'Nothing to send' })).toBeDisabled();
});

test('bulk invite refuses a file without an email column with a clear message', async ({ page }) => {
  const { orgId, admin } = await freshOrganization();
  await signIn(page, admin, `/orgs/${orgId}/team/bulk`);
  const bulk = new BulkInvitePage(page);
  await bulk.uploadCsv('people.csv', 'name,role\nAda,admin\n');
  await expect(page.getByRole('alert').filter({ hasText: 'No email column found' })).toBeVisible();
});

/** A CSV of exactly `bytes` bytes (ASCII): a header and as many rows as it takes, the last one cut to fit. */
function csvOfSize(tag: string, bytes: number): string {
  const lines = ['email,role,name'];
  let size = lines[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const line = `big${i}-${tag}@bulk.test,member,${'Padding name '.repeat(6)}${i}`;
    lines.push(line);
    size += line.length + 2;
  }
  return lines.join('\r\n').slice(0, bytes);
}

test('csvUpload_tooLarge_browser: a 1.5 MB CSV gets the app’s sentence before anything is uploaded', async ({ page }) => {
  const { tag, orgId, admin } = await freshOrganization();
  await signIn(page, admin, `/orgs/${orgId}/team/bulk`);
  const bulk = new BulkInvitePage(page);
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url());
  });
  await bulk.uploadCsv('big.csv', csvOfSize(tag, 1_500_000));
  await expect(bulk.fileError).toContainText('The file is larger than 1 MB (it is 1.5 MB)');
  await expect(bulk.fileError).toContainText('Split it into smaller files');
  expect(posts).toEqual([]);
  await expect(bulk.heading).toBeVisible();
});

test('csvUpload_tooLarge_server: a 1.5 MB CSV that gets past the browser’s check is refused by the server with the same sentence, not a 500', async ({
  page,
}) => {
  const { tag, orgId, admin } = await freshOrganization();
  // A client without the browser-side check (an old tab, a script): the page's own File.size reads 1 byte.
  await page.addInitScript(() => {
    Object.defineProperty(File.prototype, 'size', { configurable: true, get: () => 1 });
  });
  await signIn(page, admin, `/orgs/${orgId}/team/bulk`);
  const bulk = new BulkInvitePage(page);
  const actions: Array<Promise<number>> = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') actions.push(request.response().then((r) => r?.status() ?? 0));
  });
  await bulk.uploadCsv('big.csv', csvOfSize(tag, 1_500_000));
  await expect(bulk.fileError).toContainText('The file is larger than 1 MB (it is 1.5 MB)');
  expect(await Promise.all(actions)).toEqual([200]);
  await expect(page.getByText('The team could not be loaded')).toHaveCount(0);
  await expect(bulk.heading).toBeVisible();
  expect(await bulk.rows.count()).toBe(0);
});
