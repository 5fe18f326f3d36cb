import { expect, type Locator, type Page } from '@playwright/test';
import { SiteHeader } from './site-header';

/** `path` with `query` as its search string, or `path` alone when `query` is empty. */
export function withQuery(path: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}

/**
 * One screen of the app, known by its level-1 heading (`headingName`; any level-1 heading when
 * absent). Subclasses declare their locators as fields: they are set after this constructor, so
 * `this.page` is there to build them from.
 */
export abstract class BasePage {
  readonly heading: Locator;

  constructor(
    readonly page: Page,
    headingName?: string | RegExp,
  ) {
    this.heading = page.getByRole('heading', headingName === undefined ? { level: 1 } : { level: 1, name: headingName });
  }
}

/** A signed-out page under the site header; `goto` only opens it, as the specs check what it shows first. */
export abstract class PublicPage extends BasePage {
  readonly header: SiteHeader;

  constructor(
    page: Page,
    private readonly path: string,
    headingName?: string,
  ) {
    super(page, headingName);
    this.header = new SiteHeader(page);
  }

  async goto(query: Record<string, string> = {}): Promise<void> {
    await this.page.goto(withQuery(this.path, query));
  }
}

/** A page of one organization, /orgs/:orgId/`section`; `goto` waits for its heading so a spec acts on the page it asked for. */
export abstract class OrgPage extends BasePage {
  constructor(
    page: Page,
    private readonly section: string,
    headingName: string,
  ) {
    super(page, headingName);
  }

  async goto(orgId: string, query: Record<string, string> = {}): Promise<void> {
    await this.page.goto(withQuery(`/orgs/${orgId}/${this.section}`, query));
    await expect(this.heading).toBeVisible();
  }
}
