import type { Locator, Page } from '@playwright/test';

/** What an admin-only page shows a member of the organization instead (components/admins-only.tsx). */
export class AdminsOnlyPage {
  readonly root: Locator;
  readonly heading: Locator;
  readonly adminsToAsk: Locator;
  readonly backToTeam: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('admins-only');
    this.heading = this.root.getByRole('heading', { level: 1 });
    this.adminsToAsk = page.getByTestId('admins-to-ask');
    this.backToTeam = this.root.getByRole('link', { name: 'Back to the team' });
  }
}

/** /auth/invitation/revoked — where a revoked invitation's link lands. */
export class InvitationRevokedPage {
  readonly root: Locator;
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('invitation-revoked');
    this.heading = page.getByRole('heading', { level: 1, name: 'This invitation was revoked' });
  }
}

/** The 404 page (app/not-found.tsx). */
export class NotFoundPage {
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Page not found' });
  }
}
