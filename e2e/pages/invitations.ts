import { randomBytes } from 'node:crypto';
import { expect, type Locator, type Page } from '@playwright/test';
import { ScalekitClient } from '@scalekit-sdk/node';
import pg from 'pg';
import { OrgPage } from './base-page';
import { EmulatorPages } from './emulator-pages';
import { E2E_CLIENT_SECRET, E2E_DATABASE_NAME, E2E_EMULATOR_URL } from '../support/test-env';

/** Page objects and set-up for the invitation specs (e2e/invite-*.spec.ts). */

export const scalekit = new ScalekitClient(E2E_EMULATOR_URL, 'skc_teamgate_dev', E2E_CLIENT_SECRET);

/**
 * An organization of the spec's own, made in Scalekit, with a fresh admin: no other spec shares
 * its seats or invitations. It reaches the app's mirror through the emulator's webhooks.
 */
export async function privateOrganization(tag: string, seats = 1000): Promise<{ orgId: string; admin: string }> {
  const { organization } = await scalekit.organization.createOrganization(`Invites ${tag}`);
  const orgId = organization!.id;
  await scalekit.organization.upsertUserManagementSettings(orgId, { maxAllowedUsers: seats });
  const admin = `inviter-${tag}@acme.test`;
  const { user } = await scalekit.user.createUserAndMembership(orgId, { email: admin, sendInvitationEmail: false });
  await scalekit.user.updateMembership(orgId, user!.id, { roles: ['admin'] });
  return { orgId, admin };
}

/** privateOrganization under a fresh random tag, returned too (specs name their people and keys by it). */
export async function freshOrganization(seats?: number): Promise<{ tag: string; orgId: string; admin: string }> {
  const tag = randomBytes(4).toString('hex');
  return { tag, ...(await privateOrganization(tag, seats)) };
}

/** Sign in through the emulator's hosted pages; retried while the webhooks bring the new org into the mirror. */
export async function signIn(page: Page, email: string, returnTo: string): Promise<void> {
  await expect(async () => {
    await page.goto(`/api/auth/login?${new URLSearchParams({ login_hint: email, returnTo })}`);
    await new EmulatorPages(page).completeEmailCode(email);
    await page.waitForURL((url) => url.pathname === returnTo, { timeout: 5_000 });
  }).toPass({ timeout: 25_000 });
}

/**
 * An invitation may be resent once a minute (lib/invitations/service.ts), counted from its last
 * email. Waiting that out is no use to a spec, so this sets when the invitation's last email
 * went out, in the app's database: the one fact the cooldown is measured from.
 */
export async function lastSentSecondsAgo(orgId: string, email: string, seconds: number): Promise<void> {
  const rowCount = await inAppDatabase(
    `UPDATE "Membership" SET "lastSentAt" = now() - make_interval(secs => $3) WHERE "organizationId" = $1 AND "email" = $2`,
    [orgId, email, seconds],
  );
  expect(rowCount, `an invitation of ${email} in ${orgId}`).toBe(1);
}

/** One statement against the e2e app's own database (for facts a spec cannot wait for); the rows it touched. */
export async function inAppDatabase(sql: string, values: unknown[]): Promise<number> {
  const url = new URL(process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${E2E_DATABASE_NAME}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql, values)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** Resolves once the emulator has delivered every webhook event about `orgId` it has emitted so far. */
export async function webhooksDelivered(orgId: string): Promise<void> {
  await expect(async () => {
    const events = (await (await fetch(`${E2E_EMULATOR_URL}/_emulator/events`)).json()) as Array<{
      delivered: boolean;
      lastStatus: number | null;
      // Scalekit's envelope names the organization an event concerns (openapi/scalekit.yaml webhooks).
      payload: { organization_id?: string };
    }>;
    const ours = events.filter((e) => e.payload.organization_id === orgId);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter((e) => !e.delivered && e.lastStatus === null)).toHaveLength(0);
  }).toPass({ timeout: 15_000 });
}

export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('[data-sonner-toast]').filter({ hasText: text });
}

/** The "Invite member" dialog on the team page. */
export class InviteDialog {
  readonly open: Locator;
  readonly dialog: Locator;
  readonly email: Locator;
  readonly role: Locator;
  readonly name: Locator;
  readonly submit: Locator;
  readonly alreadyInvited: Locator;

