import { expect, type Page } from '@playwright/test';
import { BasePage } from './base-page';
import { EmulatorPages } from './emulator-pages';
import { LoginPage, type SocialProvider } from './login-page';

export class DashboardPage extends BasePage {
  readonly signedInAs = this.page.getByTestId('signed-in-as');
  readonly organization = this.page.getByTestId('dashboard-org');
  readonly role = this.page.getByTestId('dashboard-role');
  readonly authMethod = this.page.getByTestId('dashboard-auth-method');
  readonly teamLink = this.page.getByTestId('dashboard-team').getByRole('link');
  readonly accountMenu = this.page.getByRole('button', { name: /^Account menu for / });
  readonly orgSwitcher = this.page.getByRole('button', { name: 'Switch organization' });

  constructor(page: Page) {
    super(page, 'Dashboard');
  }

  async expectSignedIn(who: { email: string; org: string; role: 'Admin' | 'Member'; method?: string }): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.signedInAs).toContainText(who.email);
    await expect(this.organization).toContainText(who.org);
    await expect(this.role).toContainText(who.role);
    if (who.method) await expect(this.authMethod).toContainText(who.method);
  }

  async signOut(): Promise<void> {
    await this.accountMenu.click();
    await this.page.getByRole('menuitem', { name: 'Sign out' }).click();
  }

  async switchOrganization(name: string): Promise<void> {
    await this.orgSwitcher.click();
    await this.page.getByRole('menuitemradio', { name: new RegExp(`^${name}`) }).click();
  }

  /** "Join <org>" under Invitations in the header's switcher. */
  joinItem(name: string) {
    return this.page.getByRole('menuitem', { name: `Join ${name}` });
  }

  async joinOrganization(name: string): Promise<void> {
    await this.orgSwitcher.click();
    await this.joinItem(name).click();
  }
}

/** Signs in from the app's /login page and waits for the dashboard. */
export async function signIn(
  page: Page,
  how: { email: string; via?: 'email' } | { email: string; via: 'social'; provider: SocialProvider } | { email: string; via: 'sso' },
  options: { pickOrganization?: string } = {},
): Promise<DashboardPage> {
  const login = new LoginPage(page);
  const idp = new EmulatorPages(page);
  await login.goto();
  if (how.via === 'social') {
    await login.socialButton(how.provider).click();
    await idp.continueAs(how.email);
  } else if (how.via === 'sso') {
    // The one email field: the address's domain takes it to the organization's identity provider.
    await login.emailInput.fill(how.email);
    await login.continueWithEmail.click();
    await idp.signInAtIdp(how.email);
  } else {
    await login.emailInput.fill(how.email);
    await login.continueWithEmail.click();
    await idp.completeEmailCode(how.email);
  }
  if (options.pickOrganization) await idp.pickOrganization(options.pickOrganization);
  await page.waitForURL(/\/dashboard$/);
  return new DashboardPage(page);
}
