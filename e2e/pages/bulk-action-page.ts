import type { Locator, Page } from '@playwright/test';

/** The team page's bulk action bar (select → choose → review). */
export class BulkActionBar {
  readonly root: Locator;
  readonly selectPage: Locator;
  readonly selected: Locator;
  readonly selectAllMatching: Locator;
  readonly kind: Locator;
  readonly role: Locator;
  readonly review: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('bulk-action-bar');
    this.selectPage = this.root.getByLabel('Select this page');
    this.selected = page.getByTestId('bulk-selected');
    this.selectAllMatching = this.root.getByRole('button', { name: /^Select all \d+ matching$/ });
    this.kind = this.root.getByLabel('With the selected');
    this.role = this.root.getByLabel('New role');
    this.review = this.root.getByRole('button', { name: 'Review changes' });
  }

  select(email: string): Locator {
    return this.page.getByRole('checkbox', { name: `Select ${email}` });
  }
}

/** /orgs/:orgId/team/actions/:id — one bulk action's preview, progress and results. */
export class BulkActionPage {
  readonly heading: Locator;
  readonly summary: Locator;
  readonly confirm: Locator;
  readonly discard: Locator;
  readonly progress: Locator;
  readonly download: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.summary = page.getByTestId('bulk-action-summary');
    this.confirm = page.getByRole('button', { name: /^Confirm/ });
    this.discard = page.getByRole('button', { name: 'Discard' });
    this.progress = page.getByRole('progressbar', { name: 'Progress' });
    this.download = page.getByRole('link', { name: /^Download (preview|results) \(CSV\)$/ });
  }

  outcome(email: string): Locator {
    return this.page.locator(`[data-testid="bulk-action-row"][data-email="${email}"]`);
  }

  async downloadCsv(): Promise<string> {
    const [file] = await Promise.all([this.page.waitForEvent('download'), this.download.click()]);
    return Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
  }
}