  constructor(readonly page: Page) {
    this.open = page.getByRole('button', { name: 'Invite member' });
    this.dialog = page.getByRole('dialog', { name: 'Invite a member' });
    this.email = this.dialog.getByLabel('Email');
    this.role = this.dialog.getByLabel('Role');
    this.name = this.dialog.getByLabel(/^Name/);
    this.submit = this.dialog.getByRole('button', { name: 'Send invitation' });
    this.alreadyInvited = this.dialog.getByTestId('already-invited');
  }

  async invite(email: string, role = 'member', name = ''): Promise<void> {
    if (!(await this.dialog.isVisible())) await this.open.click();
    await expect(this.dialog).toBeVisible();
    await this.email.fill(email);
    await this.role.selectOption(role);
    await this.name.fill(name);
    await this.submit.click();
  }
}

/** /orgs/:orgId/team/bulk */
export class BulkInvitePage extends OrgPage {
  readonly file = this.page.getByLabel('CSV file');
  readonly upload = this.page.getByRole('button', { name: 'Upload and check' });
  readonly rows = this.page.getByTestId('bulk-row');
  readonly progress = this.page.getByRole('progressbar', { name: 'Sending invitations' });
  /** The line under the progress bar: how far the background send is. */
  readonly sendingNote = this.page.getByTestId('bulk-progress');
  readonly download = this.page.getByRole('link', { name: 'Download results CSV' });
  /** The "That file cannot be used" alert under the file input. */
  readonly fileError = this.page.getByRole('alert').filter({ hasText: 'That file cannot be used' });

  constructor(page: Page) {
    super(page, 'team/bulk', 'Bulk invite');
  }

  async uploadCsv(name: string, text: string): Promise<void> {
    await this.file.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
    await this.upload.click();
  }

  count(id: 'ready' | 'flagged' | 'invited' | 'skipped' | 'failed' | 'pending'): Locator {
    return this.page.getByTestId(`count-${id}`);
  }

  rowsWithStatus(status: 'pending' | 'invited' | 'skipped' | 'failed'): Locator {
    return this.page.locator(`[data-testid="bulk-row"][data-status="${status}"]`);
  }
}

/** /orgs/:orgId/settings/api-keys */
/** The API keys page of a fresh organization, signed in as its admin. */
export async function apiKeysOfFreshOrganization(page: Page): Promise<{ tag: string; orgId: string; keys: ApiKeysPage }> {
  const { tag, orgId, admin } = await freshOrganization();
  await signIn(page, admin, `/orgs/${orgId}/settings/api-keys`);
  return { tag, orgId, keys: new ApiKeysPage(page) };
}

export class ApiKeysPage extends OrgPage {
  readonly name = this.page.getByLabel('New key name');
  readonly expires = this.page.getByLabel('Expires (optional)');
  readonly scopesError = this.page.locator('#api-key-scopes-error');
  readonly create = this.page.getByRole('button', { name: 'Create key' });
  readonly secret = this.page.getByTestId('api-key-secret');
  readonly rows = this.page.getByTestId('api-key-row');

  constructor(page: Page) {
    super(page, 'settings/api-keys', 'API keys');
  }

  /** The checkbox of one scope in the creation form. */
  scope(scope: string): Locator {
    // No scope name is the start of another, so the label's beginning picks one.
    return this.page.getByRole('checkbox', { name: new RegExp(`^${scope}`) });
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  /** `scopes`: exactly these are ticked (default: what the form pre-selects). `expiresOn`: yyyy-mm-dd. */
  async fillKey(name: string, options: { scopes?: string[]; expiresOn?: string } = {}): Promise<void> {
    await this.name.fill(name);
    if (options.scopes) {
      for (const scope of ['invitations:read', 'invitations:write', 'members:read'])
        await this.scope(scope).setChecked(options.scopes.includes(scope));
    }
    if (options.expiresOn) await this.expires.fill(options.expiresOn);
  }

  async createKey(name: string, options: { scopes?: string[]; expiresOn?: string } = {}): Promise<string> {
    await this.fillKey(name, options);
    await this.create.click();
    // The secret box of the previous key stays up until the new one replaces it: wait for the one that names this key.
    await expect(this.page.getByText(`Copy the key for “${name}” now`)).toBeVisible();
    await expect(this.secret).toBeVisible();
    return (await this.secret.textContent())!.trim();
  }

  async revoke(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Revoke ${name}` }).click();
    await this.page.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
    await expect(this.rows.filter({ hasText: name })).toContainText('Revoked');
  }
}
