import type { Locator, Page } from '@playwright/test';
import { SiteHeader } from './site-header';

export class LandingPage {
  readonly header: SiteHeader;
  readonly heading: Locator;
  readonly heroSignIn: Locator;
  readonly howItWorks: Locator;
  readonly featuresHeading: Locator;
  readonly features: Locator;

  constructor(readonly page: Page) {
    this.header = new SiteHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    const main = page.getByRole('main');
    this.heroSignIn = main.getByRole('link', { name: 'Sign in', exact: true });
    this.howItWorks = main.getByRole('link', { name: 'See how it works' });
    this.featuresHeading = page.getByRole('heading', { level: 2, name: /closed beta or an enterprise customer/ });
    this.features = page.locator('#features').getByRole('listitem');
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  featureTitles(): Promise<string[]> {
    return this.features.getByRole('heading', { level: 3 }).allTextContents();
  }
}
