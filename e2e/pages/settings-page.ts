import { expect, type Locator, type Page } from '@playwright/test';

/** /orgs/:orgId/settings — the seat limit and allowed email domains form (admins only). */
export class SettingsPage {
  readonly heading: Locator;
  readonly usage: Locator;
  readonly seatLimit: Locator;
  readonly seatLimitError: Locator;
  readonly domains: Locator;
  readonly domainsError: Locator;
  readonly save: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Settings' });
    this.usage = page.getByText(/seats in use/);
    const form = page.getByRole('form', { name: 'Organization settings' });
    this.seatLimit = form.getByLabel('Seat limit');
    this.seatLimitError = form.locator('#maxAllowedUsers-error');
    this.domains = form.getByLabel('Allowed email domains');
    this.domainsError = form.locator('#allowedEmailDomains-error');
    this.save = form.getByRole('button', { name: 'Save settings' });
  }

  async goto(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/settings`);
    await expect(this.heading).toBeVisible();
  }

  async submit(settings: { seatLimit: string; domains: string }): Promise<void> {
    await this.seatLimit.fill(settings.seatLimit);
    await this.domains.fill(settings.domains);
    await this.save.click();
  }
}
