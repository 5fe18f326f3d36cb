import type { Page } from '@playwright/test';
import { OrgPage } from './base-page';

/** /orgs/:orgId/audit — the audit log table, filters and CSV export. */
export class AuditLogPage extends OrgPage {
  readonly rows = this.page.getByTestId('audit-row');
  readonly exportLink = this.page.getByRole('link', { name: 'Export CSV' });

  constructor(page: Page) {
    super(page, 'audit', 'Audit log');
  }

  /** The actions shown, top (newest) first. */
  async actions(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action') ?? ''));
  }
}
