import { expect, type Locator, type Page } from '@playwright/test';
import { BasePage, OrgPage } from './base-page';

/** /orgs/:orgId/access-reviews — the list of reviews and the Start button. */
export class AccessReviewsPage extends OrgPage {
  readonly start = this.page.getByRole('button', { name: 'Start access review' });
  readonly empty = this.page.getByTestId('reviews-empty');
  readonly rows = this.page.getByTestId('review-row');

  constructor(page: Page) {
    super(page, 'access-reviews', 'Access reviews');
  }

  /** Starts a review and waits for its page. */
  async startReview(): Promise<AccessReviewPage> {
    await this.start.click();
    const review = new AccessReviewPage(this.page);
    await this.page.waitForURL(/\/access-reviews\/[^/]+$/);
    await expect(review.heading).toBeVisible();
    return review;
  }
}

type Decision = 'Keep' | 'Change role' | 'Remove';

/** /orgs/:orgId/access-reviews/:reviewId — one review: decide on each member, finish, evidence. */
export class AccessReviewPage extends BasePage {
  /** Disabled until every member has a decision */
  readonly finish = this.page.getByRole('button', { name: 'Finish review' });
  readonly dialog = this.page.getByRole('alertdialog');
  readonly evidence = this.page.getByRole('link', { name: 'Evidence CSV' });
  readonly printable = this.page.getByRole('link', { name: 'Printable report' });
  /** The status badge, "N of M members decided", and one row per member */
  readonly status: Locator;
  readonly progress: Locator;
  readonly items: Locator;

  constructor(page: Page) {
    super(page, 'Access review');
    [this.status, this.progress, this.items] = ['review-status', 'review-progress', 'review-item'].map((id) => page.getByTestId(id)) as [
      Locator,
      Locator,
      Locator,
    ];
  }

  item(email: string): Locator {
    return this.page.locator(`[data-testid="review-item"][data-email="${email}"]`);
  }

  decisionOf(email: string): Locator {
    return this.page.getByLabel(`Decision for ${email}`);
  }

  /** Picks the decision (and role), writes the note, and waits until the server has saved it. */
  async decide(email: string, decision: Decision, options: { role?: string; note?: string } = {}): Promise<void> {
    const row = this.item(email);
    const saved = row.getByTestId('decision-status');
    await this.decisionOf(email).selectOption({ label: decision });
    if (options.role) {
      await expect(this.page.getByLabel(`New role for ${email}`)).toBeEnabled();
      await this.page.getByLabel(`New role for ${email}`).selectOption({ label: options.role });
    }
    await expect(saved).toHaveText('Saved');
    if (options.note !== undefined) {
      const note = this.page.getByLabel(`Note for ${email}`);
      await expect(note).toBeEnabled();
      await note.fill(options.note);
      await note.blur();
      await expect(saved).toHaveText('Saved');
      await expect(note).toBeEnabled();
    }
  }

  /** Finishes, checks the summary toast says `summary`, and dismisses it (a toast fading out is not what an axe check should judge). */
  async finishReview(summary: string | RegExp): Promise<void> {
    await this.finish.click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByRole('button', { name: 'Finish and apply' }).click();
    await expect(this.dialog).toBeHidden({ timeout: 20_000 });
    await expect(this.status).toHaveText('Finished');
    const toast = this.page.locator('[data-sonner-toast]').filter({ hasText: summary });
    await expect(toast).toBeVisible();
    await toast.getByRole('button', { name: 'Close toast' }).click();
    await expect(this.page.locator('[data-sonner-toast]')).toHaveCount(0);
  }

  outcomeOf(email: string): Locator {
    return this.item(email).getByTestId('review-outcome');
  }
}

/** /orgs/:orgId/access-reviews/:reviewId/print — the report as it prints. */
export class AccessReviewReport extends BasePage {
  readonly facts = this.page.getByTestId('report-facts');
  readonly rows = this.page.getByTestId('report-row');

  constructor(page: Page) {
    super(page, /^Access review report/);
  }

  row(email: string): Locator {
    return this.page.locator(`[data-testid="report-row"][data-email="${email}"]`);
  }
}
