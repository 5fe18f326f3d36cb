import { expect, type Page } from '@playwright/test';
import { OrgPage } from './base-page';

/** /orgs/:orgId/settings/domains — the organization's verified domains and who may join through each (admins only). */
export class DomainsPage extends OrgPage {
  readonly table = this.page.getByRole('table', { name: 'Domains' });
  readonly empty = this.page.getByText('No domains yet');

  constructor(page: Page) {
    super(page, 'settings/domains', 'Verified domains');
  }

  row(domain: string) {
    return this.table.getByRole('row').filter({ hasText: domain });
  }

  async expectStatus(domain: string, status: string): Promise<void> {
    await expect(this.row(domain)).toContainText(status);
  }

  async choose(domain: string, mode: 'Invitation only' | 'Join automatically' | 'Ask to join (an admin approves)'): Promise<void> {
    await this.page.getByLabel(`Who can join with an address at ${domain}`).selectOption({ label: mode });
    await this.page.getByRole('button', { name: `Save for ${domain}` }).click();
  }
}
