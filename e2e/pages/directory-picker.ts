import { type Locator, type Page } from '@playwright/test';

/** The "From directory" tab of the bulk invite page (app/orgs/[orgId]/team/bulk/_directory/directory-picker.tsx). */
export class DirectoryPicker {
  readonly tab: Locator;
  readonly picker: Locator;
  readonly search: Locator;
  readonly groups: Locator;
  readonly people: Locator;
  readonly role: Locator;
  readonly summary: Locator;
  readonly preview: Locator;
  /** "No directory connected" */
  readonly empty: Locator;
  /** "Your directory could not be read" */
  readonly error: Locator;
  /** "That selection cannot be used" */
  readonly previewError: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole('tab', { name: 'From directory' });
    this.picker = page.getByTestId('directory-picker');
    this.search = page.getByLabel('Search the directory');
    this.groups = page.getByTestId('directory-group');
    this.people = page.getByTestId('directory-person');
    this.role = page.getByLabel('Role for everyone picked');
    this.summary = page.getByTestId('directory-selection');
    this.preview = page.getByRole('button', { name: 'Preview', exact: true });
    this.empty = page.getByTestId('directory-empty');
    this.error = page.getByTestId('directory-error');
    this.previewError = page.getByRole('alert').filter({ hasText: 'That selection cannot be used' });
  }

  /** A group's button in the list: shows its people. */
  group(name: string): Locator {
    return this.groups.filter({ hasText: name });
  }

  /** The "Select all N in this group" checkbox above the people of the group shown. */
  selectAll(count: number): Locator {
    return this.page.getByRole('checkbox', { name: `Select all ${count} in this group` });
  }

  /** A person's checkbox, by the name or email on their row. */
  person(text: string): Locator {
    return this.people.filter({ hasText: text }).getByRole('checkbox');
  }
}
