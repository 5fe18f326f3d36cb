import type { Page } from '@playwright/test';
import { OrgPage } from './base-page';

/** /orgs/:orgId/settings — the organization's name and logo, the seat limit and allowed email domains (admins only). */
export class SettingsPage extends OrgPage {
  readonly usage = this.page.getByText(/seats in use/);
  private readonly form = this.page.getByRole('form', { name: 'Organization settings' });
  readonly seatLimit = this.form.getByLabel('Seat limit');
  readonly seatLimitError = this.form.locator('#maxAllowedUsers-error');
  readonly domains = this.form.getByLabel('Allowed email domains');
  readonly domainsError = this.form.locator('#allowedEmailDomains-error');
  readonly save = this.form.getByRole('button', { name: 'Save settings' });

  private readonly nameForm = this.page.getByRole('form', { name: 'Organization name' });
  readonly name = this.nameForm.getByLabel('Name');
  readonly nameError = this.nameForm.locator('#organizationName-error');
  readonly saveName = this.nameForm.getByRole('button', { name: 'Save name' });
  private readonly logoForm = this.page.getByRole('form', { name: 'Upload a logo' });
  readonly logoFile = this.logoForm.getByLabel('Logo');
  readonly logoError = this.logoForm.locator('#logo-error');
  readonly uploadLogo = this.logoForm.getByRole('button', { name: 'Upload logo' });
  readonly removeLogo = this.page.getByRole('button', { name: 'Remove logo' });
  readonly logoPreview = this.page.getByTestId('logo-preview');

  constructor(page: Page) {
    super(page, 'settings', 'Settings');
  }

  async submit(settings: { seatLimit: string; domains: string }): Promise<void> {
    await this.seatLimit.fill(settings.seatLimit);
    await this.domains.fill(settings.domains);
    await this.save.click();
  }

  async rename(name: string): Promise<void> {
    await this.name.fill(name);
    await this.saveName.click();
  }

  async upload(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.logoFile.setInputFiles(file);
    await this.uploadLogo.click();
  }
}
