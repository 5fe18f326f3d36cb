import { expect, test } from '@playwright/test';
import { apiKeysOfFreshOrganization, scalekit } from './pages/invitations';

test('API keys: created in the UI and shown once, they invite through /api/invitations; a revoked key and a missing CSRF token are refused', async ({
  page,
  playwright,
  baseURL,
}) => {
  const { tag, orgId, keys } = await apiKeysOfFreshOrganization(page);
  const secret = await keys.createKey(`HR sync ${tag}`);
  expect(secret).toMatch(/^tg_live_[0-9A-Za-z]{32}$/);
  await expect(keys.rows.filter({ hasText: `HR sync ${tag}` })).toContainText(secret.slice(0, 14));
  await page.reload();
  await expect(keys.heading).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);

  const machine = await playwright.request.newContext({ baseURL });
  try {
    const email = `api-${tag}@acme.test`;
    const byKey = await machine.post('/api/invitations', {
      headers: { authorization: `Bearer ${secret}` },
      data: { email, role: 'member', externalId: `hr-${tag}`, metadata: { source: 'hris' } },
    });
    expect(byKey.status()).toBe(201);
    expect(await byKey.json()).toMatchObject({ outcome: 'invited', invitation: { email, externalId: `hr-${tag}` } });

    // The browser's session without the CSRF token is refused; with it, the same invite is recognised.
    const noCsrf = await page.request.post('/api/invitations', { data: { email } });
    expect(noCsrf.status()).toBe(403);
    expect((await noCsrf.json()).error.code).toBe('csrf_failed');
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const bySession = await page.request.post('/api/invitations', {
      data: { email },
      headers: { 'x-csrf-token': csrf!, origin: new URL(baseURL!).origin },
    });
    expect(bySession.status()).toBe(200);
    expect((await bySession.json()).outcome).toBe('already_invited');
    const inScalekit = await scalekit.user.searchOrganizationUsers(orgId, email, 10);
    expect(inScalekit.users.filter((u) => u.email === email)).toHaveLength(1);

    // Another organization's key cannot reach this one.
    const otherKey = await machine.post(`/api/invitations?organizationId=org_acme`, {
      headers: { authorization: `Bearer ${secret}` },
      data: { email: `x-${tag}@acme.test` },
    });
    expect(otherKey.status()).toBe(403);

    await keys.revoke(`HR sync ${tag}`);
    const revoked = await machine.post('/api/invitations', {
      headers: { authorization: `Bearer ${secret}` },
      data: { email: `late-${tag}@acme.test` },
    });
    expect(revoked.status()).toBe(401);
    expect((await revoked.json()).error.code).toBe('invalid_api_key');
  } finally {
    await machine.dispose();
  }
});
