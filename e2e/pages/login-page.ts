import type { Locator, Page } from '@playwright/test';
import { SiteHeader } from './site-header';

export type SocialProvider = 'Google' | 'GitHub' | 'Microsoft';

export class LoginPage {
  readonly header: SiteHeader;
  readonly heading: Locator;
  readonly emailInput: Locator;
  readonly continueWithEmail: Locator;
  readonly emailHelp: Locator;
  /** The disclosure that holds the organization ID box. */
  readonly ssoToggle: Locator;
  readonly organizationIdInput: Locator;
  readonly continueWithOrganization: Locator;
  readonly errorBanner: Locator;
  readonly inviteOnlyNote: Locator;

  constructor(readonly page: Page) {
    this.header = new SiteHeader(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Sign in to Teamgate' });
    this.emailInput = page.getByLabel('Email', { exact: true });
    this.continueWithEmail = page.getByRole('button', { name: 'Continue with email' });
    this.emailHelp = page.locator('#login-email-help');
    this.ssoToggle = page.getByText("Sign in with your organization's SSO");
    this.organizationIdInput = page.getByLabel('Organization ID', { exact: true });
    this.continueWithOrganization = page.getByRole('button', { name: 'Continue', exact: true });
    this.errorBanner = page.getByTestId('login-error');
    this.inviteOnlyNote = page.getByTestId('invite-only-note');
  }

  async goto(query: Record<string, string> = {}): Promise<void> {
    const search = new URLSearchParams(query).toString();
    await this.page.goto(search ? `/login?${search}` : '/login');
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
