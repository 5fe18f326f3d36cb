import type { Page } from '@playwright/test';
import { PublicPage } from './base-page';

export class LandingPage extends PublicPage {
  private readonly main = this.page.getByRole('main');
  readonly heroSignIn = this.main.getByRole('link', { name: 'Sign in', exact: true });
  readonly howItWorks = this.main.getByRole('link', { name: 'See how it works' });
  readonly featuresHeading = this.page.getByRole('heading', { level: 2, name: /closed beta or an enterprise customer/ });
  readonly features = this.page.locator('#features').getByRole('listitem');

  constructor(page: Page) {
    super(page, '/');
  }

  featureTitles(): Promise<string[]> {
    return this.features.getByRole('heading', { level: 3 }).allTextContents();
  }
}
