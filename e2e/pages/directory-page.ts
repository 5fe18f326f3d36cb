import { expect, type Locator, type Page } from '@playwright/test';
import { OrgPage } from './base-page';
import { E2E_EMULATOR_URL } from '../support/test-env';

/** /orgs/:orgId/settings/directory — how directory users join, the group → role mapping, the last sync (admins only). */
export class DirectoryPage extends OrgPage {
  readonly groups = this.page.getByRole('table', { name: 'Groups and roles' });
  readonly lastSync = this.page.getByTestId('last-sync');
  readonly syncNow = this.page.getByRole('button', { name: 'Sync now' });

  constructor(page: Page) {
    super(page, 'settings/directory', 'Directory sync');
  }

  group(name: string): Locator {
    return this.groups.getByRole('row').filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  /** Picks `role` (its display name) for the group and applies it. */
  async mapGroup(name: string, role: string): Promise<void> {
    const form = this.page.getByRole('form', { name: `Role for ${name}` });
    await form.getByLabel(`Role for ${name}`).selectOption({ label: role });
    await form.getByRole('button', { name: 'Apply' }).click();
  }

  /** Reloads until the directory's groups have reached the app (they come by webhook). */
  async waitForGroups(orgId: string, names: string[]): Promise<void> {
    await expect(async () => {
      await this.goto(orgId);
      for (const name of names) await expect(this.group(name)).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  }
}

/**
 * The emulator's directory dev endpoints (emulator/src/dev-directories.ts), standing in for the
 * customer's IdP pushing SCIM changes (and, until the admin portal page lands, for creating the directory).
 */
export class EmulatedDirectory {
  private constructor(readonly id: string) {}

  static async create(organizationId: string): Promise<EmulatedDirectory> {
    const { id } = (await call('POST', '/_emulator/directories', { organizationId })) as { id: string };
    return new EmulatedDirectory(id);
  }

  /** `count` users user1…userN@`domain`, spread over `groups` in turn (user1 in the first, user2 in the second, …). */
  async load(groups: string[], count: number, domain: string): Promise<void> {
    await call('POST', `/_emulator/directories/${this.id}/bulk`, { groups, generate: { count, domain } });
  }

  async deprovision(email: string): Promise<void> {
    await call('DELETE', `/_emulator/directories/${this.id}/users/${encodeURIComponent(email)}`);
  }
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${E2E_EMULATOR_URL}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
