import type { Locator, Page } from '@playwright/test';

export class SiteHeader {
  readonly root: Locator;
  readonly brand: Locator;
  readonly nav: Locator;
  readonly signIn: Locator;
  readonly skipLink: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('banner');
    this.brand = this.root.getByRole('link', { name: 'Teamgate' });
    this.nav = this.root.getByRole('navigation', { name: 'Main' });
    this.signIn = this.root.getByRole('link', { name: 'Sign in' });
    this.skipLink = this.root.getByRole('link', { name: 'Skip to content' });
  }
}
