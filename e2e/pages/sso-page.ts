import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { OrgPage } from './base-page';

/** /orgs/:orgId/settings/sso: the status Scalekit reports, and the embedded admin portal. */
export class SsoPage extends OrgPage {
  readonly openPortal = this.page.getByRole('button', { name: 'Open admin portal' });
  readonly closePortal = this.page.getByRole('button', { name: 'Close admin portal' });
  readonly ssoEmpty = this.page.getByTestId('sso-empty');
  readonly directoryEmpty = this.page.getByTestId('directory-empty');
  readonly connections = this.page.getByTestId('sso-connections');
  readonly directories = this.page.getByTestId('directories');
  readonly statusError = this.page.getByTestId('sso-status-error');
  readonly portalError = this.page.getByTestId('admin-portal-error');
  readonly portalFrame = this.page.locator('iframe[title="Scalekit admin portal"]');
  readonly portal: AdminPortalFrame;

  constructor(page: Page) {
    super(page, 'settings/sso', 'Single sign-on & directory');
    this.portal = new AdminPortalFrame(page.frameLocator('iframe[title="Scalekit admin portal"]'));
  }

  /** Clicks "Open admin portal" and waits for the portal inside the iframe. */
  async open(orgName: string): Promise<void> {
    await this.openPortal.click();
    await expect(this.portal.heading(orgName)).toBeVisible();
  }

  connectionRow(text: string): Locator {
    return this.connections.getByRole('row').filter({ hasText: text });
  }

  directoryRow(text: string): Locator {
    return this.directories.getByRole('row').filter({ hasText: text });
  }
}

/** The emulator's admin portal page (emulator/src/oauth/portal.ts) inside the iframe. */
export class AdminPortalFrame {
  constructor(readonly frame: FrameLocator) {}

  heading(orgName: string): Locator {
    return this.frame.getByRole('heading', { level: 1, name: `Admin portal for ${orgName}` });
  }

  get notice(): Locator {
    return this.frame.getByRole('status');
  }

  async createConnection(c: { protocol: 'OIDC' | 'SAML'; provider: string; name: string; domains: string; requireSso?: boolean }) {
    await this.frame.getByLabel('Protocol').selectOption(c.protocol);
    await this.frame.getByLabel('Identity provider').selectOption({ label: c.provider });
    await this.frame.getByLabel('Display name').fill(c.name);
    await this.frame.getByLabel('Domains', { exact: true }).fill(c.domains);
    await this.frame.getByLabel('Require SSO for these domains').setChecked(c.requireSso ?? false);
    await this.frame.getByRole('button', { name: 'Create connection' }).click();
    await expect(this.notice).toContainText(`Created ${c.name}`);
  }

  /** Creates a SCIM directory and returns the bearer token the portal shows once. */
  async createDirectory(d: { provider: string; name: string }): Promise<{ endpoint: string; token: string }> {
    await this.frame.getByLabel('Directory provider').selectOption({ label: d.provider });
    await this.frame.getByLabel('Directory name').fill(d.name);
    await this.frame.getByRole('button', { name: 'Create directory' }).click();
    await expect(this.notice).toContainText(`Created ${d.name}`);
    return {
      endpoint: (await this.frame.getByTestId('scim-endpoint').textContent())!.trim(),
      token: (await this.frame.getByTestId('scim-token').textContent())!.trim(),
    };
  }

  async enable(name: string): Promise<void> {
    await this.frame.getByRole('button', { name: `Enable ${name}`, exact: true }).click();
    await expect(this.notice).toContainText(`${name} is enabled.`);
  }
}
