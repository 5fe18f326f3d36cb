import { expect, test } from '@playwright/test';
import { DIR_ADMIN_EMAIL, DIR_ORG, NO_DIR_ORG } from '../lib/directory-invite/fixture';
import { seriousViolations } from './support/axe';
import { DirectoryPicker } from './pages/directory-picker';
import { BulkInvitePage, scalekit, signIn } from './pages/invitations';
import { E2E_EMULATOR_URL } from './support/test-env';

async function scalekitFault(fault: { target: string; grpcCode: string; count: number }): Promise<void> {
  const res = await fetch(`${E2E_EMULATOR_URL}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(res.ok).toBe(true);
}

// One after another: the last test makes Scalekit's next ListDirectories fail, which must be its own.
test.describe.configure({ mode: 'default' });

// Dirco and its directory (31 people; Engineering has exactly 20) are the e2e stack's own
// organization, added to the seed by e2e/support/stack.ts from lib/directory-invite/fixture.ts.

test('invite from directory: the admin picks the group of 20, previews, sends with progress to 20 invited, and downloads the results', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, DIR_ADMIN_EMAIL, `/orgs/${DIR_ORG}/team/bulk`);
  const bulk = new BulkInvitePage(page);
  const picker = new DirectoryPicker(page);
  await expect(bulk.heading).toBeVisible();

  await picker.tab.click();
  await expect(picker.picker).toBeVisible();
  await expect(picker.groups).toHaveCount(3);
  await expect(picker.group('Engineering')).toHaveAccessibleName('Engineering, 20 members');
  // Everyone, 30 per page: the 31st is behind "Show more".
  await expect(picker.people).toHaveCount(30);
  await page.getByRole('button', { name: 'Show more' }).click();
  await expect(picker.people).toHaveCount(31);

  // The search runs on the server, through the directory's pages.
  await picker.search.fill('lou lo');
  await expect(picker.people).toHaveCount(1);
  await expect(picker.people).toContainText('loner@dirco.test');
  await picker.search.fill('');

  await picker.group('Engineering').click();
  await expect(page.getByRole('heading', { name: 'People in Engineering' })).toBeVisible();
  await expect(picker.people).toHaveCount(20);
  expect(await seriousViolations(page)).toEqual([]);

  // Keyboard: the "Select all" checkbox takes a space like any checkbox.
  await picker.selectAll(20).focus();
  await page.keyboard.press('Space');
  await expect(picker.selectAll(20)).toBeChecked();
  await expect(picker.person('eng07@dirco.test')).toBeChecked();
  await expect(picker.person('eng07@dirco.test')).toBeDisabled();
  await expect(picker.summary).toContainText('Picked: Engineering (20 people)');
  expect(await seriousViolations(page)).toEqual([]);

  await picker.preview.click();
  await expect(page.getByRole('heading', { name: 'From your directory: 20 people' })).toBeVisible();
  await expect(bulk.count('ready')).toHaveText('20');
  await expect(bulk.count('flagged')).toHaveText('0');
  await expect(bulk.rows).toHaveCount(20);

  await page.getByRole('button', { name: 'Send 20 invitations' }).click();
  await expect(bulk.progress).toBeVisible();
  await expect(bulk.count('invited')).toHaveText('20', { timeout: 60_000 });
  await expect(bulk.count('failed')).toHaveText('0');
  await expect(page.getByText('Done: every row is invited or skipped with a reason.')).toBeVisible();

  const download = await Promise.all([page.waitForEvent('download'), bulk.download.click()]).then(([d]) => d);
  expect(download.suggestedFilename()).toBe('directory-invitations-results.csv');
  const results = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const lines = results
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines).toHaveLength(21);
  expect(lines.filter((l) => l.includes(',"invited",'))).toHaveLength(20);

  // Scalekit holds the 20 invitations.
  const { users } = await scalekit.user.listOrganizationUsers(DIR_ORG, { pageSize: 100 });
  expect(
    users
      .map((u) => u.email)
      .filter((e) => e.startsWith('eng'))
      .sort(),
  ).toEqual(Array.from({ length: 20 }, (_, i) => `eng${String(i + 1).padStart(2, '0')}@dirco.test`));
});

test('invite from directory: the preview flags what a CSV would (member, invited, domain, duplicate) and who is deactivated', async ({
  page,
}) => {
  await signIn(page, DIR_ADMIN_EMAIL, `/orgs/${DIR_ORG}/team/bulk`);
  // ?source=directory opens the picker's tab (the link a directory settings page can give).
  await page.goto(`/orgs/${DIR_ORG}/team/bulk?source=directory`);
  const bulk = new BulkInvitePage(page);
  const picker = new DirectoryPicker(page);
  await picker.group('Operations').click();
  await picker.selectAll(6).check();
  await picker.preview.click();
  await expect(bulk.count('ready')).toHaveText('1');
  await expect(bulk.count('flagged')).toHaveText('5');
  for (const reason of [
    'Already a member.',
    'Already invited.',
    'Deactivated in the directory: not invited.',
    'Domain not allowed: Dirco only invites addresses at dirco.test.',
    'Duplicate of row 5 in this selection.',
  ]) {
    await expect(bulk.rowsWithStatus('skipped').filter({ hasText: reason })).toHaveCount(1);
  }
  // Back to the picker, on its tab.
  await page.getByRole('button', { name: 'Pick other people' }).click();
  await expect(picker.picker).toBeVisible();
});

test('invite from directory: a Scalekit error is said with a retry; an organization without a directory is told where to connect one', async ({
  page,
}) => {
  await signIn(page, 'nora@nodir.test', `/orgs/${NO_DIR_ORG}/team/bulk`);
  const picker = new DirectoryPicker(page);
  // Scalekit refusing the first read (429): said so, with a way to try again.
  await scalekitFault({ target: 'ListDirectories', grpcCode: 'RESOURCE_EXHAUSTED', count: 1 });
  await picker.tab.click();
  await expect(picker.error).toContainText('Your directory could not be read');
  await picker.error.getByRole('button', { name: 'Try again' }).click();
  await expect(picker.empty).toContainText('Connect your directory in Settings → Single sign-on & directory');
  await expect(picker.empty.getByRole('link', { name: 'Open Settings' })).toHaveAttribute('href', `/orgs/${NO_DIR_ORG}/settings`);
  expect(await seriousViolations(page)).toEqual([]);
  // The CSV tab is still there.
  await page.getByRole('tab', { name: 'Upload CSV' }).click();
  await expect(page.getByLabel('CSV file')).toBeVisible();
});
