import { expect, type Locator, type Page } from '@playwright/test';

/** /orgs/:orgId/team — the members table, its filters and the admin row actions. */
export class TeamPage {
  readonly heading: Locator;
  readonly search: Locator;
  readonly statusFilter: Locator;
  readonly roleFilter: Locator;
  readonly apply: Locator;
  readonly rows: Locator;
  readonly seats: Locator;
  readonly empty: Locator;
  readonly next: Locator;
  readonly previous: Locator;
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Team' });
    this.search = page.getByLabel('Search', { exact: true });
    this.statusFilter = page.getByLabel('Status', { exact: true });
    this.roleFilter = page.getByLabel('Role', { exact: true });
    this.apply = page.getByRole('button', { name: 'Apply' });
    this.rows = page.getByTestId('member-row');
    this.seats = page.getByTestId('seats');
    this.empty = page.getByTestId('team-empty');
    this.next = page.getByRole('link', { name: 'Next' });
    this.previous = page.getByRole('link', { name: 'Previous' });
    this.dialog = page.getByRole('alertdialog');
  }

  async goto(orgId: string, query: Record<string, string> = {}): Promise<void> {
    const search = new URLSearchParams(query).toString();
    await this.page.goto(`/orgs/${orgId}/team${search ? `?${search}` : ''}`);
    await expect(this.heading).toBeVisible();
  }

  row(email: string): Locator {
    return this.page.locator(`[data-testid="member-row"][data-email="${email}"]`);
  }

  /** Reloads until the row shows up: rows made in Scalekit reach the mirror by webhook. */
  async waitForRow(email: string, orgId: string, query: Record<string, string> = {}): Promise<Locator> {
    await expect(async () => {
      await this.goto(orgId, query);
      await expect(this.row(email)).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 15_000 });
    return this.row(email);
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
