import type { Locator, Page } from '@playwright/test';
import { SettingsPage } from './settings-page';

/** The "Invitation rules" section of /orgs/:orgId/settings: the rules as sentences, and the add form. */
export class InvitationRulesSection extends SettingsPage {
  readonly region: Locator = this.page.getByRole('region', { name: 'Invitation rules' });
  readonly empty: Locator = this.region.getByTestId('invitation-rules-empty');
  readonly list: Locator = this.region.getByRole('list', { name: 'Invitation rules, in the order they are read' });
  readonly sentences: Locator = this.list.getByTestId('rule-sentence');
  private readonly addForm: Locator = this.region.getByRole('form', { name: 'Add an invitation rule' });
  readonly kind: Locator = this.addForm.getByLabel('New rule');
  readonly domains: Locator = this.addForm.getByLabel('Your domains');
  readonly limit: Locator = this.addForm.getByLabel('Invitations per person per day');
  readonly addButton: Locator = this.addForm.getByRole('button', { name: 'Add rule' });

  constructor(page: Page) {
    super(page);
  }

  rule(position: number): Locator {
    return this.list.getByTestId('invitation-rule').nth(position - 1);
  }

  async addOutsideDomains(domains: string): Promise<void> {
    await this.kind.selectOption({ label: 'Approval for addresses outside some domains' });
    await this.domains.fill(domains);
    await this.addButton.click();
  }

  async addDailyLimit(limit: string): Promise<void> {
    await this.kind.selectOption({ label: 'Daily limit per person' });
    await this.limit.fill(limit);
    await this.addButton.click();
  }

  async remove(position: number): Promise<void> {
    await this.rule(position)
      .getByRole('button', { name: `Remove rule ${position}` })
      .click();
    await this.page.getByRole('alertdialog').getByRole('button', { name: 'Remove rule' }).click();
  }
}
