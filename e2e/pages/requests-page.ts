import { expect, type Locator, type Page } from '@playwright/test';
import { OrgPage } from './base-page';

/** The team page's "Request an invitation" dialog, for members who cannot invite. */
export class RequestInvitationDialog {
  readonly open: Locator;
  readonly dialog: Locator;
  readonly email: Locator;
  readonly role: Locator;
  readonly reason: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.open = page.getByRole('button', { name: 'Request an invitation' });
    this.dialog = page.getByRole('dialog', { name: 'Request an invitation' });
    this.email = this.dialog.getByLabel('Email');
    this.role = this.dialog.getByLabel('Role');
    this.reason = this.dialog.getByLabel(/Reason/);
    this.submit = this.dialog.getByRole('button', { name: 'Send request' });
  }

  async request(email: string, role = 'member', reason = ''): Promise<void> {
    if (!(await this.dialog.isVisible())) await this.open.click();
    await this.email.fill(email);
    await this.role.selectOption(role);
    await this.reason.fill(reason);
    await this.submit.click();
  }
}

/** The "Requests" tab in the organization's navigation, with its pending-count badge. */
export class RequestsTab {
  readonly link: Locator;
  readonly badge: Locator;

  constructor(page: Page) {
    const nav = page.getByRole('navigation', { name: 'Organization' });
    this.link = nav.getByRole('link', { name: /^Requests/ });
    this.badge = this.link.getByTestId('nav-badge');
  }
}

/** /orgs/:orgId/requests — the pending queue (approve/deny with a note), the decided ones, and "Your requests". */
export class RequestsPage extends OrgPage {
  readonly pending = this.page.getByTestId('pending-requests');
  readonly decided = this.page.getByTestId('decided-requests');
  readonly mine = this.page.getByTestId('my-requests');

  constructor(page: Page) {
    super(page, 'requests', 'Requests');
  }

  row(email: string): Locator {
    return this.page.locator(`[data-testid="request-row"][data-email="${email}"]`);
  }

  decidedRow(email: string): Locator {
    return this.page.locator(`[data-testid="decided-row"][data-email="${email}"]`);
  }

  myRequest(email: string): Locator {
    return this.page.locator(`[data-testid="my-request"][data-email="${email}"]`);
  }

  /** Approve or Deny one pending request, with an optional note, through its dialog. */
  async decide(email: string, decision: 'Approve' | 'Deny', note = ''): Promise<void> {
    await this.row(email)
      .getByRole('button', { name: `${decision} the request for ${email}` })
      .click();
    const dialog = this.page.getByRole('dialog', { name: decision === 'Approve' ? 'Approve this request?' : 'Deny this request?' });
    await expect(dialog).toBeVisible();
    if (note) await dialog.getByLabel(/Note/).fill(note);
    await dialog.getByRole('button', { name: decision === 'Approve' ? 'Approve and invite' : 'Deny request' }).click();
    await expect(dialog).toBeHidden();
  }
}
