import { expect, type Locator, type Page } from '@playwright/test';
import { OrgPage } from './base-page';

/** /orgs/:orgId/settings/webhooks: endpoints, their secrets, and the delivery log. */
export class WebhooksPage extends OrgPage {
  readonly url = this.page.getByLabel('Endpoint URL');
  readonly description = this.page.getByLabel('Description (optional)');
  readonly add = this.page.getByRole('button', { name: 'Add endpoint' });
  readonly secret = this.page.getByTestId('webhook-secret-value');
  readonly endpoints = this.page.getByTestId('webhook-endpoint-row');
  readonly deliveries = this.page.getByTestId('webhook-delivery-row');
  readonly urlError = this.page.locator('#webhook-url-error');

  constructor(page: Page) {
    super(page, 'settings/webhooks', 'Webhooks');
  }

  /** Add an endpoint (every event type unless `eventTypes` are ticked); the secret the page shows. */
  async addEndpoint(url: string, { description = '', eventTypes = [] as string[] } = {}): Promise<string> {
    await this.url.fill(url);
    await this.description.fill(description);
    for (const type of eventTypes) await this.page.getByRole('checkbox', { name: new RegExp(`^${type.replace('.', '\\.')}`) }).check();
    await this.add.click();
    await expect(this.page.getByText(`New endpoint: signing secret for ${url}`)).toBeVisible();
    return (await this.secret.textContent())!.trim();
  }

  endpoint(url: string): Locator {
    return this.endpoints.filter({ hasText: url });
  }

  /** The delivery log's event types, newest first (the page refreshes itself). */
  deliveryTypes(): Locator {
    return this.deliveries.getByTestId('webhook-delivery-type');
  }

  async replay(type: string): Promise<void> {
    await this.deliveries
      .filter({ hasText: type })
      .first()
      .getByRole('button', { name: /^Replay / })
      .click();
    await expect(this.page.getByText(`${type} queued again`)).toBeVisible();
  }
}
