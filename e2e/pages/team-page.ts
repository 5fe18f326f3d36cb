import { expect, type Locator, type Page } from '@playwright/test';
import { OrgPage } from './base-page';
import { inAppDatabase } from './invitations';

/** /orgs/:orgId/team — the members table, its filters and the admin row actions. */
export class TeamPage extends OrgPage {
  readonly search = this.page.getByLabel('Search', { exact: true });
  readonly statusFilter = this.page.getByLabel('Status', { exact: true });
  readonly roleFilter = this.page.getByLabel('Role', { exact: true });
  readonly activityFilter = this.page.getByLabel('Activity', { exact: true });
  readonly sortSelect = this.page.getByLabel('Sort', { exact: true });
  /** The "Last sign-in" column heading: a link that sorts by it */
  readonly sortByLastSignIn = this.page.getByTestId('sort-last-sign-in');
  readonly lastSignInHeading = this.page.getByRole('columnheader', { name: /Last sign-in/ });
  readonly count = this.page.getByTestId('team-count');
  readonly exportLink = this.page.getByRole('link', { name: 'Export CSV' });
  readonly apply = this.page.getByRole('button', { name: 'Apply' });
  readonly rows = this.page.getByTestId('member-row');
  readonly seats = this.page.getByTestId('seats');
  readonly empty = this.page.getByTestId('team-empty');
  readonly next = this.page.getByRole('link', { name: 'Next' });
  readonly previous = this.page.getByRole('link', { name: 'Previous' });
  readonly dialog = this.page.getByRole('alertdialog');

  constructor(page: Page) {
    super(page, 'team', 'Team');
  }

  row(email: string): Locator {
    return this.page.locator(`[data-testid="member-row"][data-email="${email}"]`);
  }

  /** The emails of the rows shown, top to bottom. */
  async emails(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-email') ?? ''));
  }

  /** Clicks "Export CSV" and returns the downloaded file's text. */
  async exportCsv(): Promise<string> {
    const [file] = await Promise.all([this.page.waitForEvent('download'), this.exportLink.click()]);
    const chunks = await (await file.createReadStream()).toArray();
    return Buffer.concat(chunks).toString('utf8');
  }

  lastSignIn(email: string): Locator {
    return this.row(email).getByTestId('member-last-sign-in');
  }

  signInMethod(email: string): Locator {
    return this.row(email).getByTestId('member-sign-in-method');
  }

  /**
   * Sets a member's last sign-in to this organization in the app's database, `daysAgo` before now:
   * a spec cannot wait a month for someone to go inactive. `method` as the callback stores it ("otp", "sso:okta").
   */
  static async signedInDaysAgo(orgId: string, email: string, daysAgo: number, method: string | null): Promise<void> {
    const rowCount = await inAppDatabase(
      `UPDATE "Membership" SET "lastSignInAt" = now() - make_interval(days => $3), "lastSignInMethod" = $4 WHERE "organizationId" = $1 AND "email" = $2`,
      [orgId, email, daysAgo, method],
    );
    expect(rowCount, `a membership of ${email} in ${orgId}`).toBe(1);
  }

  /** Reloads until `check` passes: changes made in Scalekit reach the mirror by webhook. */
  private async reloadUntil(orgId: string, query: Record<string, string>, check: () => Promise<void>): Promise<void> {
    await expect(async () => {
      await this.goto(orgId, query);
      await check();
    }).toPass({ timeout: 15_000 });
  }

  /** Reloads until the row shows up. */
  async waitForRow(email: string, orgId: string, query: Record<string, string> = {}): Promise<Locator> {
    await this.reloadUntil(orgId, query, () => expect(this.row(email)).toBeVisible({ timeout: 500 }));
    return this.row(email);
  }

  /** Reloads until the row's status reads `status` (e.g. Active once the invitee has accepted). */
  async waitForStatus(email: string, orgId: string, status: string): Promise<void> {
    await this.reloadUntil(orgId, {}, () => expect(this.row(email).getByTestId('member-status')).toHaveText(status, { timeout: 500 }));
  }

  /**
   * Scrolls the page down (never sideways) until the member's row is in the middle of the screen:
   * on a phone the filters and the bulk bar fill the first screen, and what a spec checks there is
   * the horizontal position of the row's menu.
   */
  async scrollToRowVertically(email: string): Promise<void> {
    const top = await this.row(email).evaluate((row) => row.getBoundingClientRect().top + window.scrollY);
    await this.page.evaluate((y) => window.scrollTo({ left: 0, top: y - window.innerHeight / 2 }), top);
  }

  actionsFor(email: string): Locator {
    return this.page.getByRole('button', { name: `Actions for ${email}` });
  }

  /** Opens the row menu, picks `item`, and confirms with `confirm` in the dialog. */
  /** `timeout`: how long the action may take (under `next dev` the first call compiles the action on demand). */
  async runRowAction(email: string, item: string, confirm: string, { timeout }: { timeout?: number } = {}): Promise<void> {
    await this.actionsFor(email).click();
    await this.page.getByRole('menuitem', { name: item }).click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByRole('button', { name: confirm }).click();
    await expect(this.dialog).toBeHidden({ timeout });
  }

  toast(text: string | RegExp): Locator {
    return this.page.locator('[data-sonner-toast]').filter({ hasText: text });
  }
}
