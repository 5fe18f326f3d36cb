import { expect, type Page } from '@playwright/test';
import { BasePage } from './base-page';

/** /account — your name, your sessions and organizations, signing out everywhere and deleting the account. */
export class AccountPage extends BasePage {
  private readonly nameForm = this.page.getByRole('form', { name: 'Your name' });
  readonly firstName = this.nameForm.getByLabel('First name');
  readonly lastName = this.nameForm.getByLabel('Last name');
  readonly firstNameError = this.nameForm.locator('#firstName-error');
  readonly saveName = this.nameForm.getByRole('button', { name: 'Save name' });
  readonly deleteAccount = this.page.getByRole('button', { name: 'Delete account' });
  readonly deleteDialog = this.page.getByRole('alertdialog', { name: 'Delete your account?' });
  readonly confirmation = this.deleteDialog.getByLabel(/Type your email address/);
  readonly confirmationError = this.deleteDialog.locator('#confirmation-error');
  readonly confirmDelete = this.deleteDialog.getByRole('button', { name: 'Delete my account' });

  constructor(page: Page) {
    super(page, 'Account & sessions');
  }

  async goto(): Promise<void> {
    await this.page.goto('/account');
    await expect(this.heading).toBeVisible();
  }

  async saveNameAs(firstName: string, lastName: string): Promise<void> {
    await this.firstName.fill(firstName);
    await this.lastName.fill(lastName);
    await this.saveName.click();
  }

  /** Opens the dialog and types `typed` as the confirmation (the button stays disabled until it is the email). */
  async startDeletion(typed: string): Promise<void> {
    await this.deleteAccount.click();
    await expect(this.deleteDialog).toBeVisible();
    await this.confirmation.fill(typed);
  }
}
