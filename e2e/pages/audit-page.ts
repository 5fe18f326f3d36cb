import { expect, type Locator, type Page } from '@playwright/test';

/** /orgs/:orgId/audit — the audit log table, filters and CSV export. */
export class AuditLogPage {
  readonly heading: Locator;
  readonly rows: Locator;
  readonly exportLink: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Audit log' });
    this.rows = page.getByTestId('audit-row');
    this.exportLink = page.getByRole('link', { name: 'Export CSV' });
  }

  async goto(orgId: string, query: Record<string, string> = {}): Promise<void> {
    const search = new URLSearchParams(query).toString();
    await this.page.goto(`/orgs/${orgId}/audit${search ? `?${search}` : ''}`);
    await expect(this.heading).toBeVisible();
  }

  /** The actions shown, top (newest) first. */
  async actions(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action') ?? ''));
  }
}
