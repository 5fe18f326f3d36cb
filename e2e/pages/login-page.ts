import type { Locator, Page } from '@playwright/test';
import { PublicPage } from './base-page';

export type SocialProvider = 'Google' | 'GitHub' | 'Microsoft';

export class LoginPage extends PublicPage {
  readonly emailInput = this.page.getByLabel('Email', { exact: true });
  readonly continueWithEmail = this.page.getByRole('button', { name: 'Continue with email' });
  readonly emailHelp = this.page.locator('#login-email-help');
  /** The disclosure that holds the organization ID box. */
  readonly ssoToggle = this.page.getByText("Sign in with your organization's SSO");
  readonly organizationIdInput = this.page.getByLabel('Organization ID', { exact: true });
  readonly continueWithOrganization = this.page.getByRole('button', { name: 'Continue', exact: true });
  readonly errorBanner = this.page.getByTestId('login-error');
  readonly inviteOnlyNote = this.page.getByTestId('invite-only-note');

  constructor(page: Page) {
    super(page, '/login', 'Sign in to Teamgate');
  }

  socialButton(provider: SocialProvider): Locator {
    return this.page.getByRole('button', { name: `Continue with ${provider}` });
  }

  async openSso(): Promise<void> {
    if (!(await this.organizationIdInput.isVisible())) await this.ssoToggle.click();
  }

  /**
   * Answers the browser's next request to /api/auth/login itself and returns the URL it asked
   * for: these specs check what the forms send, not the login route (which has its own tests).
   */
  async captureLoginRequest(action: () => Promise<void>): Promise<URL> {
    let resolveUrl!: (url: URL) => void;
    const captured = new Promise<URL>((r) => (resolveUrl = r));
    await this.page.route('**/api/auth/login**', async (route) => {
      resolveUrl(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>captured</title>' });
    });
    await action();
    const url = await captured;
    await this.page.unroute('**/api/auth/login**');
    return url;
  }
}
