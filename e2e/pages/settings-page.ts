import type { Page } from '@playwright/test';
import { OrgPage } from './base-page';

/** /orgs/:orgId/settings — the seat limit and allowed email domains form (admins only). */
export class SettingsPage extends OrgPage {
  readonly usage = this.page.getByText(/seats in use/);
  private readonly form = this.page.getByRole('form', { name: 'Organization settings' });
  readonly seatLimit = this.form.getByLabel('Seat limit');
  readonly seatLimitError = this.form.locator('#maxAllowedUsers-error');
  readonly domains = this.form.getByLabel('Allowed email domains');
  readonly domainsError = this.form.locator('#allowedEmailDomains-error');
  readonly save = this.form.getByRole('button', { name: 'Save settings' });

  constructor(page: Page) {
    super(page, 'settings', 'Settings');
  }

  async submit(settings: { seatLimit: string; domains: string }): Promise<void> {
    await this.seatLimit.fill(settings.seatLimit);
    await this.domains.fill(settings.domains);
    await this.save.click();
  }
}
