import { expect, test } from '@playwright/test';
import { apiKeysOfFreshOrganization } from './pages/invitations';

function inDays(days: number): { iso: string; label: string } {
  const d = new Date(Date.now() + days * 86_400_000);
  const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return { iso, label: d.toLocaleDateString('en-US', { dateStyle: 'medium' }) };
}

test('API keys page: scopes and expiry chosen at creation are listed, and the API holds each key to its scopes — no key invites an admin', async ({
  page,
  playwright,
  baseURL,
}) => {
  const { tag, keys } = await apiKeysOfFreshOrganization(page);

  // The form pre-selects what the invitations API needs, and nothing more.
  await expect(keys.scope('invitations:read')).toBeChecked();
  await expect(keys.scope('invitations:write')).toBeChecked();
  await expect(keys.scope('members:read')).not.toBeChecked();

  // A key with no scope at all is refused with a sentence under the scopes.
  await keys.fillKey(`Nothing ${tag}`, { scopes: [] });
  await keys.create.click();
  await expect(keys.scopesError).toHaveText(/Choose at least one scope/);
  await expect(keys.row(`Nothing ${tag}`)).toHaveCount(0);

  const expiry = inDays(30);
  const readerSecret = await keys.createKey(`Reader ${tag}`, { scopes: ['invitations:read'], expiresOn: expiry.iso });
  const reader = keys.row(`Reader ${tag}`);
  await expect(reader.getByTestId('api-key-scopes').locator('[data-slot="badge"]')).toHaveText(['invitations:read']);
  await expect(reader.getByTestId('api-key-expires')).toContainText(expiry.label);
  await expect(reader.getByTestId('api-key-status')).toHaveText('Active');

  const defaultSecret = await keys.createKey(`Sync ${tag}`);
  const sync = keys.row(`Sync ${tag}`);
  await expect(sync.getByTestId('api-key-scopes').locator('[data-slot="badge"]')).toHaveText(['invitations:read', 'invitations:write']);
  await expect(sync.getByTestId('api-key-expires')).toHaveText('Never');

  // After a reload the list still says the same: it comes from the database.
  await page.reload();
  await expect(keys.row(`Reader ${tag}`).getByTestId('api-key-scopes').locator('[data-slot="badge"]')).toHaveText(['invitations:read']);

  const machine = await playwright.request.newContext({ baseURL });
  try {
    const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });
    expect((await machine.get('/api/invitations', { headers: auth(readerSecret) })).status()).toBe(200);
    const readerInvites = await machine.post('/api/invitations', {
      headers: auth(readerSecret),
      data: { email: `reader-${tag}@acme.test` },
    });
    expect(readerInvites.status()).toBe(403);
    expect((await readerInvites.json()).error.message).toMatch(/"invitations:write" scope/);

    const adminByKey = await machine.post('/api/invitations', {
      headers: auth(defaultSecret),
      data: { email: `takeover-${tag}@acme.test`, role: 'admin' },
    });
    expect(adminByKey.status()).toBe(403);
    expect((await adminByKey.json()).error.message).toMatch(/An API key cannot invite someone as Admin/);
    const memberByKey = await machine.post('/api/invitations', {
      headers: auth(defaultSecret),
      data: { email: `member-${tag}@acme.test` },
    });
    expect(memberByKey.status()).toBe(201);
  } finally {
    await machine.dispose();
  }
});
