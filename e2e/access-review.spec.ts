import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { AccessReviewReport, AccessReviewsPage } from './pages/access-review-page';
import { freshOrganization, scalekit, signIn, webhooksDelivered } from './pages/invitations';
import { TeamPage } from './pages/team-page';
import { seriousViolations } from './support/axe';

/** An access review from start to evidence, in Chromium, against the real app and the emulator. */

test('access review: start, decide (kept across a reload), finish, the evidence CSV and the print-ready report; axe clean', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { tag, orgId, admin } = await freshOrganization();
  const leaving = `leaving-${tag}@acme.test`;
  const promoted = `promoted-${tag}@acme.test`;
  for (const email of [leaving, promoted]) await scalekit.user.createUserAndMembership(orgId, { email, sendInvitationEmail: false });
  await webhooksDelivered(orgId);

  const team = new TeamPage(page);
  await signIn(page, admin, `/orgs/${orgId}/team`);
  await team.waitForRow(promoted, orgId);
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Access reviews' }).click();

  const reviews = new AccessReviewsPage(page);
  await expect(reviews.heading).toBeVisible();
  await expect(reviews.empty).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const review = await reviews.startReview();
  await expect(review.items).toHaveCount(3);
  await expect(review.progress).toHaveText('0 of 3 members decided');
  await expect(review.finish).toBeDisabled();

  await review.decide(leaving, 'Remove', { note: 'Left the company' });
  await review.decide(promoted, 'Change role', { role: 'Admin' });
  // Leaving and coming back keeps what was decided.
  await page.reload();
  await expect(review.decisionOf(leaving)).toHaveValue('REMOVE');
  await expect(page.getByLabel(`Note for ${leaving}`)).toHaveValue('Left the company');
  await expect(review.decisionOf(promoted)).toHaveValue('CHANGE_ROLE');
  await expect(page.getByLabel(`New role for ${promoted}`)).toHaveValue('admin');
  await review.decide(admin, 'Keep');
  await expect(review.progress).toHaveText('3 of 3 members decided');
  expect(await seriousViolations(page)).toEqual([]);

  await review.finishReview('Review finished: 2 applied, 1 unchanged, 0 failed.');
  await expect(review.outcomeOf(leaving)).toContainText('Applied');
  await expect(review.outcomeOf(promoted)).toContainText('Applied');
  await expect(review.outcomeOf(admin)).toContainText('Unchanged');
  expect(await seriousViolations(page)).toEqual([]);

  const [file] = await Promise.all([page.waitForEvent('download'), review.evidence.click()]);
  expect(file.suggestedFilename()).toMatch(new RegExp(`^access-review-${orgId}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const csv = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
  const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
  expect(rows).toHaveLength(3);
  expect(rows.find((r) => r.email === leaving)).toMatchObject({
    started_by: admin,
    finished_by: admin,
    review_status: 'Finished',
    role_at_review: 'Member',
    decision: 'Remove',
    note: 'Left the company',
    result: 'Applied',
  });
  expect(rows.find((r) => r.email === promoted)).toMatchObject({ decision: 'Change role', new_role: 'Admin', result: 'Applied' });

  await review.printable.click();
  const report = new AccessReviewReport(page);
  await expect(report.heading).toBeVisible();
  await expect(report.rows).toHaveCount(3);
  await expect(report.facts).toContainText(`by ${admin}`);
  await expect(report.row(leaving)).toContainText('Remove');
  await expect(report.row(leaving)).toContainText('Applied');
  expect(await seriousViolations(page)).toEqual([]);
  // On paper: the report alone, without the app's header, tabs or the print button.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Organization' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeHidden();
  await expect(report.heading).toBeVisible();
  await page.pdf({ path: test.info().outputPath('access-review.pdf') });
  await page.emulateMedia({ media: 'screen' });

  // The removal went through to the team page; the list shows the review as finished.
  await team.goto(orgId);
  await expect(team.row(leaving)).toHaveCount(0);
  await reviews.goto(orgId);
  await expect(reviews.rows).toHaveCount(1);
  await expect(reviews.rows.first()).toContainText('Finished');
});
